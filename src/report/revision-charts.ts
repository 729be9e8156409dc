// The per-revision part of the HTML report: the history's samples grouped by namespace/revision,
// each group drawn as a pods chart (ready pods, pods, Deployment replicas, PodAutoscaler desired
// scale), a concurrency chart (requests in user containers, the busiest container since the last
// sample, requests the activators hold) and a band of ServerlessService mode and routing.

import type { RevisionSample } from '../scenario/history.js';
import { escapeMarkup } from './escape-markup.js';
import { renderStepChart } from './step-chart.js';
import { renderSwimlanes, type Lane, type LaneSegment } from './swimlanes.js';
import type { TimeAxis } from './time-axis.js';

interface RevisionGroup {
  namespace: string;
  revision: string;
  samples: RevisionSample[];
}

function groupByRevision(series: readonly RevisionSample[]): RevisionGroup[] {
  const groups = new Map<string, RevisionGroup>();
  for (const s of series) {
    const key = `${s.namespace}/${s.revision}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { namespace: s.namespace, revision: s.revision, samples: [] };
      groups.set(key, group);
    }
    group.samples.push(s);
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...groups.values()].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.revision, b.revision));
}

/** Runs of equal values as segments; each sample's value holds until the next sample. */
function runs<T>(samples: readonly RevisionSample[], endMs: number, pick: (s: RevisionSample) => T): { fromMs: number; toMs: number; value: T }[] {
  const out: { fromMs: number; toMs: number; value: T }[] = [];
  for (let i = 0; i < samples.length; i += 1) {
    const value = pick(samples[i]);
    const toMs = i + 1 < samples.length ? samples[i + 1].atMs : Math.max(endMs, samples[i].atMs);
    const last = out[out.length - 1];
    if (last !== undefined && last.value === value) last.toMs = toMs;
    else out.push({ fromMs: samples[i].atMs, toMs, value });
  }
  return out;
}

function modeLanes(group: RevisionGroup, endMs: number): Lane[] {
  const sks: LaneSegment[] = runs(group.samples, endMs, (s) => s.sksMode).map((r) => ({
    fromMs: r.fromMs,
    toMs: r.toMs,
    cls: r.value === 'Serve' ? 'serve' : r.value === 'Proxy' ? 'proxy' : 'none',
    title: `ServerlessService mode ${r.value ?? '(none)'}`,
    label: r.value ?? 'none',
  }));
  const routed: LaneSegment[] = runs(group.samples, endMs, (s) => s.routed).map((r) => ({
    fromMs: r.fromMs,
    toMs: r.toMs,
    cls: r.value ? 'routed' : 'none',
    title: r.value ? 'a Route sends it traffic' : 'no Route sends it traffic',
    label: r.value ? 'routed' : 'not routed',
  }));
  return [{ label: 'SKS mode', segments: sks, markers: [] }, { label: 'routing', segments: routed, markers: [] }];
}

/** One <section> per revision, in namespace/name order. */
export function renderRevisionCharts(axis: TimeAxis, series: readonly RevisionSample[]): string {
  const groups = groupByRevision(series);
  if (groups.length === 0) return '<p class="empty">No revision samples in this history.</p>';
  return groups.map((g) => {
    const at = (pick: (s: RevisionSample) => number | undefined) => g.samples.map((s) => ({ atMs: s.atMs, value: pick(s) }));
    const pods = renderStepChart({
      axis,
      yLabel: 'pods',
      series: [
        { name: 'readyPods', color: '#2e7d32', points: at((s) => s.readyPods) },
        { name: 'pods', color: '#9e9e9e', points: at((s) => s.pods) },
        { name: 'replicas', color: '#1565c0', points: at((s) => s.replicas) },
        // -1 means the autoscaler has no data yet: drawn as a gap, like undefined.
        { name: 'desiredScale', color: '#ef6c00', dashed: true, points: at((s) => (s.desiredScale === undefined || s.desiredScale < 0 ? undefined : s.desiredScale)) },
      ],
    });
    const load = renderStepChart({
      axis,
      yLabel: 'requests',
      series: [
        { name: 'inFlight', color: '#1565c0', points: at((s) => s.inFlight) },
        { name: 'maxPodConcurrency', color: '#6a1b9a', points: at((s) => s.maxPodConcurrency) },
        { name: 'activatorQueue', color: '#c62828', points: at((s) => s.activatorQueue) },
      ],
    });
    const band = renderSwimlanes(axis, [{ title: 'mode', lanes: modeLanes(g, axis.endMs) }]);
    const title = escapeMarkup(`${g.namespace}/${g.revision}`);
    return `<section class="revision"><h3>Revision ${title}</h3>${pods}${load}${band}</section>`;
  }).join('\n');
}
