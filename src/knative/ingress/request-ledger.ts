// Exactly one outcome per workload request in the history. The ingress gateway records what it
// answers; the client side (sendThroughIngress) records what the gateway could not: no gateway, a
// connection failure, or the client giving up first. Both share this ledger, which travels with
// the request as simulation bookkeeping (it is not part of any simulated HTTP message).

import type { RequestOutcome, SimRequest } from '../../dataplane/request.js';

export interface RequestLedger {
  recorded: boolean;
}

/** The body of a client's request to the gateway: it carries the ledger. */
export interface LedgerBody {
  readonly ledger: RequestLedger;
}

/** Records `outcome` unless the ledger says it already was. */
export function recordOnce(ledger: RequestLedger | undefined, record: (o: RequestOutcome) => void, outcome: RequestOutcome): void {
  if (ledger?.recorded) return;
  if (ledger) ledger.recorded = true;
  record(outcome);
}

/** An outcome for `req` completing now. */
export function outcomeOf(req: SimRequest, nowMs: number, fields: Pick<RequestOutcome, 'status'> & Partial<RequestOutcome>): RequestOutcome {
  const outcome: RequestOutcome = { id: req.id, host: req.host, arrivalMs: req.arrivalMs, doneMs: nowMs, latencyMs: nowMs - req.arrivalMs, status: fields.status, phase: req.phase };
  if (fields.revision !== undefined) outcome.revision = fields.revision;
  if (fields.pod !== undefined) outcome.pod = fields.pod;
  if (fields.activator !== undefined) outcome.activator = fields.activator;
  if (fields.error !== undefined) outcome.error = fields.error;
  return outcome;
}
