// ready-implies-pods: a Revision reports Ready only once it has the pods it promises.
//
// The rule, from upstream's semantics. The KPA marks the PodAutoscaler's ScaleTargetInitialized once
// the revision has max(min-scale, initial-scale) ready pods (activeThreshold in knative/serving
// pkg/reconciler/autoscaling/kpa/kpa.go; initial-scale defaults to config-autoscaler's initial-scale,
// 1, and an initial-scale of 0 counts only with allow-zero-initial-scale, GetInitialScale in
// pkg/reconciler/autoscaling/kpa/resources/decider.go), and the Revision's ResourcesAvailable (so
// Ready) may turn True only after that (PropagateAutoscalerStatus, pkg/apis/serving/v1/revision_lifecycle.go,
// as fixed by #16094 for bug #15889: before the fix a revision could turn Ready below min-scale, take
// the traffic, and the old revision's pods were all terminated at once). ScaleTargetInitialized is
// sticky (#8577, bug #8539): a min-scale 0 revision may legitimately scale back to 0 before the
// revision reconciler propagates it. So:
//   - the first time a Revision's Ready turns True at t, it must have reached
//     max(min-scale, initial-scale) ready pods at some moment up to t, and have at least min-scale
//     ready pods at t;
//   - every later time Ready turns True (after False or Unknown), it must have min-scale ready pods at t.
// Ready pods are the recorded Pods of the revision when the history has them, else its series with a
// one-sample tolerance (HistoryQueries.readyPodsAt).

import { formatDurationMs as at } from '../../knative/config/duration.js';
import type { OracleDefinition } from '../oracle.js';
import { OracleParams } from '../oracle-params.js';
import { describeObject, HistoryQueries } from '../history-queries.js';

export interface ReadyImpliesPodsParams {
  revision?: string;
  namespace?: string;
}

const pods = (n: number): string => `${n} ready pod${n === 1 ? '' : 's'}`;

export const readyImpliesPods: OracleDefinition<ReadyImpliesPodsParams> = {
  name: 'ready-implies-pods',
  summary: 'A Revision turns Ready only with max(min-scale, initial-scale) ready pods reached (min-scale on later transitions).',
  parse(raw) {
    const p = new OracleParams(raw);
    const parsed: ReadyImpliesPodsParams = { revision: p.optionalString('revision'), namespace: p.optionalString('namespace') };
    p.finish();
    return parsed;
  },
  check(history, params) {
    const q = new HistoryQueries(history);
    let earliest: { atMs: number; reason: string; objects: string[] } | null = null;
    for (const rev of q.objectsOfKind('Revision', { namespace: params.namespace, name: params.revision })) {
      const segments = HistoryQueries.conditionTimeline(rev, 'Ready');
      let first = true;
      for (const segment of segments) {
        if (segment.status !== 'True') continue;
        const t = segment.fromMs;
        const { minScale, initialScale } = q.scaleSettingsAt(rev.namespace, rev.name, t);
        const now = q.readyPodsAt(rev.namespace, rev.name, t).readyPods;
        let broken: string | null = null;
        if (now < minScale) broken = `with ${pods(now)}, below min-scale ${minScale}`;
        else if (first) {
          const required = Math.max(minScale, initialScale);
          const peak = q.peakReadyPods(rev.namespace, rev.name, t);
          if (peak < required) broken = `for the first time having reached at most ${pods(peak)}, below max(min-scale ${minScale}, initial-scale ${initialScale}) = ${required}`;
        }
        first = false;
        if (broken === null) continue;
        if (earliest === null || t < earliest.atMs) {
          earliest = {
            atMs: t,
            reason: `Revision ${rev.namespace}/${rev.name} turned Ready at ${at(t)} ${broken}`,
            objects: [rev.label, describeObject('Deployment', rev.namespace, q.deploymentOf(rev.namespace, rev.name))],
          };
        }
        break;
      }
    }
    return earliest;
  },
};
