// networking's RequestStats (knative/networking pkg/http/stats/request.go): queue-proxy and the
// activator fold request arrivals and departures into a time-weighted concurrency, reported and
// reset once per reporting period.
//
// The arithmetic follows upstream's float64 seconds exactly (Duration.Seconds splits whole seconds
// from the nanosecond remainder), so averages match Go's bit for bit. Events stamped before the
// last change are folded in without moving time backwards, as upstream ignores negative intervals.

export type ReqEventType = 'ReqIn' | 'ReqOut' | 'ProxiedIn' | 'ProxiedOut';

export interface ReqEvent {
  type: ReqEventType;
  timeMs: number;
}

export interface RequestStatsReport {
  averageConcurrency: number;
  averageProxiedConcurrency: number;
  requestCount: number;
  proxiedRequestCount: number;
}

/** time.Duration(ms · 1e6).Seconds(), with Go's rounding. */
export function goDurationSeconds(durationMs: number): number {
  const whole = Math.trunc(durationMs / 1000);
  const remainderNs = (durationMs - whole * 1000) * 1e6;
  return whole + remainderNs / 1e9;
}

export class RequestStats {
  #concurrency = 0;
  #proxiedConcurrency = 0;
  #lastChangeMs: number;
  #requestCount = 0;
  #proxiedCount = 0;
  #computedConcurrency = 0;
  #computedProxiedConcurrency = 0;
  #secondsInUse = 0;

  constructor(options: { startedAtMs: number }) {
    this.#lastChangeMs = options.startedAtMs;
  }

  /** Requests in flight now. */
  get concurrency(): number {
    return this.#concurrency;
  }

  handleEvent(event: ReqEvent): void {
    this.#compute(event.timeMs);
    switch (event.type) {
      case 'ProxiedIn':
        this.#proxiedConcurrency++;
        this.#proxiedCount++;
        this.#arrive();
        break;
      case 'ReqIn':
        this.#arrive();
        break;
      case 'ProxiedOut':
        this.#proxiedConcurrency--;
        this.#concurrency--;
        break;
      case 'ReqOut':
        this.#concurrency--;
        break;
    }
  }

  /** Report(now): averages since the last report, then the accumulators reset. */
  report(nowMs: number): RequestStatsReport {
    this.#compute(nowMs);
    const inUse = this.#secondsInUse;
    const report: RequestStatsReport = {
      averageConcurrency: inUse > 0 ? this.#computedConcurrency / inUse : 0,
      averageProxiedConcurrency: inUse > 0 ? this.#computedProxiedConcurrency / inUse : 0,
      requestCount: this.#requestCount,
      proxiedRequestCount: this.#proxiedCount,
    };
    this.#computedConcurrency = 0;
    this.#computedProxiedConcurrency = 0;
    this.#requestCount = 0;
    this.#proxiedCount = 0;
    this.#secondsInUse = 0;
    return report;
  }

  #arrive(): void {
    this.#requestCount++;
    this.#concurrency++;
  }

  #compute(nowMs: number): void {
    const sinceMs = nowMs - this.#lastChangeMs;
    if (sinceMs <= 0) return;
    const seconds = goDurationSeconds(sinceMs);
    this.#secondsInUse += seconds;
    this.#computedConcurrency += this.#concurrency * seconds;
    this.#computedProxiedConcurrency += this.#proxiedConcurrency * seconds;
    this.#lastChangeMs = nowMs;
  }
}
