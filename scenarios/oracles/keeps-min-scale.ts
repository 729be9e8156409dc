// keeps-min-scale: once a Configuration (the one a Knative Service owns, or a standalone one) has as
// many ready pods as its revisions' min-scale, it keeps at least that many across all its
// revisions, rollouts included. A rollout may hand the
// traffic from the old revision to the new one, but the old one's pods may only go while the new
// one holds min-scale itself (knative/serving#15889: "the pods of the old revisions should not be
// terminated, until all the minimum number of the pods for the new revision are up").
//
// It also catches a single revision that scales below min-scale after reaching it
// (knative/serving#11218: "we sometimes scale below the mark only to then scale up again").
//
// Read from the history: each Revision's configuration label and min-scale annotation (the first
// version seen), and the per-revision series (ready pods, sampled every `sampleEvery`). The bound of
// a configuration is the smallest min-scale among its revisions that set one; configurations
// without min-scale are not checked.
import type { History } from '../../src/scenario/history.js';

const CONFIGURATION_LABEL = 'serving.knative.dev/configuration';
const MIN_SCALE_KEYS = ['autoscaling.knative.dev/min-scale', 'autoscaling.knative.dev/minScale'];

interface Violation { reason: string; atMs: number; objects: string[] }

function minScaleOf(annotations: Record<string, string> | undefined): number | undefined {
  for (const key of MIN_SCALE_KEYS) {
    const v = annotations?.[key];
    if (v !== undefined && /^\d+$/.test(v) && Number(v) > 0) return Number(v);
  }
  return undefined;
}

export default function keepsMinScale(history: History): Violation | null {
  /** `ns/revision` → `ns/configuration`, and each configuration's bound. */
  const configurationOf = new Map<string, string>();
  const bound = new Map<string, number>();
  for (const e of history.objects) {
    if (e.kind !== 'Revision' || e.type !== 'ADDED') continue;
    const configuration = e.object.metadata.labels?.[CONFIGURATION_LABEL];
    if (configuration === undefined) continue;
    const key = `${e.namespace}/${configuration}`;
    configurationOf.set(`${e.namespace}/${e.name}`, key);
    const min = minScaleOf(e.object.metadata.annotations);
    if (min !== undefined) bound.set(key, Math.min(bound.get(key) ?? min, min));
  }
  /** Ready pods per configuration per sample time, with the per-revision counts. */
  const samples = new Map<number, Map<string, { total: number; revisions: string[] }>>();
  for (const s of history.series) {
    const configuration = configurationOf.get(`${s.namespace}/${s.revision}`);
    if (configuration === undefined || !bound.has(configuration)) continue;
    let byConfiguration = samples.get(s.atMs);
    if (byConfiguration === undefined) samples.set(s.atMs, (byConfiguration = new Map()));
    const entry = byConfiguration.get(configuration) ?? { total: 0, revisions: [] };
    entry.total += s.readyPods;
    entry.revisions.push(`${s.revision} ${s.readyPods}`);
    byConfiguration.set(configuration, entry);
  }
  const reached = new Set<string>();
  for (const atMs of [...samples.keys()].sort((a, b) => a - b)) {
    for (const [configuration, { total, revisions }] of [...samples.get(atMs)!.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const min = bound.get(configuration)!;
      if (total >= min) {
        reached.add(configuration);
      } else if (reached.has(configuration)) {
        return {
          reason: `Configuration ${configuration} had ${total} ready pod${total === 1 ? '' : 's'} at ${atMs / 1000}s (${revisions.join(', ')}), below min-scale ${min} it had reached before`,
          atMs,
          objects: [`Configuration ${configuration}`],
        };
      }
    }
  }
  return null;
}
