// Deterministic pseudo-random numbers. sfc32 (Chris Doty-Humphrey's small fast counting generator):
// 32-bit integer arithmetic only, so the same seed gives the same stream on every platform.
// Streams are forked by label from the seed material, never from the parent's position, so adding a
// draw (or a component) in one stream leaves every other stream unchanged (DESIGN.md, layer 1).

/** A seed: a non-negative integer or any string (a commit hash works, as in TigerBeetle's CI). */
export type Seed = number | string;

/** cyrb53-style string hash, two 32-bit lanes. Used for seed material and labels. */
export function hashString(text: string, salt = 0): [number, number] {
  let h1 = 0xdeadbeef ^ salt;
  let h2 = 0x41c6ce57 ^ salt;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

export class Prng {
  /** The seed material this stream was made from: `root` or `root/label/label`. */
  readonly material: string;
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: Seed) {
    this.material = String(seed);
    const [h1, h2] = hashString(this.material, 0x9e3779b9);
    const [h3, h4] = hashString(this.material, 0x85ebca6b);
    this.#a = h1;
    this.#b = h2;
    this.#c = h3;
    this.#d = h4 | 1;
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** A new independent stream named `label`, derived from this stream's seed material only. */
  fork(label: string): Prng {
    return new Prng(`${this.material}/${label}`);
  }

  /** Next unsigned 32-bit integer. */
  u32(): number {
    const a = this.#a, b = this.#b, c = this.#c, d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.#c = (r + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling); n in [1, 2^32]. */
  int(n: number): number {
    if (!(n >= 1 && n <= 0x100000000 && Number.isInteger(n))) {
      throw new RangeError(`Prng.int: bound must be an integer in [1, 2^32], got ${n}`);
    }
    if (n === 1) return 0;
    // A power of two up to 2^31 divides 2^32: no draw is rejected and x % n is x's low bits. Other
    // bounds use floor division, exact here (x and n below 2^53), where % on values above 2^31
    // would be a floating-point remainder.
    if (n <= 0x80000000 && (n & (n - 1)) === 0) return this.u32() & (n - 1);
    const limit = Math.floor(0x100000000 / n) * n;
    let x = this.u32();
    while (x >= limit) x = this.u32();
    return x - Math.floor(x / n) * n;
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  between(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`Prng.between: hi ${hi} < lo ${lo}`);
    return lo + this.int(hi - lo + 1);
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.u32() / 0x100000000;
  }

  /** True with probability p (0 ≤ p ≤ 1). */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.u32() < p * 0x100000000;
  }
}
