// The run's trace: one typed line per notable event (a request, a delivery, a reconcile, a crash, a
// fault), folded into a running 64-bit hash. Same seed, same hash (FoundationDB prints an "unseed"
// for the same purpose). The last lines are kept for failure reports; all lines only on request.

export type TraceValue = string | number | boolean | null | undefined;

export interface TraceLine {
  atMs: number;
  kind: string;
  fields: Readonly<Record<string, TraceValue>>;
}

export interface TraceOptions {
  /** Keep every line (tests, reports). Default false: keep only the tail. */
  keepAll?: boolean;
  /** How many of the last lines to keep. Default 64. */
  tailLength?: number;
}

export function formatTraceLine(line: TraceLine): string {
  let s = `${line.atMs} ${line.kind}`;
  for (const k in line.fields) {
    const v = line.fields[k];
    if (v !== undefined) s += ` ${k}=${v}`;
  }
  return s;
}

export class Trace {
  #h1 = 0x811c9dc5;
  #h2 = 0x01000193;
  #count = 0;
  readonly #tail: TraceLine[] = [];
  readonly #tailLength: number;
  readonly #all: TraceLine[] | undefined;
  readonly #listeners: ((line: TraceLine) => void)[] = [];

  constructor(options: TraceOptions = {}) {
    this.#tailLength = options.tailLength ?? 64;
    this.#all = options.keepAll ? [] : undefined;
  }

  get count(): number {
    return this.#count;
  }

  record(atMs: number, kind: string, fields: Readonly<Record<string, TraceValue>> = {}): void {
    const line: TraceLine = { atMs, kind, fields };
    this.#foldLine(line);
    this.#count++;
    this.#all?.push(line);
    this.#tail.push(line);
    if (this.#tail.length > this.#tailLength * 2) this.#tail.splice(0, this.#tail.length - this.#tailLength);
    for (let i = 0; i < this.#listeners.length; i++) this.#listeners[i](line);
  }

  /** Calls `fn` with every line recorded from now on (the scenario history listens for component events). */
  onRecord(fn: (line: TraceLine) => void): void {
    this.#listeners.push(fn);
  }

  /**
   * Folds formatTraceLine(line) and a line end into the hash, piece by piece (the same characters
   * in the same order, without building the line's text).
   */
  #foldLine(line: TraceLine): void {
    this.#foldNumber(line.atMs);
    this.#foldText(' ');
    this.#foldText(line.kind);
    const fields = line.fields;
    for (const k in fields) {
      const v = fields[k];
      if (v === undefined) continue;
      this.#foldText(' ');
      this.#foldText(k);
      this.#foldText('=');
      if (typeof v === 'string') this.#foldText(v);
      else if (typeof v === 'number') this.#foldNumber(v);
      else this.#foldText(String(v));
    }
    let h1 = this.#h1;
    let h2 = this.#h2;
    h1 = Math.imul(h1 ^ 10, 2654435761);
    h2 = Math.imul(h2 ^ (h1 >>> 15), 1597334677);
    this.#h1 = h1;
    this.#h2 = h2;
  }

  /** Folds String(n)'s characters; a safe integer's digits without building the string. */
  #foldNumber(n: number): void {
    if (!Number.isSafeInteger(n)) {
      this.#foldText(String(n));
      return;
    }
    let h1 = this.#h1;
    let h2 = this.#h2;
    if (n < 0) {
      h1 = Math.imul(h1 ^ 45, 2654435761);
      h2 = Math.imul(h2 ^ 45, 1597334677);
      n = -n;
    }
    let p = 1;
    while (p * 10 <= n) p *= 10;
    for (; p >= 1; p /= 10) {
      const d = Math.floor(n / p);
      n -= d * p;
      const c = 48 + d;
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.#h1 = h1;
    this.#h2 = h2;
  }

  #foldText(text: string): void {
    let h1 = this.#h1;
    let h2 = this.#h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.#h1 = h1;
    this.#h2 = h2;
  }

  /** The hash of everything recorded so far, as 16 hex digits. */
  hash(): string {
    let h1 = this.#h1, h2 = this.#h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  }

  /** The last `n` lines (at most the tail length). */
  tail(n = this.#tailLength): TraceLine[] {
    return this.#tail.slice(-Math.min(n, this.#tailLength));
  }

  /** Every line, when the trace was made with keepAll. */
  lines(): readonly TraceLine[] {
    if (this.#all === undefined) throw new Error('trace was not created with keepAll: true');
    return this.#all;
  }
}
