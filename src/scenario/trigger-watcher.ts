// Fires scenario actions and faults when their trigger holds: at a time, or when a predicate over
// the history first holds (Sieve-style: "when revision R becomes Ready", "after the 2nd write of a
// PodAutoscaler by the autoscaler", "when replicas reach 3"), then `afterMs` later. Predicates are
// checked as the history grows: conditions on each object event, writes on each write, replicas on
// each sample. Each trigger fires at most once.

import type { Simulation } from '../sim/simulation.js';
import type { HistoryRecorder } from './history-recorder.js';
import type { ObjectEvent, RevisionSample, WriteEvent } from './history.js';
import { compare } from './compare.js';
import type { Predicate, Trigger } from './types.js';


interface Condition { type?: string; status?: string }

/** Whether the object event satisfies a `condition` predicate. */
function conditionHolds(p: Extract<Predicate, { kind: 'condition' }>, ev: ObjectEvent): boolean {
  if (ev.kind !== p.objectKind || ev.type === 'DELETED') return false;
  if (p.name !== undefined && ev.name !== p.name) return false;
  if (p.namespace !== undefined && ev.namespace !== p.namespace) return false;
  const conditions = (ev.object.status?.conditions ?? []) as Condition[];
  return conditions.some((c) => c.type === p.type && c.status === p.status);
}

/** Matches a write's component (`autoscaler/autoscaler-abc12`) against a scenario name (`autoscaler`). */
export function componentMatches(written: string, wanted: string): boolean {
  return written === wanted || written.startsWith(`${wanted}/`);
}

export class TriggerWatcher {
  readonly #sim: Simulation;
  readonly #conditions: { p: Extract<Predicate, { kind: 'condition' }>; fire: () => void; done: boolean }[] = [];
  readonly #writes: { p: Extract<Predicate, { kind: 'nth-write' }>; fire: () => void; done: boolean; count: number }[] = [];
  readonly #replicas: { p: Extract<Predicate, { kind: 'replicas' }>; fire: () => void; done: boolean }[] = [];

  constructor(sim: Simulation, recorder: HistoryRecorder) {
    this.#sim = sim;
    recorder.listen({
      object: (ev) => this.#onObject(ev),
      write: (ev) => this.#onWrite(ev),
      sample: (samples) => this.#onSample(samples),
    });
  }

  /** Calls `fire` once, when `trigger` holds. `label` names the event in the trace. */
  arm(trigger: Trigger, label: string, fire: () => void): void {
    if ('at' in trigger) {
      this.#sim.at(Math.max(trigger.at, this.#sim.nowMs), fire, label);
      return;
    }
    const later = (): void => void this.#sim.schedule(trigger.afterMs, fire, label);
    const p = trigger.when;
    switch (p.kind) {
      case 'condition': this.#conditions.push({ p, fire: later, done: false }); break;
      case 'nth-write': this.#writes.push({ p, fire: later, done: false, count: 0 }); break;
      case 'replicas': this.#replicas.push({ p, fire: later, done: false }); break;
    }
  }

  #onObject(ev: ObjectEvent): void {
    for (const w of this.#conditions) {
      if (!w.done && conditionHolds(w.p, ev)) {
        w.done = true;
        w.fire();
      }
    }
  }

  #onWrite(ev: WriteEvent): void {
    for (const w of this.#writes) {
      if (w.done || ev.kind !== w.p.objectKind || !componentMatches(ev.component, w.p.component)) continue;
      if (w.p.verbs !== undefined && !w.p.verbs.includes(ev.verb)) continue;
      if (ev.code >= 300) continue;
      if (++w.count >= w.p.n) {
        w.done = true;
        w.fire();
      }
    }
  }

  #onSample(samples: readonly RevisionSample[]): void {
    for (const w of this.#replicas) {
      if (w.done) continue;
      const hit = samples.some((s) =>
        (w.p.revision === undefined || s.revision === w.p.revision) &&
        (w.p.namespace === undefined || s.namespace === w.p.namespace) &&
        compare(w.p.of === 'readyPods' ? s.readyPods : s.replicas, w.p.op, w.p.value));
      if (hit) {
        w.done = true;
        w.fire();
      }
    }
  }
}
