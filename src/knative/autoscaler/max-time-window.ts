// The sliding-window maximum behind scale-down-delay: knative/serving
// pkg/autoscaler/aggregation/max/window.go (a ring buffer of descending maxima over bucket
// indices) and max/timewindow.go (indices = whole Unix seconds / granularity seconds).

interface Entry {
  value: number;
  index: number;
}

/** The maximum of the values recorded over the last `size` indices. */
export class MaxWindow {
  readonly #maxima: Entry[];
  #first = 0;
  #length = 0;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`window size must be a positive integer, was ${size}`);
    this.#maxima = Array.from({ length: size }, () => ({ value: 0, index: 0 }));
  }

  #at(i: number): Entry {
    return this.#maxima[i % this.#maxima.length];
  }

  /** Records `value` at `index` (indices must not go backwards). */
  record(index: number, value: number): void {
    const size = this.#maxima.length;
    let v = value;
    // Values no larger than the new one can never be the maximum again.
    while (this.#length > 0 && v >= this.#at(this.#first + this.#length - 1).value) this.#length -= 1;
    // Drop maxima that slid out of the window.
    while (this.#length > 0 && index - this.#maxima[this.#first].index >= size) {
      this.#length -= 1;
      this.#first = (this.#first + 1) % size;
    }
    // The same index keeps the larger of its values.
    if (this.#length > 0) {
      const last = this.#at(this.#first + this.#length - 1);
      if (last.index === index) {
        v = Math.max(v, last.value);
        this.#length -= 1;
      }
    }
    this.#maxima[(this.#first + this.#length) % size] = { index, value: v };
    this.#length += 1;
  }

  /** The current maximum (0 before anything was recorded). */
  current(): number {
    return this.#maxima[this.#first].value;
  }
}

export interface MaxTimeWindowOptions {
  durationMs: number;
  granularityMs: number;
}

/** A MaxWindow over time: ceil(duration / granularity) buckets of `granularity` each. */
export class MaxTimeWindow {
  readonly #window: MaxWindow;
  readonly #granularityS: number;

  constructor(options: MaxTimeWindowOptions) {
    this.#window = new MaxWindow(Math.ceil(options.durationMs / options.granularityMs));
    this.#granularityS = Math.trunc(options.granularityMs / 1000);
  }

  record(nowMs: number, value: number): void {
    const unixSeconds = Math.floor(nowMs / 1000);
    this.#window.record(Math.trunc(unixSeconds / this.#granularityS), value);
  }

  current(): number {
    return this.#window.current();
  }
}
