// A list of things that go stale on their own (timers that ran, exchanges answered, calls over):
// appended in order and never removed one by one (no hash per item, no closure per item to remove
// it), the stale ones are dropped in a sweep whenever the list has doubled since the last one, so
// it stays within about twice the live items. The sweep compacts the array in place: the array
// keeps its capacity, so a list that fills and is swept over and over (one per server, on the data
// plane's hottest path) stops allocating once it has grown.

const MIN_SWEEP_SIZE = 64;

export class SweptList<T> {
  readonly #isLive: (item: T) => boolean;
  /** Items in [0, #length); the slots after it are cleared. */
  #items: (T | undefined)[] = [];
  #length = 0;
  #sweepAt = MIN_SWEEP_SIZE;

  /** `isLive`: whether an item still has to be kept. */
  constructor(isLive: (item: T) => boolean) {
    this.#isLive = isLive;
  }

  /** Items held, stale ones not swept yet included. */
  get length(): number {
    return this.#length;
  }

  /** Appends `item` (sweeping first if the list has doubled since the last sweep). */
  push(item: T): void {
    if (this.#length >= this.#sweepAt) this.#sweep();
    const items = this.#items;
    if (this.#length < items.length) items[this.#length] = item;
    else items.push(item);
    this.#length++;
  }

  /** The live items, in order. */
  live(): T[] {
    const out: T[] = [];
    const items = this.#items;
    for (let i = 0; i < this.#length; i++) {
      const item = items[i]!;
      if (this.#isLive(item)) out.push(item);
    }
    return out;
  }

  /** Every item held (stale ones included), in order; the list is left empty. */
  takeAll(): T[] {
    const out = this.#items.slice(0, this.#length) as T[];
    this.#items = [];
    this.#length = 0;
    this.#sweepAt = MIN_SWEEP_SIZE;
    return out;
  }

  #sweep(): void {
    const items = this.#items;
    const n = this.#length;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const item = items[i]!;
      if (this.#isLive(item)) items[kept++] = item;
    }
    for (let i = kept; i < n; i++) items[i] = undefined;
    this.#length = kept;
    this.#sweepAt = Math.max(MIN_SWEEP_SIZE, kept * 2);
  }
}
