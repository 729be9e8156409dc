// no-failed-requests: no user request ends in a failing status class. Requests that arrive before
// `after` (a grace period from the run start, e.g. while the Service first becomes Ready) are ignored,
// and so, with allowDuringFaults, are requests that arrive while a fault is active (fired and not yet
// healed; a fault that never heals stays active to the end of the run).

import { statusClass, type RequestOutcome } from '../../dataplane/request.js';
import { formatDurationMs as at } from '../../knative/config/duration.js';
import type { OracleDefinition } from '../oracle.js';
import { OracleParams } from '../oracle-params.js';
import { describeObject, HistoryQueries } from '../history-queries.js';

export const FAILURE_CLASSES = ['4xx', '5xx', 'timeout'] as const;

export interface NoFailedRequestsParams {
  classes: string[];
  afterMs: number;
  host?: string;
  allowDuringFaults: boolean;
}

function describeFailure(o: RequestOutcome): string {
  const what = o.status === 0 ? 'timed out' : `got ${o.status}`;
  const why = o.error ? ` (${o.error})` : '';
  const via = o.revision ? ` from revision ${o.revision}` : '';
  return `request #${o.id} to ${o.host} arriving at ${at(o.arrivalMs)} ${what}${why}${via} at ${at(o.doneMs)}`;
}

export const noFailedRequests: OracleDefinition<NoFailedRequestsParams> = {
  name: 'no-failed-requests',
  summary: 'No request fails (5xx or client timeout by default; 4xx on request) after a grace period, optionally outside faults.',
  parse(raw) {
    const p = new OracleParams(raw);
    const parsed: NoFailedRequestsParams = {
      classes: p.stringList('classes', { default: ['5xx', 'timeout'], oneOf: FAILURE_CLASSES }),
      afterMs: p.duration('after', { default: 0 }),
      host: p.optionalString('host'),
      allowDuringFaults: p.boolean('allowDuringFaults', { default: false }),
    };
    p.finish();
    return parsed;
  },
  check(history, params) {
    const q = new HistoryQueries(history);
    const windows = q.faultWindows();
    const failed = history.requests.filter((o) => o.arrivalMs >= params.afterMs
      && (params.host === undefined || o.host === params.host)
      && params.classes.includes(statusClass(o))
      && !(params.allowDuringFaults && q.faultActiveAt(o.arrivalMs, windows)));
    if (failed.length === 0) return null;
    const first = failed.reduce((a, b) => (b.doneMs < a.doneMs || (b.doneMs === a.doneMs && b.id < a.id) ? b : a));
    const byClass = new Map<string, number>();
    for (const o of failed) byClass.set(statusClass(o), (byClass.get(statusClass(o)) ?? 0) + 1);
    const counts = [...byClass].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, n]) => `${c}: ${n}`).join(', ');
    const objects = new Set<string>();
    for (const o of failed) for (const r of q.requestRevisions(o)) objects.add(describeObject('Revision', r.namespace, r.name));
    return {
      reason: `${failed.length} request${failed.length === 1 ? '' : 's'} failed (${counts}); the first: ${describeFailure(first)}`,
      atMs: first.doneMs,
      objects: [...objects].sort(),
    };
  },
};
