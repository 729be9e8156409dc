// The chooser: every nondeterministic decision of a run goes through it — which delay a request or a
// watch delivery gets, whether a fault fires, which of several tied events runs first. It records
// each decision (arity, value) in one choice log, in the order the decisions are made. That log is
// the replay and shrink artifact: replaying it reproduces the run, and a log that no longer fits the
// decisions being asked for throws ReplayDivergence instead of falling back to randomness
// (fast-check's schedulerFor does the same; DESIGN.md determinism rule 4).
//
// Each decision site draws from its own PRNG stream (forked by label), so a new decision site in
// one component does not shift the natural draws of the others.

import { Prng } from './prng.js';

export class ReplayDivergence extends Error {
  override readonly name = 'ReplayDivergence';
}

/** A flat log: [arity0, value0, arity1, value1, ...]. Decisions with a single option are not logged. */
export type ChoiceLog = number[];

export interface ChooserOptions {
  prng: Prng;
  /** Replay this log exactly: every decision must match its arity, and the log must be used up. */
  replay?: readonly number[];
  /** Random run, except that decision i takes value v: the form exploration and shrinking use. */
  overrides?: ReadonlyMap<number, number>;
}

export class Chooser {
  readonly #prng: Prng;
  readonly #replay: readonly number[] | undefined;
  readonly #overrides: ReadonlyMap<number, number> | undefined;
  readonly #sources = new Map<string, ChoiceSource>();
  readonly #log = new DecisionLog();

  constructor(options: ChooserOptions) {
    this.#prng = options.prng;
    this.#replay = options.replay;
    this.#overrides = options.overrides && options.overrides.size > 0 ? options.overrides : undefined;
  }

  /** The decision source for one site (`'net/latency'`, `'fault/drop'`): one PRNG stream per label. */
  source(label: string): ChoiceSource {
    let s = this.#sources.get(label);
    if (s === undefined) {
      s = new ChoiceSource(this, label, this.#prng.fork(label));
      this.#sources.set(label, s);
    }
    return s;
  }

  /** Decisions made so far. */
  get count(): number {
    return this.#log.length >> 1;
  }

  /** A copy of the log so far. */
  log(): ChoiceLog {
    return this.#log.toArray();
  }

  /** Ends a replay: throws if the replayed log holds decisions that were never asked for. */
  finish(): void {
    if (this.#replay !== undefined && this.#log.length < this.#replay.length) {
      throw new ReplayDivergence(
        `replay log has ${(this.#replay.length - this.#log.length) >> 1} decisions left over after the run ended at decision ${this.count}`,
      );
    }
  }

  /**
   * @internal Called by ChoiceSource: decide among `arity` options. The natural (random) value is
   * drawn from `prng` only when the run is not a replay: `int(arity)`, or for NATURAL_CHANCE a coin
   * that is 1 with probability `p`. (No closure per decision: this is on the hot path of every hop.)
   */
  decide(label: string, arity: number, prng: Prng, natural: NaturalDraw = NATURAL_INT, p = 0): number {
    const log = this.#log;
    let value: number;
    if (this.#replay !== undefined) {
      const index = log.length >> 1;
      const at = log.length;
      if (at >= this.#replay.length) {
        throw new ReplayDivergence(`replay log ended before decision ${index} (${label}, ${arity} options)`);
      }
      const logged = this.#replay[at];
      value = this.#replay[at + 1];
      if (logged !== arity || !(value >= 0 && value < arity)) {
        throw new ReplayDivergence(
          `decision ${index} (${label}) has ${arity} options, but the replay log recorded ${logged} options and value ${value}`,
        );
      }
    } else {
      value = natural === NATURAL_CHANCE ? (prng.chance(p) ? 1 : 0) : prng.int(arity);
      if (this.#overrides !== undefined) {
        const index = log.length >> 1;
        const forced = this.#overrides.get(index);
        if (forced !== undefined) {
          if (!(forced >= 0 && forced < arity)) {
            throw new ReplayDivergence(`override for decision ${index} (${label}) is ${forced}, but it has only ${arity} options`);
          }
          value = forced;
        }
      }
    }
    log.push2(arity, value);
    return value;
  }
}

const LOG_CHUNK_BITS = 14;
const LOG_CHUNK = 1 << LOG_CHUNK_BITS;

/**
 * The flat log [arity0, value0, ...] in fixed-size chunks: a run makes hundreds of thousands of
 * decisions, and one growing array would be copied every time it outgrows its backing store.
 * Float64 holds every arity exactly (up to 2^32).
 */
class DecisionLog {
  readonly #chunks: Float64Array[] = [];
  length = 0;

  /** Appends one decision; the length stays even, so a pair never straddles two chunks. */
  push2(arity: number, value: number): void {
    const i = this.length & (LOG_CHUNK - 1);
    if (i === 0) this.#chunks.push(new Float64Array(LOG_CHUNK));
    const chunk = this.#chunks[this.#chunks.length - 1];
    chunk[i] = arity;
    chunk[i + 1] = value;
    this.length += 2;
  }

  toArray(): ChoiceLog {
    const out: ChoiceLog = new Array<number>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.#chunks[i >> LOG_CHUNK_BITS][i & (LOG_CHUNK - 1)];
    return out;
  }
}

/** How a decision's natural value is drawn: uniformly among the options, or as a biased coin. */
type NaturalDraw = 0 | 1;
const NATURAL_INT: NaturalDraw = 0;
const NATURAL_CHANCE: NaturalDraw = 1;

/** One decision site. All its draws are logged by the chooser it came from. */
export class ChoiceSource {
  readonly #chooser: Chooser;
  readonly #prng: Prng;
  readonly label: string;

  constructor(chooser: Chooser, label: string, prng: Prng) {
    this.#chooser = chooser;
    this.label = label;
    this.#prng = prng;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (n === 1) return 0;
    return this.#chooser.decide(this.label, n, this.#prng);
  }

  /** An integer in [lo, hi], both inclusive. */
  between(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`${this.label}: between(${lo}, ${hi}) is empty`);
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. Always logged (arity 2) unless p is 0 or 1. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.#chooser.decide(this.label, 2, this.#prng, NATURAL_CHANCE, p) === 1;
  }

  /** One of the items, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError(`${this.label}: pick from an empty list`);
    return items[this.int(items.length)];
  }

  /** A float in [0, 1), logged as a 32-bit decision. */
  float(): number {
    return this.#chooser.decide(this.label, 0x100000000, this.#prng) / 0x100000000;
  }
}
