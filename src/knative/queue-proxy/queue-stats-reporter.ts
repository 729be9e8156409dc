// queue-proxy's request statistics and what :9090/metrics serves (knative/serving
// pkg/queue/sharedmain/main.go: a RequestStats fed by the ProxyHandler, reported every
// reportingPeriod = 1 s; pkg/queue/protobuf_stats_reporter.go: each report becomes the stored Stat,
// with the counts divided by the period to make them per-second rates; a scrape returns the last
// stored Stat, an empty one — only the pod name — before the first report).
// The stat travels as a plain object instead of protobuf.

import { RequestStats, type ReqEventType } from '../queue/index.js';
import type { TimerGroup } from '../runtime/timer-group.js';

/** reportingPeriod. */
export const QUEUE_REPORTING_PERIOD_MS = 1000;

/** The body of GET :9090/metrics (metrics.Stat as queue-proxy fills it). */
export interface QueueProxyStat {
  podName: string;
  /** Seconds since the queue-proxy process started. */
  processUptime: number;
  averageConcurrentRequests: number;
  averageProxiedConcurrentRequests: number;
  /** Requests per second over the last period. */
  requestCount: number;
  proxiedRequestCount: number;
}

export class QueueStatsReporter {
  readonly #timers: TimerGroup;
  readonly #podName: string;
  readonly #startedAtMs: number;
  readonly #stats: RequestStats;
  #stat: QueueProxyStat;
  #reports = 0;

  constructor(options: { timers: TimerGroup; podName: string }) {
    this.#timers = options.timers;
    this.#podName = options.podName;
    this.#startedAtMs = options.timers.sim.nowMs;
    this.#stats = new RequestStats({ startedAtMs: this.#startedAtMs });
    this.#stat = { podName: this.#podName, processUptime: 0, averageConcurrentRequests: 0, averageProxiedConcurrentRequests: 0, requestCount: 0, proxiedRequestCount: 0 };
    this.#tick();
  }

  /** The stored Stat (a copy). */
  get stat(): QueueProxyStat {
    return { ...this.#stat };
  }

  get reports(): number {
    return this.#reports;
  }

  /** Requests in flight (ReqIn/ProxiedIn seen, Out not yet). */
  get concurrency(): number {
    return this.#stats.concurrency;
  }

  handle(type: ReqEventType): void {
    this.#stats.handleEvent({ type, timeMs: this.#timers.sim.nowMs });
  }

  #tick(): void {
    this.#timers.schedule(QUEUE_REPORTING_PERIOD_MS, () => {
      this.#report();
      this.#tick();
    }, 'queue-stats-report');
  }

  #report(): void {
    const now = this.#timers.sim.nowMs;
    const report = this.#stats.report(now);
    const periodS = QUEUE_REPORTING_PERIOD_MS / 1000;
    this.#stat = {
      podName: this.#podName,
      processUptime: (now - this.#startedAtMs) / 1000,
      averageConcurrentRequests: report.averageConcurrency,
      averageProxiedConcurrentRequests: report.averageProxiedConcurrency,
      requestCount: report.requestCount / periodS,
      proxiedRequestCount: report.proxiedRequestCount / periodS,
    };
    this.#reports++;
  }
}
