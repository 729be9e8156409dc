// The autoscaler's tickers (the multiscaler's 2 s decider ticks, the collector's 1 s scrape ticks,
// the async prober's polls, the stat forwarder's retries) as timers owned by the component's
// incarnation: a crash cancels them all, as it ends the goroutines that run Go's time.Tickers.

import type { ComponentContext } from '../../client/component.js';
import type { Timer } from '../../sim/simulation.js';

export interface IncarnationClock {
  readonly nowMs: number;
  /** Runs `run` after `delayMs`; cancelled with the incarnation. */
  schedule(delayMs: number, run: () => void, label: string): Timer;
  cancel(timer: Timer | undefined): void;
}

export function incarnationClock(ctx: ComponentContext): IncarnationClock {
  return {
    get nowMs() {
      return ctx.sim.nowMs;
    },
    schedule: (delayMs, run, label) => ctx.schedule(delayMs, run, label),
    cancel: (timer) => ctx.cancel(timer),
  };
}
