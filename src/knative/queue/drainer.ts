// The queue-proxy's Drainer without a clock (knative/pkg network/handlers/drain.go, wired in
// knative/serving pkg/queue/sharedmain/handlers.go with QuietPeriod = drainSleepDuration = 30s).
//
// Upstream: until Drain() is called nothing is timed. Drain() arms a QuietPeriod timer; every
// non-probe request that arrives while the timer is pending restarts it; Drain() returns when it
// fires. Requests before Drain() do not count, and a request after the timer fired changes nothing
// (Timer.Stop returns false, so there is no Reset). Once draining, health checks and Knative
// probes answer 503 "shutting down". Reset() returns to the initial state.
//
// Here the timer is the deadline `drainDoneAtMs()`; a request at exactly the deadline counts as
// after it (the timer event has fired first).

/** network.DefaultDrainTimeout: the QuietPeriod a Drainer uses when given none. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 45_000;
/** queue-proxy's drainSleepDuration. */
export const QUEUE_PROXY_QUIET_PERIOD_MS = 30_000;
/** The user agents queue-proxy's drainer treats as health checks besides kubelet's. */
export const QUEUE_PROXY_HEALTH_CHECK_UA_PREFIXES: readonly string[] = Object.freeze(['Knative-Activator-Probe', 'Knative-Autoscaling-Probe']);

const KUBE_PROBE_UA_PREFIX = 'kube-probe/';
const PROBE_HEADER_VALUE = 'probe';

export interface DrainerOptions {
  /** QuietPeriod; ≤ 0 or absent means DEFAULT_DRAIN_TIMEOUT_MS, as upstream. */
  quietPeriodMs?: number;
  healthCheckUserAgentPrefixes?: readonly string[];
  /** Whether a HealthCheck handler is set (queue-proxy: yes, its readiness probe). */
  hasHealthCheck?: boolean;
}

export interface DrainerRequest {
  userAgent?: string;
  /** The K-Network-Probe header. */
  networkProbe?: string;
  /** The K-Network-Hash header. */
  networkHash?: string;
}

/**
 * How the drainer answers: itself with a status, by running the health check, or by passing the
 * request to the inner handler (the request has then been counted against the drain).
 */
export type DrainerAnswer =
  | { handledBy: 'drainer'; status: 200 | 400 | 503 }
  | { handledBy: 'health-check' }
  | { handledBy: 'inner' };

const INNER: DrainerAnswer = Object.freeze({ handledBy: 'inner' });
const HEALTH_CHECK: DrainerAnswer = Object.freeze({ handledBy: 'health-check' });

export class Drainer {
  readonly quietPeriodMs: number;
  readonly #uaPrefixes: readonly string[];
  readonly #hasHealthCheck: boolean;
  #doneAtMs: number | undefined;

  constructor(options: DrainerOptions = {}) {
    const q = options.quietPeriodMs ?? 0;
    this.quietPeriodMs = q > 0 ? q : DEFAULT_DRAIN_TIMEOUT_MS;
    this.#uaPrefixes = options.healthCheckUserAgentPrefixes ?? [];
    this.#hasHealthCheck = options.hasHealthCheck ?? false;
  }

  /** Drain() has been called and Reset() has not. */
  get draining(): boolean {
    return this.#doneAtMs !== undefined;
  }

  /** Drain() (idempotent: later callers wait for the same deadline). */
  drainStarted(nowMs: number): void {
    if (this.#doneAtMs === undefined) this.#doneAtMs = nowMs + this.quietPeriodMs;
  }

  /** A non-probe request reached the drainer: restarts a pending quiet period. */
  requestSeen(nowMs: number): void {
    if (this.#doneAtMs !== undefined && nowMs < this.#doneAtMs) this.#doneAtMs = nowMs + this.quietPeriodMs;
  }

  /** When Drain() returns, given no further requests; undefined when not draining. */
  drainDoneAtMs(): number | undefined {
    return this.#doneAtMs;
  }

  isDrained(nowMs: number): boolean {
    return this.#doneAtMs !== undefined && nowMs >= this.#doneAtMs;
  }

  /** Reset(): interrupts Drain and forgets it. */
  reset(): void {
    this.#doneAtMs = undefined;
  }

  /** ServeHTTP's dispatch; counts inner requests via requestSeen. */
  serve(request: DrainerRequest, nowMs: number): DrainerAnswer {
    if (this.#isHealthCheck(request)) {
      if (this.draining) return { handledBy: 'drainer', status: 503 };
      return this.#hasHealthCheck ? HEALTH_CHECK : { handledBy: 'drainer', status: 200 };
    }
    if (request.networkProbe === PROBE_HEADER_VALUE) {
      if (this.draining) return { handledBy: 'drainer', status: 503 };
      return { handledBy: 'drainer', status: request.networkHash ? 200 : 400 };
    }
    this.requestSeen(nowMs);
    return INNER;
  }

  #isHealthCheck(request: DrainerRequest): boolean {
    const ua = request.userAgent ?? '';
    if (ua.startsWith(KUBE_PROBE_UA_PREFIX)) return true;
    const prefixes = this.#uaPrefixes;
    for (let i = 0; i < prefixes.length; i++) if (ua.startsWith(prefixes[i])) return true;
    return false;
  }
}
