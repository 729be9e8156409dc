// replicas-within-scale-bounds: while a revision is routed (a Route sends it traffic) and Ready, its
// Deployment's replicas (or its ready pods) stay within [min-scale, max-scale] as the Revision's
// annotations say at that moment (config-autoscaler's min-scale/max-scale when not annotated; max 0 is
// unbounded). The KPA clamps its desired scale to these bounds (knative/serving
// pkg/reconciler/autoscaling/kpa/scaler.go applyBounds) and ignores min-scale only while the revision
// is unreachable (pa_lifecycle.go ScaleBounds), which is what bugs #6733, #6935 and #11218 exploit:
// the revision is already routed but the PA still thinks it unreachable. `grace` skips the samples
// right after the revision first became Ready.

import { formatDurationMs as at } from '../../knative/config/duration.js';
import type { OracleDefinition } from '../oracle.js';
import { OracleParams } from '../oracle-params.js';
import { describeObject, HistoryQueries } from '../history-queries.js';

export interface ReplicasWithinScaleBoundsParams {
  graceMs: number;
  of: 'replicas' | 'readyPods';
  revision?: string;
  namespace?: string;
}

export const replicasWithinScaleBounds: OracleDefinition<ReplicasWithinScaleBoundsParams> = {
  name: 'replicas-within-scale-bounds',
  summary: "A routed, Ready revision's replicas (or ready pods) stay within its min-scale and max-scale.",
  parse(raw) {
    const p = new OracleParams(raw);
    const parsed: ReplicasWithinScaleBoundsParams = {
      graceMs: p.duration('grace', { default: 0 }),
      of: p.string('of', { default: 'replicas', oneOf: ['replicas', 'readyPods'] }) as 'replicas' | 'readyPods',
      revision: p.optionalString('revision'),
      namespace: p.optionalString('namespace'),
    };
    p.finish();
    return parsed;
  },
  check(history, params) {
    const q = new HistoryQueries(history);
    let worst: { atMs: number; reason: string; objects: string[] } | null = null;
    for (const samples of q.seriesByRevision().values()) {
      const { namespace, revision } = samples[0];
      if ((params.revision !== undefined && revision !== params.revision) || (params.namespace !== undefined && namespace !== params.namespace)) continue;
      const rev = q.timeline('Revision', namespace, revision);
      if (rev === undefined) continue;
      const firstReady = HistoryQueries.conditionTimeline(rev, 'Ready').find((s) => s.status === 'True');
      if (firstReady === undefined) continue;
      const from = firstReady.fromMs + params.graceMs;
      for (const s of samples) {
        if (s.atMs < from || !s.routed || HistoryQueries.conditionAt(rev, 'Ready', s.atMs) !== 'True') continue;
        const { minScale, maxScale } = q.scaleSettingsAt(namespace, revision, s.atMs);
        const value = s[params.of];
        const what = params.of === 'replicas' ? 'replicas' : 'ready pods';
        let broken: string | null = null;
        if (value < minScale) broken = `below min-scale ${minScale}`;
        else if (maxScale > 0 && value > maxScale) broken = `above max-scale ${maxScale}`;
        if (broken === null) continue;
        if (worst === null || s.atMs < worst.atMs) {
          worst = {
            atMs: s.atMs,
            reason: `Revision ${namespace}/${revision} had ${value} ${what} at ${at(s.atMs)} while routed and Ready, ${broken}`,
            objects: [describeObject('Revision', namespace, revision), describeObject('Deployment', namespace, q.deploymentOf(namespace, revision))],
          };
        }
        break;
      }
    }
    return worst;
  },
};
