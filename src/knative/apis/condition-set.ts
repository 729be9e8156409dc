// Knative conditions (knative.dev/pkg apis/condition_set.go, condition_types.go): a set has a happy
// condition (Ready) and dependents; marking a dependent False or Unknown carries its reason and
// message to the happy condition, marking every dependent True makes the happy condition True.
// Conditions that are not in the set have severity Info and affect nothing. A condition's
// lastTransitionTime moves only when its status, reason or message changes. Conditions are kept
// sorted by type, as upstream's SetCondition does. Times are written at one-second precision, as
// the API server stores metav1 times (upstream's in-memory value has more, but every reconcile
// reads it back from the informer).

import { formatSimTime, parseSimTime } from '../../sim/time-format.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  severity?: 'Error' | 'Warning' | 'Info' | '';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ConditionSetSpec {
  happy: string;
  dependents: readonly string[];
}

/** The transition time of a condition in virtual ms (undefined if absent). */
export function transitionTimeMs(c: Condition | undefined): number | undefined {
  return c?.lastTransitionTime ? parseSimTime(c.lastTransitionTime) : undefined;
}

/** Operates on a mutable `status.conditions` array (the caller owns a deep copy of the status). */
export class ConditionManager {
  readonly #spec: ConditionSetSpec;
  readonly #status: { conditions?: Condition[] };
  readonly #nowMs: number;

  constructor(spec: ConditionSetSpec, status: { conditions?: Condition[] }, nowMs: number) {
    this.#spec = spec;
    this.#status = status;
    this.#nowMs = nowMs;
  }

  get(type: string): Condition | undefined {
    return this.#status.conditions?.find((c) => c.type === type);
  }

  isHappy(): boolean {
    return this.get(this.#spec.happy)?.status === 'True';
  }

  /** InitializeConditions: the happy condition Unknown if absent; dependents too unless already happy. */
  initialize(): void {
    const happy = this.get(this.#spec.happy);
    if (happy === undefined) this.set({ type: this.#spec.happy, status: 'Unknown' });
    if (this.get(this.#spec.happy)?.status === 'True') return;
    for (const t of this.#spec.dependents) if (this.get(t) === undefined) this.set({ type: t, status: 'Unknown' });
  }

  /** SetCondition: keeps the old transition time when nothing but it would change. */
  set(next: Omit<Condition, 'lastTransitionTime' | 'severity'>): void {
    const list = (this.#status.conditions ??= []);
    const severity = this.#severity(next.type);
    const old = list.find((c) => c.type === next.type);
    const same = old && old.status === next.status && (old.reason ?? '') === (next.reason ?? '') && (old.message ?? '') === (next.message ?? '') && (old.severity ?? '') === severity;
    if (same) return;
    const cond: Condition = { type: next.type, status: next.status, severity, lastTransitionTime: formatSimTime(this.#nowMs) };
    if (next.reason) cond.reason = next.reason;
    if (next.message) cond.message = next.message;
    const rest = list.filter((c) => c.type !== next.type);
    rest.push(cond);
    rest.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    this.#status.conditions = rest;
  }

  markTrue(type: string): void {
    this.set({ type, status: 'True' });
    if (!this.#isDependent(type)) return;
    if (this.#spec.dependents.every((t) => this.get(t)?.status === 'True')) this.set({ type: this.#spec.happy, status: 'True' });
  }

  /** MarkTrueWithReason: True, with a reason and message (happy rules as markTrue). */
  markTrueWithReason(type: string, reason: string, message: string): void {
    this.set({ type, status: 'True', reason, message });
    if (this.#isDependent(type) && this.#spec.dependents.every((t) => this.get(t)?.status === 'True')) {
      this.set({ type: this.#spec.happy, status: 'True' });
    }
  }

  markFalse(type: string, reason: string, message = ''): void {
    this.set({ type, status: 'False', reason, message });
    if (type === this.#spec.happy || this.#isDependent(type)) this.set({ type: this.#spec.happy, status: 'False', reason, message });
  }

  markUnknown(type: string, reason: string, message = ''): void {
    this.set({ type, status: 'Unknown', reason, message });
    let isDependent = false;
    for (const t of this.#spec.dependents) {
      if (this.get(t)?.status === 'False') {
        // Failed conditions trump Unknown ones.
        if (this.get(this.#spec.happy)?.status !== 'False') this.set({ type: this.#spec.happy, status: 'False', reason, message });
        return;
      }
      if (t === type) isDependent = true;
    }
    if (isDependent) this.set({ type: this.#spec.happy, status: 'Unknown', reason, message });
  }

  /** ClearCondition: removes a non-happy condition. */
  clear(type: string): void {
    if (type === this.#spec.happy || !this.#status.conditions) return;
    this.#status.conditions = this.#status.conditions.filter((c) => c.type !== type);
  }

  #isDependent(type: string): boolean {
    return this.#spec.dependents.includes(type);
  }

  #severity(type: string): '' | 'Info' {
    return type === this.#spec.happy || this.#isDependent(type) ? '' : 'Info';
  }
}
