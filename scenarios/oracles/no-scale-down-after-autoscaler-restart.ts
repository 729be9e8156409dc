// knative/serving PR #4795: an autoscaler restart under steady load must not scale a revision down.
// For every crash of an autoscaler process, each revision's replicas in the stable window (60 s, the
// default) after the crash must stay at or above the lowest count it had in the 20 s before it. The
// load in the scenario is steady, so a dip right after the restart is the restart's doing.
import type { History } from '../../src/scenario/history.js';

const BEFORE_MS = 20_000;
const STABLE_WINDOW_MS = 60_000;

export default function noScaleDownAfterAutoscalerRestart(history: History): { reason: string; atMs: number; objects: string[] } | null {
  const crashes = history.components.filter((c) => c.event === 'crashed' && c.component.startsWith('autoscaler'));
  for (const crash of crashes) {
    const byRevision = new Map<string, { namespace: string; before: number; dip?: { atMs: number; replicas: number } }>();
    for (const s of history.series) {
      const key = `${s.namespace}/${s.revision}`;
      if (s.atMs > crash.atMs - BEFORE_MS && s.atMs <= crash.atMs) {
        const cur = byRevision.get(key);
        byRevision.set(key, { namespace: s.namespace, before: Math.min(cur?.before ?? Infinity, s.replicas) });
      }
    }
    for (const s of history.series) {
      if (s.atMs <= crash.atMs || s.atMs > crash.atMs + STABLE_WINDOW_MS) continue;
      const rec = byRevision.get(`${s.namespace}/${s.revision}`);
      if (rec === undefined || rec.before === 0 || s.replicas >= rec.before) continue;
      const secs = (ms: number): string => `${(ms / 1000).toFixed(0)}s`;
      return {
        reason: `replicas of Revision ${s.namespace}/${s.revision} fell to ${s.replicas} at ${secs(s.atMs)}, ${secs(s.atMs - crash.atMs)} after ${crash.component} crashed, below the ${rec.before} it held in the ${secs(BEFORE_MS)} before`,
        atMs: s.atMs,
        objects: [`Revision ${s.namespace}/${s.revision}`],
      };
    }
  }
  return null;
}
