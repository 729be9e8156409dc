// no-condition-stuck-unknown: no condition of a Knative object stays Unknown longer than `max`,
// counting a condition still Unknown when the run ends (bugs #8922 and #8539: revisions stuck
// Unknown forever). The default kinds are the user-facing serving.knative.dev ones (Service,
// Configuration, Route, Revision): the internal ServerlessService's Ready/EndpointsPopulated and the
// PodAutoscaler's SKSReady stay Unknown ("NoHealthyBackends") for as long as a revision is scaled
// to zero, upstream as here, so they are checked only when named in `kinds`. `types` limits the
// condition types.

import { formatDurationMs as at } from '../../knative/config/duration.js';
import type { OracleDefinition } from '../oracle.js';
import { OracleParams } from '../oracle-params.js';
import { HistoryQueries, isKnativeApiVersion } from '../history-queries.js';

export interface NoConditionStuckUnknownParams {
  maxMs: number;
  kinds: string[];
  types?: string[];
}

export const noConditionStuckUnknown: OracleDefinition<NoConditionStuckUnknownParams> = {
  name: 'no-condition-stuck-unknown',
  summary: 'No condition of a Knative Service, Configuration, Route or Revision stays Unknown longer than a bound (default 5m).',
  parse(raw) {
    const p = new OracleParams(raw);
    const parsed: NoConditionStuckUnknownParams = {
      maxMs: p.duration('max', { default: 300_000 }),
      kinds: p.stringList('kinds', { default: ['Service', 'Configuration', 'Route', 'Revision'] }),
      types: p.optionalStringList('types'),
    };
    p.finish();
    return parsed;
  },
  check(history, params) {
    const q = new HistoryQueries(history);
    let earliest: { atMs: number; reason: string; objects: string[] } | null = null;
    for (const object of q.timelines()) {
      if (!isKnativeApiVersion(object.apiVersion) || !params.kinds.includes(object.kind)) continue;
      const types = new Set<string>();
      for (const v of object.versions) {
        const conditions: unknown = v.object.status?.conditions;
        if (Array.isArray(conditions)) for (const c of conditions) if (typeof c?.type === 'string') types.add(c.type);
      }
      for (const type of [...types].sort()) {
        if (params.types !== undefined && !params.types.includes(type)) continue;
        const segments = HistoryQueries.conditionTimeline(object, type);
        for (let i = 0; i < segments.length; i += 1) {
          const s = segments[i];
          if (s.status !== 'Unknown') continue;
          const endMs = segments[i + 1]?.fromMs ?? history.endMs;
          if (endMs - s.fromMs <= params.maxMs) continue;
          const atMs = s.fromMs + params.maxMs;
          if (earliest === null || atMs < earliest.atMs) {
            const why = s.reason ? ` (${s.reason}${s.message ? `: ${s.message}` : ''})` : '';
            const until = segments[i + 1] === undefined ? 'still at the end of the run' : `until ${at(endMs)}`;
            earliest = {
              atMs,
              reason: `${object.label} condition ${type} was Unknown${why} from ${at(s.fromMs)} ${until}, longer than ${at(params.maxMs)}`,
              objects: [object.label],
            };
          }
          break;
        }
      }
    }
    return earliest;
  },
};
