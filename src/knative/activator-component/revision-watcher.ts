// One revision's watcher in the activator's revision backends manager (knative/serving
// pkg/activator/net/revision_backends.go revisionWatcher.run / checkDests / probePodIPs), as a
// single-threaded loop in event form:
// - it waits for the next private Endpoints update or, while some pod is not yet known healthy, the
//   next tick of its probe ticker (200 ms, a Go ticker: fixed phase from creation, one buffered
//   tick; when both are ready Go's select picks at random, here through the chooser);
// - then checkDests: with no pods it reports none; otherwise pods that moved from ready to notReady
//   are re-probed, every pod not known healthy is probed — GET <ip:port>/healthz with
//   K-Network-Probe: queue and the activator's user agent, all sharing one 300 ms deadline, healthy
//   on 200 with body 'queue' — and a probe success counts if the pod is ready in the Endpoints or
//   probe optimisation is on; a changed healthy set (or any re-probe) is reported.
// - Endpoints updates queue up and are taken one at a time (upstream the informer handler blocks
//   on the watcher's channel until the loop takes the update).
// Release differences (WatcherFixes, from the activator's profile):
// - v0.18 (#9540, e82968f260) ran the probes in an errgroup.WithContext group: the first probe that
//   failed (a transport error, a non-200 status or a wrong body: knative/networking prober.Do
//   returns an error for each) cancelled the shared context, so every probe still in flight failed
//   too; #14303 (997d8ef27e, v1.12, #14200) went back to a plain group, every probe runs to its end.
// - until #14347 (9e7956fd9e, v1.12, #13531) probePodIPs called a round a no-op when it probed and
//   no probe succeeded, even if the healthy set changed otherwise (pods gone from the Endpoints),
//   so the update was not sent and the watcher kept the gone pods as healthy; since then a round is
//   a no-op exactly when the healthy set is unchanged. (Before #12203, v1.1, the code differed but
//   decided the same in mesh mode auto, the mode modelled here: it has been so since #5820, v0.10.)
// Mesh compatibility mode "auto", pods addressable: Kubernetes-ready pods are not trusted without
// a probe. The fallback to the private Service's ClusterIP when no pod can be probed is not
// modelled (there is no kube-proxy in the simulated data plane): such a revision has no backends.

import type { HttpNetwork, Pending } from '../../dataplane/http-network.js';
import type { ChoiceSource } from '../../sim/chooser.js';
import type { Timer } from '../../sim/simulation.js';
import { ACTIVATOR_USER_AGENT, HEADER, QUEUE_PROBE_VALUE } from '../runtime/network-headers.js';
import type { TimerGroup } from '../runtime/timer-group.js';

/** PROBE_TIMEOUT and PROBE_FREQUENCY defaults (cmd/activator/main.go). */
export const ACTIVATOR_PROBE_TIMEOUT_MS = 300;
export const ACTIVATOR_PROBE_FREQUENCY_MS = 200;
/** nethttp.HealthCheckPath. */
export const HEALTH_CHECK_PATH = '/healthz';

export interface Dests {
  ready: ReadonlySet<string>;
  notReady: ReadonlySet<string>;
}

/** The upstream fixes the watcher's probing depends on (see the header). */
export interface WatcherFixes {
  /** false: the first failed probe of a round cancels the others still in flight (#9540 until #14303). */
  independentProbes: boolean;
  /** false: a round with probes and no success is a no-op whatever else changed (until #14347). */
  noopBySetEquality: boolean;
}

export const CURRENT_WATCHER_FIXES: Readonly<WatcherFixes> = Object.freeze({ independentProbes: true, noopBySetEquality: true });

export interface RevisionWatcherOptions {
  key: string;
  /** The port name whose dests are watched ('http' or 'http2'). */
  portName: string;
  http: HttpNetwork;
  selfIp: string;
  timers: TimerGroup;
  choices: ChoiceSource;
  enableProbeOptimisation: boolean;
  probeTimeoutMs: number;
  probeFrequencyMs: number;
  /** revisionDestsUpdate: the healthy dests (empty: none). */
  onUpdate: (dests: Set<string>) => void;
  /** Default: the current behaviour. */
  fixes?: WatcherFixes;
}

const EMPTY: Dests = { ready: new Set(), notReady: new Set() };

function union(d: Dests): string[] {
  return [...new Set([...d.ready, ...d.notReady])].sort();
}

function sameSet(a: ReadonlySet<string>, b: readonly string[] | ReadonlySet<string>): boolean {
  const list = [...b];
  return a.size === new Set(list).size && list.every((x) => a.has(x));
}

export class RevisionWatcher {
  readonly key: string;
  readonly portName: string;
  readonly #o: RevisionWatcherOptions;
  readonly #queue: Dests[] = [];
  readonly #originMs: number;
  #cur: Dests = EMPTY;
  #prev: Dests = EMPTY;
  #healthy = new Set<string>();
  #busy = false;
  #stopped = false;
  #lastTickMs: number;
  #tickTimer: Timer | undefined;

  constructor(options: RevisionWatcherOptions) {
    this.#o = options;
    this.key = options.key;
    this.portName = options.portName;
    this.#originMs = options.timers.sim.nowMs;
    this.#lastTickMs = this.#originMs;
  }

  /** Pods known healthy (probed successfully). */
  get healthy(): ReadonlySet<string> {
    return this.#healthy;
  }

  get current(): Dests {
    return this.#cur;
  }

  push(dests: Dests): void {
    if (this.#stopped) return;
    this.#queue.push(dests);
    this.#pump();
  }

  stop(): void {
    this.#stopped = true;
    this.#o.timers.cancelAll();
  }

  #needsTick(): boolean {
    const all = union(this.#cur);
    return all.length > 0 && !sameSet(this.#healthy, all);
  }

  /** The first tick of the ticker after the last one taken. */
  #nextTickAt(): number {
    const f = this.#o.probeFrequencyMs;
    return this.#originMs + (Math.floor((this.#lastTickMs - this.#originMs) / f) + 1) * f;
  }

  #pump(): void {
    if (this.#busy || this.#stopped) return;
    const timers = this.#o.timers;
    timers.cancel(this.#tickTimer);
    this.#tickTimer = undefined;
    const now = timers.sim.nowMs;
    const wantTick = this.#needsTick();
    const tickAt = this.#nextTickAt();
    if (this.#queue.length > 0) {
      if (wantTick && tickAt <= now && this.#o.choices.int(2) === 1) return this.#onTick();
      this.#prev = this.#cur;
      this.#cur = this.#queue.shift()!;
      return this.#check();
    }
    if (wantTick) this.#tickTimer = timers.schedule(Math.max(0, tickAt - now), () => this.#onTick(), 'activator-probe-tick');
  }

  #onTick(): void {
    this.#tickTimer = undefined;
    this.#lastTickMs = this.#o.timers.sim.nowMs;
    this.#check();
  }

  #check(): void {
    this.#busy = true;
    const cur = this.#cur;
    const finish = (): void => {
      this.#busy = false;
      this.#pump();
    };
    if (union(cur).length === 0) {
      this.#healthy = new Set();
      this.#o.onUpdate(new Set());
      return finish();
    }
    const reprobe = [...this.#prev.ready].filter((d) => cur.notReady.has(d));
    for (const d of reprobe) this.#healthy.delete(d);
    this.#probePodIps(cur, (healthy, noop) => {
      if (this.#stopped) return;
      if (!noop || reprobe.length > 0) {
        this.#healthy = healthy;
        this.#o.onUpdate(new Set(healthy));
      }
      finish();
    });
  }

  #probePodIps(cur: Dests, done: (healthy: Set<string>, noop: boolean) => void): void {
    const dests = union(cur);
    if (sameSet(this.#healthy, dests)) return done(this.#healthy, true);
    const fixes = this.#o.fixes ?? CURRENT_WATCHER_FIXES;
    const healthy = new Set(this.#healthy);
    const toProbe = dests.filter((d) => !healthy.has(d));
    let pending = toProbe.length;
    let succeeded = 0;
    let cancelled = false;
    const inFlight = new Map<string, Pending>();
    const settle = (): void => {
      for (const d of [...healthy]) if (!dests.includes(d)) healthy.delete(d);
      const noop = fixes.noopBySetEquality ? sameSet(this.#healthy, healthy) : toProbe.length > 0 && succeeded === 0;
      done(healthy, noop);
    };
    if (pending === 0) return settle();
    const answered = (dest: string, ok: boolean): void => {
      if (!inFlight.delete(dest)) return;
      if (ok && (cur.ready.has(dest) || this.#o.enableProbeOptimisation)) {
        healthy.add(dest);
        succeeded++;
      }
      if (!ok && !fixes.independentProbes && !cancelled) {
        // errgroup.WithContext: the first error cancels the group's context.
        cancelled = true;
        for (const [other, call] of [...inFlight]) {
          call.cancel();
          answered(other, false);
        }
      }
      if (--pending === 0) settle();
    };
    for (const dest of toProbe) {
      // A refused connection can answer before send() returns: the entry exists first.
      inFlight.set(dest, { cancel: () => undefined });
      const call = this.#probe(dest, (ok) => answered(dest, ok));
      if (inFlight.has(dest)) inFlight.set(dest, call);
    }
  }

  #probe(dest: string, done: (ok: boolean) => void): Pending {
    const colon = dest.lastIndexOf(':');
    const headers = { [HEADER.probe]: QUEUE_PROBE_VALUE, [HEADER.userAgent]: ACTIVATOR_USER_AGENT };
    return this.#o.http.send(dest.slice(0, colon), Number(dest.slice(colon + 1)), { method: 'GET', path: HEALTH_CHECK_PATH, headers }, { fromIp: this.#o.selfIp, timeoutMs: this.#o.probeTimeoutMs }, (res) => {
      done(res.status === 200 && res.body === QUEUE_PROBE_VALUE);
    });
  }
}
