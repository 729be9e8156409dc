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
 * Cancelled events tolerated in the heap before a rebuild is considered (it also needs them to be
 * the majority). Small, so that the heap the hot loop sifts through stays shallow; the rebuild is
 * O(n log n) for n at most twice the cancelled count, so its amortised cost per cancel is O(log n).
 */
const COMPACT_MIN_CANCELLED = 128;

export class EventQueue {
  #heap: SimEvent[] = [];
  #seq = 0;
  #live = 0;
  #cancelledInHeap = 0;

  /** Number of scheduled events that are not cancelled. */
  get size(): number {
    return this.#live;
  }

  push(atMs: number, run: EventAction, label: string): SimEvent {
    const ev: SimEvent = { atMs, seq: this.#seq++, run, label };
    this.#live++;
    const heap = this.#heap;
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
    return ev;
  }

  /** Re-inserts an event popped earlier (tie-breaking puts back the ones not chosen). */
  reinsert(ev: SimEvent): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(ev);
    this.#live++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (p.atMs < ev.atMs || (p.atMs === ev.atMs && p.seq < ev.seq)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = ev;
  }

  cancel(ev: SimEvent): void {
    if (ev.run !== null) {
      ev.run = null;
      this.#live--;
      // Cancelled events stay in the heap until they surface (lazy deletion). Long timers that are
      // almost always cancelled (request timeouts) would pile up and keep their closures alive, so
      // once they are the majority the heap is rebuilt from the live events. The order of events is
      // a total order on (atMs, seq), so a rebuild never changes what runs when.
      if (++this.#cancelledInHeap > COMPACT_MIN_CANCELLED && this.#cancelledInHeap * 2 > this.#heap.length) this.#compact();
    }
  }

  #compact(): void {
    const live = this.#heap.filter((e) => e.run !== null);
    live.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
    this.#heap = live;
    this.#cancelledInHeap = 0;
  }

  /** The earliest live event, without removing it. */
  peek(): SimEvent | undefined {
    this.#dropCancelled();
    return this.#heap[0];
  }

  /** Removes and returns the earliest live event. */
  pop(): SimEvent | undefined {
    this.#dropCancelled();
    const ev = this.#removeTop();
    if (ev !== undefined) this.#live--;
    return ev;
  }

  #dropCancelled(): void {
    while (this.#heap.length > 0 && this.#heap[0].run === null) {
      this.#removeTop();
      this.#cancelledInHeap--;
    }
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
