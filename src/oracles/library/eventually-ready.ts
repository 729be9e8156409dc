// eventually-ready: every Knative object of a kind (Service by default) becomes Ready=True within a
// bound. Liveness is judged only once faults are over (DESIGN.md §7): the bound runs from the later
// of the object's creation and the moment every fault had healed (HistoryQueries.faultsSettledMs),
// and nothing is judged when a fault never healed, when the bound ends after the run, or for an object
// deleted before the bound ended.

import { formatDurationMs as at } from '../../knative/config/duration.js';
import type { OracleDefinition } from '../oracle.js';
import { OracleParams } from '../oracle-params.js';
import { HistoryQueries } from '../history-queries.js';

export const READY_KINDS = ['Service', 'Revision', 'Route', 'Configuration'] as const;

export interface EventuallyReadyParams {
  kind: string;
  name?: string;
  namespace?: string;
  withinMs: number;
}

export const eventuallyReady: OracleDefinition<EventuallyReadyParams> = {
  name: 'eventually-ready',
  summary: 'Every Service (or Revision, Route, Configuration) becomes Ready within a bound after creation and after faults heal.',
  parse(raw) {
    const p = new OracleParams(raw);
    const parsed: EventuallyReadyParams = {
      kind: p.string('kind', { default: 'Service', oneOf: READY_KINDS }),
      name: p.optionalString('name'),
      namespace: p.optionalString('namespace'),
      withinMs: p.duration('within', { default: 120_000 }),
    };
    p.finish();
    return parsed;
  },
  check(history, params) {
    const q = new HistoryQueries(history);
    const settledMs = q.faultsSettledMs();
    if (settledMs === null) return null;
    let earliest: { atMs: number; reason: string; objects: string[] } | null = null;
    for (const object of q.objectsOfKind(params.kind, { namespace: params.namespace, name: params.name })) {
      const startMs = Math.max(object.firstSeenMs, settledMs);
      const deadline = startMs + params.withinMs;
      if (deadline > history.endMs || (object.deletedMs !== undefined && object.deletedMs <= deadline)) continue;
      const segments = HistoryQueries.conditionTimeline(object, 'Ready');
      const atStart = HistoryQueries.conditionAt(object, 'Ready', startMs);
      const becameReady = atStart === 'True' || segments.some((s) => s.status === 'True' && s.fromMs > startMs && s.fromMs <= deadline);
      if (becameReady) continue;
      if (earliest !== null && earliest.atMs <= deadline) continue;
      const last = [...segments].reverse().find((s) => s.fromMs <= deadline);
      const state = last === undefined || last.status === 'absent'
        ? 'had no Ready condition'
        : `was Ready=${last.status}${last.reason ? ` (${last.reason}${last.message ? `: ${last.message}` : ''})` : ''} since ${at(last.fromMs)}`;
      const since = settledMs > object.firstSeenMs ? `the last fault healed at ${at(settledMs)}` : `it was created at ${at(object.firstSeenMs)}`;
      earliest = {
        atMs: deadline,
        reason: `${object.label} was not Ready ${at(params.withinMs)} after ${since}: at ${at(deadline)} it ${state}`,
        objects: [object.label],
      };
    }
    return earliest;
  },
};
