// The user container, as queue-proxy sees it through 127.0.0.1:$USER_PORT: a process that starts
// listening `appStartMs` after it starts (the kubelet's runtime draws that from the PodRuntime's
// timings or the pod's sleeveless.dev/app-start-ms annotation), then serves every request for the
// request's own service time, with no concurrency limit of its own (containerConcurrency is
// enforced by queue-proxy's breaker). Before it listens, and after it died, connections are
// refused; requests it was serving when it died are reset.
//
// The early-ready window: when the kubelet's readiness probe is answered ahead of time (see
// ReadinessProber, lookahead), the pod can look Ready up to the kubelet's probe timeout before the
// app listens. Requests reaching the app in that window only arrive because of that approximation,
// so they wait for the app instead of being refused (acceptEarlyFrom).

import type { HttpRequest, HttpResponse } from '../../dataplane/http-network.js';
import type { TimerGroup } from '../runtime/timer-group.js';

/**
 * How long the app takes for a request the workload did not shape (no carried service time: a
 * probe that reaches the user container): the clock's grain. Upstream the localhost hop and the
 * handler take a fraction of a millisecond; zero would make such a request invisible to
 * queue-proxy's time-weighted concurrency, which counts it (knative/serving pkg/queue/stats.go).
 */
export const UNSHAPED_REQUEST_SERVICE_MS = 1;

export interface UserAppOptions {
  timers: TimerGroup;
  /** When the app starts listening. */
  readyAtMs: number;
}

export interface UserCall {
  cancel(): void;
}

interface Pending {
  respond: (res: HttpResponse) => void;
  timer?: ReturnType<TimerGroup['schedule']>;
}

export class UserApp {
  readonly readyAtMs: number;
  readonly #timers: TimerGroup;
  readonly #pending = new Set<Pending>();
  #stopped = false;
  #acceptEarlyFromMs = Infinity;
  #peakInFlight = 0;

  constructor(options: UserAppOptions) {
    this.#timers = options.timers;
    this.readyAtMs = options.readyAtMs;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Requests being served (or held in the early-ready window). */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** The most requests in flight at once since the last call (then restarts from the current count). */
  takePeakInFlight(): number {
    const peak = Math.max(this.#peakInFlight, this.#pending.size);
    this.#peakInFlight = this.#pending.size;
    return peak;
  }

  /** Accepting connections at `nowMs` (what a TCP readiness probe sees). */
  listening(nowMs: number): boolean {
    return !this.#stopped && nowMs >= this.readyAtMs;
  }

  /** The kubelet was told this app is ready ahead of time, at `nowMs`. */
  acceptEarlyFrom(nowMs: number): void {
    this.#acceptEarlyFromMs = Math.min(this.#acceptEarlyFromMs, nowMs);
  }

  serve(req: HttpRequest, respond: (res: HttpResponse) => void): UserCall {
    const now = this.#timers.sim.nowMs;
    const early = !this.#stopped && now < this.readyAtMs && now >= this.#acceptEarlyFromMs;
    if (!this.listening(now) && !early) {
      respond({ status: 0, error: 'connection refused' });
      return { cancel: () => undefined };
    }
    const entry: Pending = { respond };
    this.#pending.add(entry);
    if (this.#pending.size > this.#peakInFlight) this.#peakInFlight = this.#pending.size;
    const startAt = Math.max(now, this.readyAtMs);
    const serviceMs = Math.max(0, Math.round(req.carried?.serviceTimeMs ?? UNSHAPED_REQUEST_SERVICE_MS));
    entry.timer = this.#timers.schedule(startAt - now + serviceMs, () => {
      this.#pending.delete(entry);
      respond({ status: 200, body: 'ok' });
    }, 'user-app-response');
    return {
      cancel: () => {
        if (!this.#pending.delete(entry)) return;
        this.#timers.cancel(entry.timer);
      },
    };
  }

  /** The process exited: everything in flight is reset. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const entry of [...this.#pending]) {
      this.#pending.delete(entry);
      this.#timers.cancel(entry.timer);
      entry.respond({ status: 0, error: 'connection reset' });
    }
  }
}
