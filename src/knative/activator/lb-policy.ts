// The activator's load-balancing policies (knative/serving pkg/activator/net/lb_policy.go) and the
// choice between them by containerConcurrency (throttler.go newRevisionThrottler):
//
// - CC 0: power of two choices on the trackers' in-flight weight, with the infinite breaker;
// - CC 1–3: first available — the first tracker, in the given (sorted) order, that can Reserve;
// - CC > 3: round robin — like first available, but starting after the previous pick.
//
// A policy returns the picked tracker and the callback that undoes the pick when the request is
// done, or undefined when no tracker can take the request now (the throttler then re-enqueues).
// Randomness is injected: `choose(n)` returns an index in [0, n), drawn from the simulation's
// chooser.

import type { RevisionBreaker } from '../queue/breaker.js';
import { Breaker, MAX_BREAKER_CAPACITY } from '../queue/breaker.js';
import { InfiniteBreaker } from './infinite-breaker.js';
import { BREAKER_QUEUE_DEPTH, type PodTracker } from './pod-tracker.js';

export interface LbPick {
  tracker: PodTracker;
  release(): void;
}

export type LbPolicy = (targets: readonly PodTracker[]) => LbPick | undefined;

export type Choose = (n: number) => number;

export type LbPolicyName = 'power-of-two-choices' | 'first-available' | 'round-robin';

/** A pick holding a reservation on the tracker's breaker (one object, no closure: one per request). */
class ReservedPick implements LbPick {
  constructor(readonly tracker: PodTracker) {}

  release(): void {
    this.tracker.releaseReservation();
  }
}

/** A pick holding one unit of the tracker's weight. */
class WeightedPick implements LbPick {
  constructor(readonly tracker: PodTracker) {}

  release(): void {
    this.tracker.decreaseWeight();
  }
}

function reserved(tracker: PodTracker): LbPick | undefined {
  if (!tracker.reserve()) return undefined;
  return new ReservedPick(tracker);
}

function weighted(tracker: PodTracker): LbPick {
  tracker.increaseWeight();
  return new WeightedPick(tracker);
}

/** firstAvailableLBPolicy. */
export function firstAvailable(targets: readonly PodTracker[]): LbPick | undefined {
  for (const t of targets) {
    const pick = reserved(t);
    if (pick) return pick;
  }
  return undefined;
}

/** newRoundRobinPolicy: the cursor is the index after the last pick, reset to 0 if the list shrank below it. */
export class RoundRobinPolicy {
  #cursor = 0;

  get cursor(): number {
    return this.#cursor;
  }

  readonly pick: LbPolicy = (targets) => {
    const l = targets.length;
    if (this.#cursor >= l) this.#cursor = 0;
    for (let i = 0; i < l; i++) {
      const p = (this.#cursor + i) % l;
      const pick = reserved(targets[p]);
      if (pick) {
        this.#cursor = p + 1;
        return pick;
      }
    }
    return undefined;
  };
}

/**
 * randomChoice2Policy: two distinct random trackers (both, when there are two; the only one, when
 * one), the lighter one wins, a tie is a coin flip. Upstream indexes out of range on an empty list;
 * here it picks nothing.
 */
export function powerOfTwoChoices(choose: Choose): LbPolicy {
  return (targets) => {
    const l = targets.length;
    if (l === 0) return undefined;
    if (l === 1) return weighted(targets[0]);
    let r1 = 0;
    let r2 = 1;
    if (l > 2) {
      r1 = choose(l);
      r2 = choose(l - 1);
      if (r2 >= r1) r2++;
    }
    let pick = targets[r1];
    const alt = targets[r2];
    if (pick.weight > alt.weight) pick = alt;
    else if (pick.weight === alt.weight && choose(2) === 0) pick = alt;
    return weighted(pick);
  };
}

export interface RevisionThrottlerParts<W> {
  breaker: RevisionBreaker<W>;
  policy: LbPolicy;
  policyName: LbPolicyName;
}

/** newRevisionThrottler's switch on CC; the revision breaker starts at capacity 0. */
export function revisionThrottlerParts<W>(options: { containerConcurrency: number; choose: Choose }): RevisionThrottlerParts<W> {
  const cc = options.containerConcurrency;
  if (cc === 0) return { breaker: new InfiniteBreaker<W>(), policy: powerOfTwoChoices(options.choose), policyName: 'power-of-two-choices' };
  const breaker = new Breaker<W>({ queueDepth: BREAKER_QUEUE_DEPTH, maxConcurrency: MAX_BREAKER_CAPACITY, initialCapacity: 0 });
  if (cc <= 3) return { breaker, policy: firstAvailable, policyName: 'first-available' };
  return { breaker, policy: new RoundRobinPolicy().pick, policyName: 'round-robin' };
}
