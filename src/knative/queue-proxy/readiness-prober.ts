// queue-proxy's check of the user container (knative/serving pkg/queue/readiness/probe.go
// ProbeContainer), which answers the K-Network-Probe: queue health checks of the activator and the
// kubelet (pkg/queue/health/handler.go):
// - periodSeconds 0 (the default): "aggressive" — try at once, then every 50 ms, each try with a
//   100 ms timeout, until successThreshold successes in a row or 10 s have passed; the success
//   count lives in the probe and survives between calls (reset by a failed try);
// - periodSeconds > 0: a single try;
// - callers that arrive while a probe runs wait for its result (a write-once gate).
// A try of the user app is a TCP connect to 127.0.0.1:$USER_PORT: it succeeds iff the app listens.
//
// The kubelet asks its probes synchronously (PodBehaviour.probe), so `kubeletAnswer` says at the
// probe's start what the HTTP probe would end with:
// - the app listens: 'success';
// - strict (default): otherwise an aggressive probe blocks past the kubelet's timeoutSeconds
//   ('timeout'), a single try fails ('failure'); a pod whose app comes up just after a kubelet probe
//   started is then seen Ready only at the next period (kubelet default 10 s), not when the app
//   listens as upstream would;
// - lookahead: an aggressive probe whose app will listen within the kubelet's timeout answers
//   'success' now, up to that timeout early (the user app then holds requests that arrive in the
//   gap instead of refusing them: UserApp.acceptEarlyFrom).

import type { ProbeOutcome } from '../../kube/pod-runtime.js';
import type { ReadinessProbeSettings } from './queue-proxy-settings.js';
import type { TimerGroup } from '../runtime/timer-group.js';
import type { UserApp } from './user-app.js';

/** readiness.retryInterval, aggressiveProbeTimeout's neighbour, and PollTimeout. */
export const AGGRESSIVE_RETRY_MS = 50;
export const AGGRESSIVE_POLL_TIMEOUT_MS = 10_000;

export interface ReadinessProberOptions {
  timers: TimerGroup;
  settings: ReadinessProbeSettings | undefined;
  /** The current user container incarnation. */
  userApp: () => UserApp | undefined;
}

export class ReadinessProber {
  readonly #timers: TimerGroup;
  readonly #settings: ReadinessProbeSettings | undefined;
  readonly #userApp: () => UserApp | undefined;
  #count = 0;
  #gate: ((ok: boolean) => void)[] | undefined;

  constructor(options: ReadinessProberOptions) {
    this.#timers = options.timers;
    this.#settings = options.settings;
    this.#userApp = options.userApp;
  }

  /** Whether a probe is running (callers join it). */
  get probing(): boolean {
    return this.#gate !== undefined;
  }

  /** ProbeContainer: `done` gets the result, at once if it is known now. */
  probe(done: (ok: boolean) => void): void {
    const settings = this.#settings;
    if (settings === undefined) return done(true);
    if (this.#gate !== undefined) {
      this.#gate.push(done);
      return;
    }
    if (!settings.aggressive) return done(this.#tryOnce());
    this.#gate = [done];
    this.#poll(this.#timers.sim.nowMs + AGGRESSIVE_POLL_TIMEOUT_MS);
  }

  /** What the kubelet's HTTP probe would end with, decided at its start (see above). */
  kubeletAnswer(options: { timeoutMs: number; lookahead: boolean }): ProbeOutcome {
    const settings = this.#settings;
    if (settings === undefined) return 'success';
    const now = this.#timers.sim.nowMs;
    const app = this.#userApp();
    if (app?.listening(now)) return 'success';
    if (!settings.aggressive) return 'failure';
    const window = Math.min(options.timeoutMs, AGGRESSIVE_POLL_TIMEOUT_MS);
    if (options.lookahead && app !== undefined && !app.stopped && app.readyAtMs <= now + window) {
      app.acceptEarlyFrom(now);
      return 'success';
    }
    return 'timeout';
  }

  #tryOnce(): boolean {
    return this.#userApp()?.listening(this.#timers.sim.nowMs) ?? false;
  }

  #poll(deadlineMs: number): void {
    const threshold = this.#settings?.successThreshold ?? 1;
    if (this.#tryOnce()) this.#count++;
    else this.#count = 0;
    if (this.#count >= threshold) return this.#finish(true);
    const now = this.#timers.sim.nowMs;
    if (now + AGGRESSIVE_RETRY_MS >= deadlineMs) {
      this.#timers.schedule(deadlineMs - now, () => this.#finish(false), 'queue-readiness-timeout');
      return;
    }
    this.#timers.schedule(AGGRESSIVE_RETRY_MS, () => this.#poll(deadlineMs), 'queue-readiness-poll');
  }

  #finish(ok: boolean): void {
    const waiters = this.#gate ?? [];
    this.#gate = undefined;
    for (const fn of waiters) fn(ok);
  }
}
