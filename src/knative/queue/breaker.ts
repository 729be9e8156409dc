// queue.Breaker as a discrete-event structure (knative/serving pkg/queue/breaker.go). Upstream,
// `Maybe` blocks a goroutine on a semaphore; here a caller hands in a waiter token and is told
// whether it holds a slot now ('granted'), waits for one ('queued') or is turned away ('rejected',
// upstream's ErrRequestQueueFull). Freeing a slot or raising the capacity hands slots to waiters,
// and the caller resumes them.
//
// Upstream accounting: `totalSlots = QueueDepth + MaxConcurrency` bounds executing + waiting
// requests; the semaphore bounds executing ones by the current capacity. A release wakes a waiter
// only while executing < capacity, so lowering the capacity drains the excess before anyone new
// runs.
//
// Modelling choice: waiters are admitted first-in first-out. Upstream wakes waiters through a
// buffered channel and gives no order guarantee; FIFO is the deterministic approximation.

/** queue.MaxBreakerCapacity (math.MaxInt32). */
export const MAX_BREAKER_CAPACITY = 2147483647;

export interface BreakerOptions {
  /** Waiting room beyond MaxConcurrency; must be > 0. */
  queueDepth: number;
  /** The largest capacity the breaker was built for; ≥ 0. */
  maxConcurrency: number;
  /** Capacity at construction, in [0, maxConcurrency]. */
  initialCapacity: number;
}

export type AcquireResult = 'granted' | 'queued' | 'rejected';

/** What the activator's throttler needs from a revision breaker (queue.Breaker or the infinite one). */
export interface RevisionBreaker<W> {
  readonly capacity: number;
  /** Waiters queued for capacity. */
  readonly pending: number;
  tryAcquire(waiter: W): AcquireResult;
  release(): W | undefined;
  cancel(waiter: W): boolean;
  reserve(): boolean;
  updateConcurrency(size: number): W[];
}

function validate(options: BreakerOptions): void {
  const { queueDepth, maxConcurrency, initialCapacity } = options;
  if (!(queueDepth > 0)) throw new RangeError(`Queue depth must be greater than 0. Got ${queueDepth}.`);
  if (!(maxConcurrency >= 0)) throw new RangeError(`Max concurrency must be 0 or greater. Got ${maxConcurrency}.`);
  if (!(initialCapacity >= 0 && initialCapacity <= maxConcurrency)) {
    throw new RangeError(`Initial capacity must be between 0 and max concurrency. Got ${initialCapacity}.`);
  }
}

export class Breaker<W = unknown> implements RevisionBreaker<W> {
  readonly #totalSlots: number;
  #capacity: number;
  #inFlight = 0;
  readonly #waiters: W[] = [];

  constructor(options: BreakerOptions) {
    validate(options);
    this.#totalSlots = options.queueDepth + options.maxConcurrency;
    this.#capacity = options.initialCapacity;
  }

  /** Allowed executing requests (Breaker.Capacity). */
  get capacity(): number {
    return this.#capacity;
  }

  /** Requests holding a slot: admitted by tryAcquire or release, or reserved. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Requests waiting for a slot. */
  get pending(): number {
    return this.#waiters.length;
  }

  /** Upstream's Breaker.InFlight(): executing plus waiting, the figure bounded by QueueDepth + MaxConcurrency. */
  get slotsTaken(): number {
    return this.#inFlight + this.#waiters.length;
  }

  /** Breaker.Maybe up to the point where it would block. */
  tryAcquire(waiter: W): AcquireResult {
    if (this.slotsTaken >= this.#totalSlots) return 'rejected';
    if (this.#inFlight < this.#capacity) {
      this.#inFlight++;
      return 'granted';
    }
    this.#waiters.push(waiter);
    return 'queued';
  }

  /** Breaker.Reserve: take a slot only if one is free now; never queues. */
  reserve(): boolean {
    if (this.slotsTaken >= this.#totalSlots || this.#inFlight >= this.#capacity) return false;
    this.#inFlight++;
    return true;
  }

  /** Frees a slot (end of a Maybe thunk, or a reservation's release); returns the waiter it admits. */
  release(): W | undefined {
    if (this.#inFlight === 0) throw new Error('release and acquire are not paired');
    this.#inFlight--;
    return this.#admitOne();
  }

  /** A queued waiter whose context ended leaves the queue. False if it was not waiting. */
  cancel(waiter: W): boolean {
    const i = this.#waiters.indexOf(waiter);
    if (i < 0) return false;
    this.#waiters.splice(i, 1);
    return true;
  }

  /** Breaker.UpdateConcurrency; returns the waiters admitted by a larger capacity, in order. */
  updateConcurrency(size: number): W[] {
    if (!(size >= 0) || !Number.isInteger(size)) throw new RangeError(`capacity must be a non-negative integer, got ${size}`);
    this.#capacity = size;
    const admitted: W[] = [];
    for (let w = this.#admitOne(); w !== undefined; w = this.#admitOne()) admitted.push(w);
    return admitted;
  }

  #admitOne(): W | undefined {
    if (this.#inFlight >= this.#capacity || this.#waiters.length === 0) return undefined;
    this.#inFlight++;
    return this.#waiters.shift();
  }
}
