// The activator's ConcurrencyReporter (knative/serving pkg/activator/handler/concurrency_reporter.go)
// with its ticker: requests enter (ReqIn, before throttling) and leave (ReqOut) per revision; a
// revision seen for the first time sends an immediate stat {concurrency 1, count 1} so the
// autoscaler can scale from zero at once; every reportInterval (1 s) one batch with a stat per
// tracked revision goes to the stat sink. The bookkeeping is ConcurrencyReporterState.

import type { ComponentContext } from '../../client/component.js';
import { sleep, type Proc } from '../../sim/process.js';
import { ConcurrencyReporterState, type ActivatorStatMessage, type RevisionStatsHandle } from '../activator/index.js';
import type { StatMessage } from '../autoscaler-component/stat-message.js';
import type { StatSink } from './stat-sink.js';

/** reportInterval. */
export const ACTIVATOR_REPORT_INTERVAL_MS = 1000;

export function toStatMessage(m: ActivatorStatMessage): StatMessage {
  return {
    key: m.key,
    stat: { podName: m.podName, averageConcurrentRequests: m.averageConcurrentRequests, averageProxiedConcurrentRequests: 0, requestCount: m.requestCount, proxiedRequestCount: 0 },
  };
}

export class ConcurrencyReporter {
  readonly state: ConcurrencyReporterState;
  readonly #ctx: ComponentContext;
  readonly #sink: StatSink;

  constructor(options: { ctx: ComponentContext; podName: string; sink: StatSink }) {
    this.#ctx = options.ctx;
    this.#sink = options.sink;
    this.state = new ConcurrencyReporterState({ podName: options.podName });
    options.ctx.spawn('concurrency-reporter', this.#ticker());
  }

  /** handleRequestIn: counts the request; sends the scale-from-zero stat for a new revision. */
  requestIn(key: string): RevisionStatsHandle {
    const { handle, immediate } = this.state.requestIn(key, this.#ctx.sim.nowMs);
    if (immediate) this.#sink.send([toStatMessage(immediate)]);
    return handle;
  }

  requestOut(handle: RevisionStatsHandle): void {
    this.state.requestOut(handle, this.#ctx.sim.nowMs);
  }

  *#ticker(): Proc<void> {
    while (true) {
      yield* sleep(ACTIVATOR_REPORT_INTERVAL_MS);
      this.#report();
    }
  }

  #report(): void {
    const messages = this.state.report(this.#ctx.sim.nowMs);
    if (messages.length > 0) this.#sink.send(messages.map(toStatMessage));
  }
}
