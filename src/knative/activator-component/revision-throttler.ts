// One revision's throttler in the activator (knative/serving pkg/activator/net/throttler.go
// revisionThrottler), in event form. A request asks for capacity (try): the revision breaker
// grants a slot, queues the request, or refuses it (queue full); with a slot, the load-balancing
// policy picks a pod among the trackers assigned to this activator and the request proceeds to it;
// when it is done, the pod's reservation and the breaker slot are released and the next waiter
// goes. If no pod can take it (capacity and trackers raced), the request gives its slot back and
// tries again ("reenqueue"); upstream loops at once, here it retries 1 ms later so a persistent
// mismatch cannot stall virtual time.
// Updates: handleUpdate (the healthy pods from the revision backends) rebuilds the trackers
// (reusing those of pods still there), handlePubEpsUpdate (the public Endpoints) learns this
// activator's index and count; both recompute the assigned slice and the breaker's capacity, which
// releases waiters when it grows (updateCapacity).
// Pod addressing only: the private ClusterIP fallback is not modelled (see revision-watcher.ts).

import type { Timer } from '../../sim/simulation.js';
import {
  activatorAssignment, PodTracker, revisionThrottlerParts, updateCapacity,
  type Choose, type LbPick, type LbPolicy, type LbPolicyName,
} from '../activator/index.js';
import { sortGoStrings } from '../hash/go-string-order.js';
import type { EndpointSubset } from '../kpa/endpoints-types.js';
import type { RevisionBreaker } from '../queue/breaker.js';

/** Delay before a request that got a slot but no pod tries again. */
export const REENQUEUE_DELAY_MS = 1;

/** The capacity a proceeding request holds (the pod's and the breaker's). */
export interface ThrottleSlot {
  /** The proxying is over: give the capacity back (later calls do nothing). */
  release(): void;
}

export interface ThrottledRequest {
  /** Capacity was found on `dest`; release `slot` exactly when the proxying is over. */
  proceed(dest: string, slot: ThrottleSlot): void;
  /** The breaker turned the request away. */
  reject(reason: string): void;
}

export interface ThrottleTicket {
  /** The request's context ended: leave the queue (a request already proceeding calls its `done`). */
  cancel(): void;
}

export interface RevisionThrottlerOptions {
  key: string;
  containerConcurrency: number;
  /** The revision's port name on its services ('http', or 'http2' for h2c). */
  portName: string;
  choose: Choose;
  schedule: (delayMs: number, run: () => void, label: string) => Timer;
  cancel: (timer: Timer | undefined) => void;
}

type WaiterState = 'new' | 'queued' | 'retry' | 'running' | 'over';

/** One request's passage through the throttler; it is also the request's ticket and, once it runs, its slot. */
class Waiter implements ThrottleTicket, ThrottleSlot {
  state: WaiterState = 'new';
  timer: Timer | undefined;
  /** The pod picked for the request while it runs. */
  pick: LbPick | undefined;
  constructor(
    readonly throttler: RevisionThrottler,
    readonly req: ThrottledRequest,
  ) {}

  cancel(): void {
    this.throttler.cancelWaiter(this);
  }

  release(): void {
    const pick = this.pick;
    if (pick === undefined) return;
    this.pick = undefined;
    this.state = 'over';
    pick.release();
    this.throttler.releaseSlot();
  }
}

export class RevisionThrottler {
  readonly key: string;
  readonly containerConcurrency: number;
  readonly breaker: RevisionBreaker<Waiter>;
  readonly policyName: LbPolicyName;
  readonly #policy: LbPolicy;
  readonly #options: RevisionThrottlerOptions;
  #trackers: PodTracker[] = [];
  #assigned: PodTracker[] = [];
  #numActivators = 0;
  #activatorIndex = -1;
  #backendCount = 0;

  constructor(options: RevisionThrottlerOptions) {
    this.#options = options;
    this.key = options.key;
    this.containerConcurrency = options.containerConcurrency;
    const parts = revisionThrottlerParts<Waiter>({ containerConcurrency: options.containerConcurrency, choose: options.choose });
    this.breaker = parts.breaker;
    this.#policy = parts.policy;
    this.policyName = parts.policyName;
  }

  get trackers(): readonly PodTracker[] {
    return this.#trackers;
  }

  /** The trackers this activator sends to (assignSlice). */
  get assigned(): readonly PodTracker[] {
    return this.#assigned;
  }

  get capacity(): number {
    return this.breaker.capacity;
  }

  get activatorIndex(): number {
    return this.#activatorIndex;
  }

  get numActivators(): number {
    return this.#numActivators;
  }

  try(req: ThrottledRequest): ThrottleTicket {
    const w = new Waiter(this, req);
    this.#attempt(w);
    return w;
  }

  /** The healthy dests (`ip:port`) of the revision; empty when it has none. */
  handleUpdate(dests: Iterable<string>): void {
    const sorted = sortGoStrings(new Set(dests));
    const existing = new Map(this.#trackers.map((t) => [t.dest, t]));
    const cc = this.containerConcurrency;
    this.#trackers = sorted.map((dest) => existing.get(dest) ?? new PodTracker({ dest, containerConcurrency: cc }));
    this.#updateCapacity(this.#trackers.length > 0 ? sorted.length : 0);
  }

  /** The revision's public Endpoints changed: maybe a new index or activator count. */
  handlePubEpsUpdate(subsets: readonly EndpointSubset[] | undefined, selfIp: string): void {
    const next = activatorAssignment({
      publicSubsets: subsets, portName: this.#options.portName, selfIp,
      current: { numActivators: this.#numActivators, activatorIndex: this.#activatorIndex },
    });
    if (next === undefined) return;
    this.#numActivators = next.numActivators;
    this.#activatorIndex = next.activatorIndex;
    this.#updateCapacity(this.#backendCount);
  }

  #updateCapacity(backendCount: number): void {
    const cc = this.containerConcurrency;
    if (cc > 0) for (const t of this.#trackers) t.updateConcurrency(cc);
    const { assigned, capacity } = updateCapacity({
      containerConcurrency: cc, sortedTrackers: this.#trackers, usingClusterIp: false, backendCount,
      activatorIndex: this.#activatorIndex, numActivators: this.#numActivators,
    });
    this.#assigned = assigned;
    this.#backendCount = backendCount;
    for (const w of this.breaker.updateConcurrency(capacity)) this.#dispatch(w);
  }

  #attempt(w: Waiter): void {
    const result = this.breaker.tryAcquire(w);
    if (result === 'granted') return this.#dispatch(w);
    if (result === 'queued') {
      w.state = 'queued';
      return;
    }
    w.state = 'over';
    w.req.reject('pending request queue full');
  }

  /** The waiter holds a breaker slot: pick a pod, or give the slot back and retry. */
  #dispatch(w: Waiter): void {
    const pick = this.#policy(this.#assigned);
    if (pick === undefined) {
      w.state = 'retry';
      this.releaseSlot();
      w.timer = this.#options.schedule(REENQUEUE_DELAY_MS, () => {
        w.timer = undefined;
        if (w.state === 'retry') this.#attempt(w);
      }, 'activator-reenqueue');
      return;
    }
    w.state = 'running';
    w.pick = pick;
    w.req.proceed(pick.tracker.dest, w);
  }

  /** @internal A breaker slot is given back (the waiter's own, or a running request's release). */
  releaseSlot(): void {
    const next = this.breaker.release();
    if (next !== undefined) this.#dispatch(next);
  }

  /** @internal The request's context ended (Waiter.cancel). */
  cancelWaiter(w: Waiter): void {
    if (w.state === 'queued') this.breaker.cancel(w);
    if (w.state === 'retry') this.#options.cancel(w.timer);
    if (w.state === 'queued' || w.state === 'retry' || w.state === 'new') w.state = 'over';
  }
}
