// The activator's ConcurrencyReporter bookkeeping (knative/serving
// pkg/activator/handler/concurrency_reporter.go), without its ticker and channels:
//
// - A request for a revision the reporter is not tracking creates its RequestStats and yields an
//   immediate stat {AverageConcurrentRequests: 1, RequestCount: 1}, so the autoscaler can scale
//   from zero before the next tick.
// - The next report subtracts that 1 from both figures (concurrency floored at 0, the count not).
// - A revision whose report averaged zero concurrency is dropped, unless a request still holds it,
//   so the next request sends the immediate stat again.
//
// Messages come out in the order revisions were first seen (upstream iterates a Go map; its
// receivers key messages by revision, so order carries no meaning there).

import { RequestStats } from './request-stats.js';

export interface ActivatorStatMessage {
  /** The revision key, `namespace/name`. */
  key: string;
  podName: string;
  averageConcurrentRequests: number;
  requestCount: number;
}

/** One revision's entry; requestIn hands it out and requestOut takes it back (upstream's *revisionStats). */
export interface RevisionStatsHandle {
  readonly key: string;
}

interface RevisionStats extends RevisionStatsHandle {
  stats: RequestStats;
  firstRequest: number;
  refs: number;
}

export interface RequestInResult {
  handle: RevisionStatsHandle;
  /** The immediate scale-from-zero stat, when the revision was not tracked. */
  immediate?: ActivatorStatMessage;
}

export class ConcurrencyReporterState {
  readonly podName: string;
  readonly #stats = new Map<string, RevisionStats>();

  constructor(options: { podName: string }) {
    this.podName = options.podName;
  }

  /** Revisions tracked now, in first-seen order. */
  get trackedKeys(): string[] {
    return [...this.#stats.keys()];
  }

  /** handleRequestIn: the request entered the activator's handler, before throttling. */
  requestIn(key: string, nowMs: number): RequestInResult {
    let stat = this.#stats.get(key);
    let immediate: ActivatorStatMessage | undefined;
    if (stat === undefined) {
      stat = { key, stats: new RequestStats({ startedAtMs: nowMs }), firstRequest: 1, refs: 0 };
      this.#stats.set(key, stat);
      immediate = { key, podName: this.podName, averageConcurrentRequests: 1, requestCount: 1 };
    }
    stat.refs++;
    stat.stats.handleEvent({ type: 'ReqIn', timeMs: nowMs });
    return immediate ? { handle: stat, immediate } : { handle: stat };
  }

  /** handleRequestOut: the response is done. */
  requestOut(handle: RevisionStatsHandle, nowMs: number): void {
    const stat = handle as RevisionStats;
    stat.stats.handleEvent({ type: 'ReqOut', timeMs: nowMs });
    stat.refs--;
  }

  /** report(now): one message per tracked revision, then drops the idle ones. */
  report(nowMs: number): ActivatorStatMessage[] {
    const messages: ActivatorStatMessage[] = [];
    const idle: RevisionStats[] = [];
    for (const stat of this.#stats.values()) {
      const report = stat.stats.report(nowMs);
      const firstAdj = stat.firstRequest;
      stat.firstRequest = 0;
      if (report.averageConcurrency === 0) idle.push(stat);
      messages.push({
        key: stat.key,
        podName: this.podName,
        averageConcurrentRequests: Math.max(report.averageConcurrency - firstAdj, 0),
        requestCount: report.requestCount - firstAdj,
      });
    }
    for (const stat of idle) if (stat.refs === 0) this.#stats.delete(stat.key);
    return messages;
  }
}
