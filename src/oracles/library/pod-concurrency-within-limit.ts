// pod-concurrency-within-limit: no user container of a revision ever holds more requests at once than
// the revision's spec.containerConcurrency, when that is set (> 0). The queue-proxy's breaker enforces
// it (knative/serving pkg/queue/breaker.go); requests that reach a pod around it (bug #12887: the pod
// exposed directly before the activator's throttler is in the path) break it. The samples'
// maxPodConcurrency is the highest concurrency any one user container had since the previous sample.

import { formatDurationMs as at } from '../../knative/config/duration.js';
import type { OracleDefinition } from '../oracle.js';
import { OracleParams } from '../oracle-params.js';
import { describeObject, HistoryQueries } from '../history-queries.js';

export interface PodConcurrencyWithinLimitParams {
  revision?: string;
  namespace?: string;
}

export const podConcurrencyWithinLimit: OracleDefinition<PodConcurrencyWithinLimitParams> = {
  name: 'pod-concurrency-within-limit',
  summary: "No pod serves more requests at once than its revision's containerConcurrency (when > 0).",
  parse(raw) {
    const p = new OracleParams(raw);
    const parsed: PodConcurrencyWithinLimitParams = { revision: p.optionalString('revision'), namespace: p.optionalString('namespace') };
    p.finish();
    return parsed;
  },
  check(history, params) {
    const q = new HistoryQueries(history);
    let earliest: { atMs: number; reason: string; objects: string[] } | null = null;
    for (const samples of q.seriesByRevision().values()) {
      const { namespace, revision } = samples[0];
      if ((params.revision !== undefined && revision !== params.revision) || (params.namespace !== undefined && namespace !== params.namespace)) continue;
      const rev = q.timeline('Revision', namespace, revision);
      if (rev === undefined) continue;
      for (const s of samples) {
        const cc: unknown = (HistoryQueries.versionAt(rev, s.atMs) ?? rev.versions[0].object).spec?.containerConcurrency;
        if (typeof cc !== 'number' || cc <= 0 || s.maxPodConcurrency <= cc) continue;
        if (earliest === null || s.atMs < earliest.atMs) {
          earliest = {
            atMs: s.atMs,
            reason: `a pod of Revision ${namespace}/${revision} served ${s.maxPodConcurrency} requests at once by ${at(s.atMs)}, more than its containerConcurrency ${cc}`,
            objects: [describeObject('Revision', namespace, revision)],
          };
        }
        break;
      }
    }
    return earliest;
  },
};
