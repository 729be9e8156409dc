// A request is a simulated entity: it arrives for a host, is routed by the ingress to a revision,
// may be buffered by an activator and queued by a queue-proxy, is served for its service time or
// times out, and ends with an outcome that lands in the history.

export interface SimRequest {
  /** Unique within a run, in arrival order. */
  id: number;
  host: string;
  path: string;
  arrivalMs: number;
  /** How long the user container works on it once admitted. */
  serviceTimeMs: number;
  /** The client gives up after this long (0: never). */
  clientTimeoutMs: number;
  /** Which workload phase sent it. */
  phase: string;
}

export interface RequestOutcome {
  id: number;
  host: string;
  arrivalMs: number;
  doneMs: number;
  latencyMs: number;
  /** HTTP status the client saw; 0 when the client gave up first. */
  status: number;
  /** The revision that served (or was meant to serve) it. */
  revision?: string;
  /** The pod that served it. */
  pod?: string;
  /** The activator pod it went through, if any. */
  activator?: string;
  /** Why it failed, in a few words ("no healthy upstream", "queue full", "timeout", ...). */
  error?: string;
  phase: string;
}

/** The status class of an outcome: '2xx', '5xx', 'timeout' (client gave up), ... */
export function statusClass(outcome: Pick<RequestOutcome, 'status'>): string {
  return outcome.status === 0 ? 'timeout' : `${Math.floor(outcome.status / 100)}xx`;
}
