// Progress over the seeds of `sleeveless run`, on stderr. On a terminal one line is redrawn in
// place (`[#####-----] 5/10 seeds, 1 failing, 3.2s`); anywhere else (CI logs, pipes) nothing is
// printed unless `verbose`, which prints one line per finished seed. Wall time is fine here: the
// reports are outside the simulation.

import { performance } from 'node:perf_hooks';

/** The part of a writable stream the bar uses; `process.stderr` fits. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressBarOptions {
  stream: ProgressStream;
  /** Off a terminal, print a line per finished seed. */
  verbose?: boolean;
  /** Characters between the brackets. Default 20. */
  widthChars?: number;
  /** Wall clock in ms (tests pass a fake one). Default `performance.now`. */
  nowMs?: () => number;
}

export interface ProgressTick {
  /** Whether the seed that just finished failed. */
  failed: boolean;
  /** That seed, for the verbose lines. */
  seed?: number;
}

function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

export class ProgressBar {
  readonly #stream: ProgressStream;
  readonly #verbose: boolean;
  readonly #widthChars: number;
  readonly #nowMs: () => number;
  #total = 0;
  #done = 0;
  #failing = 0;
  #startedMs = 0;
  #drawn = false;

  constructor(options: ProgressBarOptions) {
    this.#stream = options.stream;
    this.#verbose = options.verbose ?? false;
    this.#widthChars = options.widthChars ?? 20;
    this.#nowMs = options.nowMs ?? (() => performance.now());
  }

  get #tty(): boolean {
    return this.#stream.isTTY === true;
  }

  start(total: number): void {
    this.#total = total;
    this.#done = 0;
    this.#failing = 0;
    this.#startedMs = this.#nowMs();
    this.#drawn = false;
    if (this.#tty) this.#redraw();
  }

  tick(tick: ProgressTick): void {
    this.#done += 1;
    if (tick.failed) this.#failing += 1;
    if (this.#tty) this.#redraw();
    else if (this.#verbose) {
      const seed = tick.seed === undefined ? '' : `seed ${tick.seed} `;
      this.#stream.write(`${seed}${tick.failed ? 'FAIL' : 'pass'} (${this.#status()})\n`);
    }
  }

  /** Leaves the final state on its own line (on a terminal). */
  done(): void {
    if (this.#tty && this.#drawn) this.#stream.write('\n');
    this.#drawn = false;
  }

  /** The line the bar shows now, without terminal control sequences. */
  line(): string {
    const fraction = this.#total > 0 ? Math.min(1, this.#done / this.#total) : 1;
    const filled = Math.round(fraction * this.#widthChars);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(this.#widthChars - filled)}`;
    return `[${bar}] ${this.#status()}`;
  }

  #status(): string {
    return `${this.#done}/${this.#total} seeds, ${this.#failing} failing, ${seconds(this.#nowMs() - this.#startedMs)}`;
  }

  #redraw(): void {
    let text = this.line();
    const columns = this.#stream.columns;
    if (columns !== undefined && columns > 1 && text.length >= columns) text = text.slice(0, columns - 1);
    // Carriage return, the line, then erase whatever an earlier, longer line left to the right.
    this.#stream.write(`\r${text}\u001b[K`);
    this.#drawn = true;
  }
}
