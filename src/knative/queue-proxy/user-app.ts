// The user container, as queue-proxy sees it through 127.0.0.1:$USER_PORT: a process that starts
// listening `appStartMs` after it starts (the kubelet's runtime draws that from the PodRuntime's
// timings or the pod's sleeveless.dev/app-start-ms annotation), then serves every request for the
// request's own service time, with no concurrency limit of its own (containerConcurrency is
// enforced by queue-proxy's breaker). Before it listens, and after it died, connections are
// refused; requests it was serving when it died are reset.
//
// Knative's readiness test image (knative/serving test/test_images/readiness/readiness.go), which
// the upstream readiness e2e tests run: with READY_DELAY in its environment (a Go duration) it
// listens at once but answers GET /healthz with 500 "not healthy" until READY_DELAY after it
// started; its exec readiness probe (`readiness probe`) is a GET of /healthz (healthyAtMs).
//
// The early-ready window: when the kubelet's readiness probe is answered ahead of time (see
// ReadinessProber, lookahead), the pod can look Ready up to the kubelet's probe timeout before the
// app listens. Requests reaching the app in that window only arrive because of that approximation,
// so they wait for the app instead of being refused (acceptEarlyFrom).

import type { HttpRequest, HttpResponse } from '../../dataplane/http-network.js';
import type { Fireable } from '../../sim/event-queue.js';
import { SweptList } from '../../sim/swept-list.js';
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
  /** When GET /healthz starts answering 200 (READY_DELAY after start); default at once. */
  healthyAtMs?: number;
}

/** The readiness test image's health path. */
export const HEALTHZ_PATH = '/healthz';

export interface UserCall {
  cancel(): void;
}

/** Who a call answers: a callback, or an object (queue-proxy's per-request object, no closure). */
export interface UserAppCaller {
  userAppAnswered(res: HttpResponse): void;
}

type UserAppResponder = ((res: HttpResponse) => void) | UserAppCaller;

function answer(to: UserAppResponder, res: HttpResponse): void {
  if (typeof to === 'function') to(res);
  else to.userAppAnswered(res);
}

/**
 * A request being served; it is also the caller's handle to cancel it, and the target of its
 * response timer (no closure per request).
 */
class Pending implements UserCall, Fireable {
  timer: ReturnType<TimerGroup['schedule']> | undefined;
  /** Answered, cancelled or reset: no longer in flight. */
  over = false;
  constructor(
    readonly app: UserApp,
    readonly req: HttpRequest,
    readonly respond: UserAppResponder,
  ) {}

  cancel(): void {
    this.app.drop(this);
  }

  /** The service time is over: the app answers. */
  fire(): void {
    this.app.answerCall(this);
  }
}

const REFUSED: UserCall = Object.freeze({ cancel: () => undefined });

/** The app's answer to every request it serves (one shared read-only object: answers are never edited in place). */
const OK: HttpResponse = Object.freeze({ status: 200, body: 'ok' });

export class UserApp {
  readonly readyAtMs: number;
  readonly healthyAtMs: number;
  readonly #timers: TimerGroup;
  /** Calls in arrival order, of which `#inFlight` are not over; swept when the list has doubled. */
  readonly #pending = new SweptList<Pending>((e) => !e.over);
  #inFlight = 0;
  #stopped = false;
  #acceptEarlyFromMs = Infinity;
  #peakInFlight = 0;

  constructor(options: UserAppOptions) {
    this.#timers = options.timers;
    this.readyAtMs = options.readyAtMs;
    this.healthyAtMs = options.healthyAtMs ?? -Infinity;
  }

  /** What GET /healthz (and so the image's exec probe) says at `nowMs`: listening and past READY_DELAY. */
  healthy(nowMs: number): boolean {
    return this.listening(nowMs) && nowMs >= this.healthyAtMs;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Requests being served (or held in the early-ready window). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** The most requests in flight at once since the last call (then restarts from the current count). */
  takePeakInFlight(): number {
    const peak = Math.max(this.#peakInFlight, this.#inFlight);
    this.#peakInFlight = this.#inFlight;
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

  serve(req: HttpRequest, respond: UserAppResponder): UserCall {
    const now = this.#timers.sim.nowMs;
    const early = !this.#stopped && now < this.readyAtMs && now >= this.#acceptEarlyFromMs;
    if (!this.listening(now) && !early) {
      answer(respond, { status: 0, error: 'connection refused' });
      return REFUSED;
    }
    const entry = new Pending(this, req, respond);
    this.#add(entry);
    if (this.#inFlight > this.#peakInFlight) this.#peakInFlight = this.#inFlight;
    const startAt = Math.max(now, this.readyAtMs);
    const serviceMs = Math.max(0, Math.round(req.carried?.serviceTimeMs ?? UNSHAPED_REQUEST_SERVICE_MS));
    entry.timer = this.#timers.schedule(startAt - now + serviceMs, entry, 'user-app-response');
    return entry;
  }

  /** @internal A call's service time is over: it is answered. */
  answerCall(entry: Pending): void {
    this.#end(entry);
    const unhealthy = this.#timers.sim.nowMs < this.healthyAtMs && entry.req.path.split('?')[0] === HEALTHZ_PATH;
    answer(entry.respond, unhealthy ? { status: 500, body: 'not healthy' } : OK);
  }

  /** @internal A call's client went away: it stops being served. */
  drop(entry: Pending): void {
    if (entry.over) return;
    this.#end(entry);
    this.#timers.cancel(entry.timer);
  }

  #add(entry: Pending): void {
    this.#pending.push(entry);
    this.#inFlight++;
  }

  #end(entry: Pending): void {
    entry.over = true;
    this.#inFlight--;
  }

  /** The process exited: everything in flight is reset. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    // Every call in flight now is reset, even one that a reset before it cancels meanwhile.
    const inFlight = this.#pending.takeAll().filter((e) => !e.over);
    for (const entry of inFlight) {
      if (!entry.over) this.#end(entry);
      this.#timers.cancel(entry.timer);
      answer(entry.respond, { status: 0, error: 'connection reset' });
    }
  }
}
