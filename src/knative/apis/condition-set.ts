// Knative conditions (knative.dev/pkg apis/condition_set.go, condition_types.go): a set has a happy
// condition (Ready) and dependents; marking a dependent False or Unknown carries its reason and
// message to the happy condition; marking any condition True recomputes the happy condition from
// the most recently changed unhappy dependent, or makes it True when there is none
// (recomputeHappiness).
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
  /** The order in which this manager set conditions: upstream's in-memory times tell them apart. */
  readonly #setOrder = new Map<string, number>();
  /** formatSimTime(#nowMs), formatted on first use. */
  #nowText: string | undefined;

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
    const cond: Condition = { type: next.type, status: next.status, severity, lastTransitionTime: (this.#nowText ??= formatSimTime(this.#nowMs)) };
    if (next.reason) cond.reason = next.reason;
    if (next.message) cond.message = next.message;
    this.#setOrder.set(next.type, this.#setOrder.size + 1);
    const rest = list.filter((c) => c.type !== next.type);
    rest.push(cond);
    rest.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    this.#status.conditions = rest;
  }

  markTrue(type: string): void {
    this.set({ type, status: 'True' });
    this.#recomputeHappiness(type);
  }

  /** MarkTrueWithReason: True, with a reason and message (happy rules as markTrue). */
  markTrueWithReason(type: string, reason: string, message: string): void {
    this.set({ type, status: 'True', reason, message });
    this.#recomputeHappiness(type);
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

  /**
   * recomputeHappiness: the happy condition takes the status, reason and message of the most
   * recently changed unhappy dependent (False before Unknown); with none, it turns True (unless
   * `type` is the happy condition itself). A dependent that is missing counts as Unknown.
   */
  #recomputeHappiness(type: string): void {
    const unhappy = this.#findUnhappyDependent();
    if (unhappy !== undefined) {
      this.set({ type: this.#spec.happy, status: unhappy.status, reason: unhappy.reason, message: unhappy.message });
    } else if (type !== this.#spec.happy) {
      this.set({ type: this.#spec.happy, status: 'True' });
    }
  }

  #findUnhappyDependent(): Pick<Condition, 'status' | 'reason' | 'message'> | undefined {
    if (this.#spec.dependents.length === 0) return undefined;
    // The most recent False dependent, else the most recent Unknown one (the first in list order
    // among equally recent ones). The second-precision stamps tie within a reconcile, so conditions
    // this manager set later count as more recent, as upstream's finer clock would order them.
    let present = 0;
    let falseHit: Condition | undefined;
    let falseTimeMs = 0;
    let falseOrder = 0;
    let unknownHit: Condition | undefined;
    let unknownTimeMs = 0;
    let unknownOrder = 0;
    for (const c of this.#status.conditions ?? []) {
      if (!this.#isDependent(c.type)) continue;
      present++;
      if (c.status !== 'False' && c.status !== 'Unknown') continue;
      const timeMs = transitionTimeMs(c) ?? 0;
      const order = this.#setOrder.get(c.type) ?? 0;
      if (c.status === 'False') {
        if (falseHit === undefined || timeMs > falseTimeMs || (timeMs === falseTimeMs && order > falseOrder)) {
          falseHit = c;
          falseTimeMs = timeMs;
          falseOrder = order;
        }
      } else if (unknownHit === undefined || timeMs > unknownTimeMs || (timeMs === unknownTimeMs && order > unknownOrder)) {
        unknownHit = c;
        unknownTimeMs = timeMs;
        unknownOrder = order;
      }
    }
    const found = falseHit ?? unknownHit;
    if (found !== undefined) return found;
    if (present < this.#spec.dependents.length) return { status: 'Unknown' };
    return undefined;
  }

  #isDependent(type: string): boolean {
    return this.#spec.dependents.includes(type);
  }

  #severity(type: string): '' | 'Info' {
    return type === this.#spec.happy || this.#isDependent(type) ? '' : 'Info';
  }
}
