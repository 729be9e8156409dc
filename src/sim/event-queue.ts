// The simulation's future: a binary min-heap of events ordered by (atMs, seq). `seq` is a
// monotonic insertion counter, so two events at the same virtual millisecond run in the order they
// were scheduled unless the chooser is asked to break the tie (FoundationDB's sim2 orders its task
// queue the same way: time, then a stable counter).

/**
 * An object an event can run instead of a function: a per-request object that schedules itself
 * (`fire` is called with the object as `this`) costs no closure per event.
 */
export interface Fireable {
  fire(): void;
}

/** What an event runs: a function, or an object's `fire`. */
export type EventAction = (() => void) | Fireable;

export interface SimEvent {
  readonly atMs: number;
  readonly seq: number;
  /** What runs. Cleared when the event is cancelled (lazy deletion). */
  run: EventAction | null;
  /** Short label for traces and tie-breaking; '' when not traced. */
  readonly label: string;
}

/**
 * Cancelled events tolerated in the queue before a rebuild is considered (it also needs them to be
 * the majority). Small, so that the heap the hot loop sifts through stays shallow; the rebuild is
 * O(n log n) for n at most twice the cancelled count, so its amortised cost per cancel is O(log n).
 */
const COMPACT_MIN_CANCELLED = 128;

/**
 * A first-in first-out run of events that are all due at the same millisecond: pushed in seq
 * order, so already sorted. A ring buffer, so that a run drained and refilled allocates nothing.
 */
class Run {
  #slots: (SimEvent | undefined)[] = Array.from({ length: 16 }, () => undefined);
  #head = 0;
  #count = 0;

  push(ev: SimEvent): void {
    if (this.#count === this.#slots.length) this.#grow();
    this.#slots[(this.#head + this.#count) & (this.#slots.length - 1)] = ev;
    this.#count++;
  }

  get isEmpty(): boolean {
    return this.#count === 0;
  }

  /** The first event not yet taken (maybe cancelled), or undefined. */
  front(): SimEvent | undefined {
    return this.#count > 0 ? this.#slots[this.#head] : undefined;
  }

  shift(): void {
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#slots.length - 1);
    this.#count--;
  }

  /** Drops cancelled events at the front; returns how many. */
  dropCancelled(): number {
    let n = 0;
    while (this.#count > 0 && this.#slots[this.#head]!.run === null) {
      this.shift();
      n++;
    }
    return n;
  }

  /** Keeps the live events, in order. */
  compact(): void {
    const live: SimEvent[] = [];
    while (this.#count > 0) {
      const ev = this.#slots[this.#head]!;
      this.shift();
      if (ev.run !== null) live.push(ev);
    }
    for (const ev of live) this.push(ev);
  }

  #grow(): void {
    const slots = this.#slots;
    const grown: (SimEvent | undefined)[] = Array.from({ length: slots.length * 2 }, () => undefined);
    for (let i = 0; i < this.#count; i++) grown[i] = slots[(this.#head + i) & (slots.length - 1)];
    this.#slots = grown;
    this.#head = 0;
  }
}

/**
 * Most events are due now or in the next millisecond (the data plane's 0–1 ms hops, immediate
 * deliveries): those skip the heap. An event due at the queue's base millisecond (the time of the
 * last event popped) joins the `#now` run, one due a millisecond later the `#soon` run; as every
 * push gets a larger seq than any before it, each run is sorted by (atMs, seq) just by appending.
 * `pop` takes the least of the heap's top and the two runs' fronts, so the order is the same total
 * order on (atMs, seq) as a heap alone. When the base moves on by one millisecond the `#now` run is
 * drained and `#soon` takes its place; by more, both are drained.
 */
export class EventQueue {
  #heap: SimEvent[] = [];
  #now = new Run();
  #soon = new Run();
  /** The millisecond of the last event popped (the runs are relative to it). */
  #baseMs = 0;
  #seq = 0;
  #live = 0;
  /** Cancelled events still held (in the heap or the runs). */
  #cancelled = 0;

  /** Number of scheduled events that are not cancelled. */
  get size(): number {
    return this.#live;
  }

  push(atMs: number, run: EventAction, label: string): SimEvent {
    const ev: SimEvent = { atMs, seq: this.#seq++, run, label };
    this.#live++;
    if (atMs === this.#baseMs) this.#now.push(ev);
    else if (atMs === this.#baseMs + 1) this.#soon.push(ev);
    else this.#heapPush(ev);
    return ev;
  }

  /** Re-inserts an event popped earlier (tie-breaking puts back the ones not chosen). */
  reinsert(ev: SimEvent): void {
    this.#live++;
    this.#heapPush(ev);
  }

  #heapPush(ev: SimEvent): void {
    const heap = this.#heap;
    const atMs = ev.atMs;
    let i = heap.length;
    heap.push(ev);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (p.atMs < atMs || (p.atMs === atMs && p.seq < ev.seq)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = ev;
  }

  cancel(ev: SimEvent): void {
    if (ev.run !== null) {
      ev.run = null;
      this.#live--;
      // Cancelled events stay where they are until they surface (lazy deletion). Long timers that
      // are almost always cancelled (request timeouts) would pile up and keep their closures alive,
      // so once they are the majority the queue is rebuilt from the live events. The order of
      // events is a total order on (atMs, seq), so a rebuild never changes what runs when.
      if (++this.#cancelled > COMPACT_MIN_CANCELLED && this.#cancelled > this.#live) this.#compact();
    }
  }

  #compact(): void {
    const live = this.#heap.filter((e) => e.run !== null);
    live.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    this.#heap = live;
    this.#now.compact();
    this.#soon.compact();
    this.#cancelled = 0;
  }

  /** The earliest live event, without removing it. */
  peek(): SimEvent | undefined {
    const source = this.#earliest();
    return source === HEAP ? this.#heap[0] : source === NOW ? this.#now.front() : source === SOON ? this.#soon.front() : undefined;
  }

  /** Removes and returns the earliest live event. */
  pop(): SimEvent | undefined {
    return this.popDue(Infinity);
  }

  /** Removes and returns the earliest live event if it is due at or before `untilMs`. */
  popDue(untilMs: number): SimEvent | undefined {
    const source = this.#earliest();
    let ev: SimEvent;
    if (source === HEAP) {
      ev = this.#heap[0];
      if (ev.atMs > untilMs) return undefined;
      this.#removeTop();
    } else if (source === NOW) {
      ev = this.#now.front()!;
      if (ev.atMs > untilMs) return undefined;
      this.#now.shift();
    } else if (source === SOON) {
      ev = this.#soon.front()!;
      if (ev.atMs > untilMs) return undefined;
      this.#soon.shift();
    } else return undefined;
    this.#live--;
    const atMs = ev.atMs;
    if (atMs > this.#baseMs) this.#moveBase(atMs);
    return ev;
  }

  /**
   * The clock moved on to `atMs`: what was `#soon` is now due. Both runs are empty here when they
   * are not taken over: `#earliest` leaves a run either empty or with a live front, and a live
   * event due before `atMs` would have been popped first.
   */
  #moveBase(atMs: number): void {
    if (atMs === this.#baseMs + 1) {
      const now = this.#now;
      this.#now = this.#soon;
      this.#soon = now;
    }
    this.#baseMs = atMs;
  }

  /** Which holds the earliest live event (cancelled ones at the fronts are dropped on the way). */
  #earliest(): Source {
    const heap = this.#heap;
    while (heap.length > 0 && heap[0].run === null) {
      this.#removeTop();
      this.#cancelled--;
    }
    if (this.#now.isEmpty && this.#soon.isEmpty) return heap.length > 0 ? HEAP : NONE;
    this.#cancelled -= this.#now.dropCancelled() + this.#soon.dropCancelled();
    let best: SimEvent | undefined = heap[0];
    let source: Source = best === undefined ? NONE : HEAP;
    const n = this.#now.front();
    if (n !== undefined && (best === undefined || n.atMs < best.atMs || (n.atMs === best.atMs && n.seq < best.seq))) {
      best = n;
      source = NOW;
    }
    const s = this.#soon.front();
    if (s !== undefined && (best === undefined || s.atMs < best.atMs || (s.atMs === best.atMs && s.seq < best.seq))) source = SOON;
    return source;
  }

  #removeTop(): SimEvent | undefined {
    const heap = this.#heap;
    const n = heap.length;
    if (n === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (n === 1) return top;
    const size = n - 1;
    let i = 0;
    while (true) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      let c = l;
      let child = heap[l];
      if (r < size) {
        const rc = heap[r];
        if (rc.atMs < child.atMs || (rc.atMs === child.atMs && rc.seq < child.seq)) {
          c = r;
          child = rc;
        }
      }
      if (last.atMs < child.atMs || (last.atMs === child.atMs && last.seq < child.seq)) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = last;
    return top;
  }
}

const NONE = 0;
const HEAP = 1;
const NOW = 2;
const SOON = 3;
type Source = typeof NONE | typeof HEAP | typeof NOW | typeof SOON;
