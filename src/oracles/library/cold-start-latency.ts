// cold-start-latency: a request that arrives while its revision has no ready pod (a cold start: it
// waits in the activator until a pod is up, knative/serving pkg/activator/handler) must still succeed
// (2xx) within `max`. The revision is the one the data plane recorded, else the Route's targets at
// arrival; a request counts as a cold start when every candidate revision had 0 ready pods. Ready pods
// come from the recorded Pods, else from the revision's series (see HistoryQueries.readyPodsAt).

import { statusClass, type RequestOutcome } from '../../dataplane/request.js';
import { formatDurationMs as at } from '../../knative/config/duration.js';
import type { OracleDefinition } from '../oracle.js';
import { OracleParams } from '../oracle-params.js';
import { describeObject, HistoryQueries, type RevisionRef } from '../history-queries.js';

export interface ColdStartLatencyParams {
  maxMs: number;
  host?: string;
}

/** Whether every candidate revision had no ready pod when the request arrived (per the last sample before it when sampled). */
function coldAt(q: HistoryQueries, revisions: readonly RevisionRef[], atMs: number): boolean {
  return revisions.length > 0 && revisions.every((r) => q.readyPodsAt(r.namespace, r.name, atMs, { sampled: 'before' }).readyPods === 0);
}

export const coldStartLatency: OracleDefinition<ColdStartLatencyParams> = {
  name: 'cold-start-latency',
  summary: 'Requests that arrive while their revision has no ready pod succeed within a bound.',
  parse(raw) {
    const p = new OracleParams(raw);
    const parsed: ColdStartLatencyParams = { maxMs: p.duration('max'), host: p.optionalString('host') };
    p.finish();
    return parsed;
  },
  check(history, params) {
    const q = new HistoryQueries(history);
    const offending: { o: RequestOutcome; revisions: RevisionRef[] }[] = [];
    let coldStarts = 0;
    for (const o of history.requests) {
      if (params.host !== undefined && o.host !== params.host) continue;
      const revisions = q.requestRevisions(o);
      if (!coldAt(q, revisions, o.arrivalMs)) continue;
      coldStarts += 1;
      if (statusClass(o) !== '2xx' || o.latencyMs > params.maxMs) offending.push({ o, revisions });
    }
    if (offending.length === 0) return null;
    const slowest = offending.reduce((a, b) => (b.o.latencyMs > a.o.latencyMs || (b.o.latencyMs === a.o.latencyMs && b.o.id < a.o.id) ? b : a));
    const o = slowest.o;
    const outcome = statusClass(o) === '2xx' ? `took ${at(o.latencyMs)}` : o.status === 0 ? `timed out after ${at(o.latencyMs)}` : `got ${o.status}${o.error ? ` (${o.error})` : ''} after ${at(o.latencyMs)}`;
    const names = slowest.revisions.map((r) => r.name).join(', ');
    return {
      reason: `${offending.length} of ${coldStarts} cold-start requests did not succeed within ${at(params.maxMs)}; the slowest, request #${o.id} to ${o.host} arriving at ${at(o.arrivalMs)} while revision ${names} had no ready pod, ${outcome}`,
      atMs: o.latencyMs > params.maxMs ? o.arrivalMs + params.maxMs : o.doneMs,
      objects: slowest.revisions.map((r) => describeObject('Revision', r.namespace, r.name)),
    };
  },
};
