// scales-to-zero-within: a revision with min-scale 0 that receives no request (none in flight, none
// arriving) for longer than `within` is down to 0 by the end of that window. With Knative's defaults a
// revision goes to zero one stable window (60s) after its last request plus at most the scale-to-zero
// grace period (30s) it spends behind the activator first (knative/serving
// pkg/reconciler/autoscaling/kpa/scaler.go handleScaleToZero), hence the default of 90s.
// Activity is the requests for the revision (the data plane's record, else the Route's targets at
// arrival) from arrival to completion, and the moment the revision first became Ready (before that it
// has not started to scale). `of` picks what must reach 0: the Deployment's replicas (default), ready
// pods, or all pods including terminating ones.

import { formatDurationMs as at } from '../../knative/config/duration.js';
import type { OracleDefinition } from '../oracle.js';
import { OracleParams } from '../oracle-params.js';
import { describeObject, HistoryQueries } from '../history-queries.js';

export interface ScalesToZeroWithinParams {
  withinMs: number;
  revision?: string;
  namespace?: string;
  of: 'replicas' | 'readyPods' | 'pods';
}

const WHAT = { replicas: 'replicas', readyPods: 'ready pods', pods: 'pods' } as const;

export const scalesToZeroWithin: OracleDefinition<ScalesToZeroWithinParams> = {
  name: 'scales-to-zero-within',
  summary: 'A min-scale 0 revision left idle is down to zero within a bound (default 90s) of its last request.',
  parse(raw) {
    const p = new OracleParams(raw);
    const parsed: ScalesToZeroWithinParams = {
      withinMs: p.duration('within', { default: 90_000 }),
      revision: p.optionalString('revision'),
      namespace: p.optionalString('namespace'),
      of: p.string('of', { default: 'replicas', oneOf: ['replicas', 'readyPods', 'pods'] }) as ScalesToZeroWithinParams['of'],
    };
    p.finish();
    return parsed;
  },
  check(history, params) {
    const q = new HistoryQueries(history);
    // Busy intervals per revision (`namespace/name`).
    const busy = new Map<string, [number, number][]>();
    for (const o of history.requests) {
      for (const r of q.requestRevisions(o)) {
        const key = `${r.namespace}/${r.name}`;
        let list = busy.get(key);
        if (list === undefined) busy.set(key, (list = []));
        list.push([o.arrivalMs, o.doneMs]);
      }
    }
    let earliest: { atMs: number; reason: string; objects: string[] } | null = null;
    for (const [key, samples] of q.seriesByRevision()) {
      const { namespace, revision } = samples[0];
      if ((params.revision !== undefined && revision !== params.revision) || (params.namespace !== undefined && namespace !== params.namespace)) continue;
      const rev = q.timeline('Revision', namespace, revision);
      const readyFrom = rev === undefined ? samples[0].atMs : HistoryQueries.conditionTimeline(rev, 'Ready').find((s) => s.status === 'True')?.fromMs;
      if (readyFrom === undefined) continue;
      const intervals = [[readyFrom, readyFrom] as [number, number], ...(busy.get(key) ?? [])].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const lastSampleMs = samples[samples.length - 1].atMs;
      let busyEnd = -Infinity;
      const idleStarts: { fromMs: number; untilMs: number }[] = [];
      for (const [start, end] of intervals) {
        if (busyEnd !== -Infinity && start > busyEnd) idleStarts.push({ fromMs: busyEnd, untilMs: start });
        busyEnd = Math.max(busyEnd, end);
      }
      idleStarts.push({ fromMs: busyEnd, untilMs: Infinity });
      for (const idle of idleStarts) {
        const deadline = idle.fromMs + params.withinMs;
        if (idle.untilMs <= deadline || deadline > lastSampleMs) continue;
        if (q.scaleSettingsAt(namespace, revision, idle.fromMs).minScale > 0) continue;
        const window = samples.filter((s) => s.atMs >= idle.fromMs && s.atMs <= deadline);
        if (window.some((s) => s[params.of] === 0)) continue;
        const last = window[window.length - 1];
        if (last === undefined) continue; // no sample inside the window: nothing observed
        if (earliest === null || deadline < earliest.atMs) {
          earliest = {
            atMs: deadline,
            reason: `Revision ${namespace}/${revision} was idle from ${at(idle.fromMs)} (no request in flight or arriving) but still had ${last[params.of]} ${WHAT[params.of]} at ${at(deadline)}, ${at(params.withinMs)} later, and never reached 0 in between`,
            objects: [describeObject('Revision', namespace, revision), describeObject('Deployment', namespace, q.deploymentOf(namespace, revision))],
          };
        }
        break;
      }
    }
    return earliest;
  },
};
