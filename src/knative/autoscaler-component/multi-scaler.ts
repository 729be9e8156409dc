// The in-process multiscaler (knative/serving pkg/autoscaler/scaling/multiscaler.go): one decider
// per revision, each with its own 2 s ticker that starts when the decider is created (so every
// revision ticks with its own phase), Scale() on each tick, and Inform(key) — enqueue the PA —
// when a valid result changes the desired scale or the sign of the excess burst capacity. Poke
// ticks at once when the decider sits at 0 and an activator stat reports concurrency (the
// scale-from-zero fast path). Everything lives in the incarnation: a crash loses every decider,
// its panic state and its status, and a restarted autoscaler starts again from DesiredScale −1.

import { DECIDER_TICK_INTERVAL_MS, type ScaleResult } from '../autoscaler/decider.js';
import type { DeciderSpec } from '../autoscaler/decider-spec.js';
import { applyScaleResult, initialDeciderStatus, shouldTickOnPoke, type DeciderStatus } from '../autoscaler/multiscaler-state.js';
import type { Stat } from '../autoscaler/stat.js';
import type { Timer } from '../../sim/simulation.js';
import type { KnativeProfile } from '../versions.js';
import type { IncarnationClock } from './incarnation-clock.js';

/** scaling.Decider: the PA's identity and labels (MakeDecider copies its ObjectMeta), spec and status. */
export interface DeciderRecord {
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  spec: Readonly<DeciderSpec>;
  status: DeciderStatus;
}

/** scaling.UniScaler: what a tick runs. */
export interface UniScaler {
  scale(nowMs: number): ScaleResult;
  /** Whether the decider is in panic mode (for the trace and the history). */
  inPanic?(): boolean;
  update(spec: Readonly<DeciderSpec>): void;
  onDelete(): void;
}

/** Builds a revision's UniScaler; throws when the decider cannot have one (missing labels). */
export type UniScalerFactory = (decider: Readonly<DeciderRecord>) => UniScaler;

interface Runner {
  decider: DeciderRecord;
  scaler: UniScaler;
  timer: Timer | undefined;
  /** The ticker's callback and event label, made once per decider rather than per tick. */
  tick: () => void;
  label: string;
}

export interface MultiScalerOptions {
  clock: IncarnationClock;
  factory: UniScalerFactory;
  /** The release whose multiscaler.go behaviour applies (the ServingSystem's profile). */
  profile: KnativeProfile;
  /** Trace sink: `sim.record`. */
  record: (kind: string, fields: Record<string, string | number | boolean>) => void;
}

function copyDecider(d: Readonly<DeciderRecord>): DeciderRecord {
  return { namespace: d.namespace, name: d.name, labels: { ...d.labels }, spec: { ...d.spec }, status: { ...d.status } };
}

export class MultiScaler {
  readonly #options: MultiScalerOptions;
  readonly #runners = new Map<string, Runner>();
  #watcher: ((key: string) => void) | undefined;
  /** applyScaleResult's options for the profile (releases before pr-11375 size the activators here). */
  readonly #applyOptions: { deciderSizesActivators: boolean };

  constructor(options: MultiScalerOptions) {
    this.#options = options;
    this.#applyOptions = { deciderSizesActivators: !options.profile.has('pr-11375') };
  }

  /** The decider's copy, or undefined (NotFound). */
  get(namespace: string, name: string): DeciderRecord | undefined {
    const runner = this.#runners.get(`${namespace}/${name}`);
    return runner === undefined ? undefined : copyDecider(runner.decider);
  }

  /** Keys of the live deciders, sorted. */
  keys(): string[] {
    return [...this.#runners.keys()].sort();
  }

  /** Create: a new decider starts at DesiredScale −1 with its ticker; an existing one is returned. */
  create(decider: Readonly<DeciderRecord>): DeciderRecord {
    const key = `${decider.namespace}/${decider.name}`;
    let runner = this.#runners.get(key);
    if (runner === undefined) {
      const record = copyDecider(decider);
      const scaler = this.#options.factory(record);
      record.status = initialDeciderStatus(record.spec, { initialEbcFromCapacity: this.#options.profile.has('pr-6227') });
      const created: Runner = {
        decider: record, scaler, timer: undefined,
        tick: () => {
          if (this.#runners.get(key) !== created) return;
          this.#arm(created);
          this.#tick(key, created, 'tick');
        },
        label: `decider ${key}`,
      };
      runner = created;
      this.#runners.set(key, runner);
      this.#options.record('autoscaler/decider', { key, event: 'create', desired: record.status.desiredScale, ebc: record.status.excessBurstCapacity });
      this.#arm(runner);
    }
    return copyDecider(runner.decider);
  }

  /** Update: the decider (status included) is replaced, and the scaler gets the new spec. */
  update(decider: Readonly<DeciderRecord>): DeciderRecord | undefined {
    const runner = this.#runners.get(`${decider.namespace}/${decider.name}`);
    if (runner === undefined) return undefined;
    runner.decider = copyDecider(decider);
    runner.scaler.update(runner.decider.spec);
    return copyDecider(decider);
  }

  delete(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const runner = this.#runners.get(key);
    if (runner === undefined) return;
    runner.scaler.onDelete();
    this.#options.clock.cancel(runner.timer);
    this.#runners.delete(key);
    this.#options.record('autoscaler/decider', { key, event: 'delete' });
  }

  /** Watch: the one callback told about changed decisions (the KPA's EnqueueKey). */
  watch(fn: (key: string) => void): void {
    if (this.#watcher !== undefined) throw new Error('multiscaler: multiple calls to watch() not supported');
    this.#watcher = fn;
  }

  /** Poke: an activator stat for `key`; ticks now if the decider is at 0 and sees concurrency. */
  poke(key: string, stat: Pick<Stat, 'averageConcurrentRequests'>): void {
    const runner = this.#runners.get(key);
    if (runner === undefined || !shouldTickOnPoke(runner.decider.status, stat)) return;
    this.#tick(key, runner, 'poke');
  }

  #arm(runner: Runner): void {
    runner.timer = this.#options.clock.schedule(DECIDER_TICK_INTERVAL_MS, runner.tick, runner.label);
  }

  #tick(key: string, runner: Runner, cause: 'tick' | 'poke'): void {
    const result = runner.scaler.scale(this.#options.clock.nowMs);
    const outcome = applyScaleResult(runner.decider.status, result, this.#applyOptions);
    runner.decider.status = outcome.status;
    this.#options.record('autoscaler/decider', {
      key, event: cause, valid: result.scaleValid, desired: outcome.status.desiredScale, ebc: outcome.status.excessBurstCapacity, changed: outcome.changed, panic: runner.scaler.inPanic?.() ?? false,
    });
    if (outcome.changed) this.#watcher?.(key);
  }
}
