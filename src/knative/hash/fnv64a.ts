// 64-bit FNV-1a (Go's hash/fnv New64a), which knative/pkg hash/hash.go uses for ChooseSubset. The
// 64-bit state is kept as two unsigned 32-bit halves so the arithmetic stays exact in doubles:
// the prime is 2^40 + 0x1b3, so h·prime = (h << 40) + h·0x1b3 (mod 2^64).

const PRIME_LOW = 0x1b3;
const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
const TWO_32 = 0x1_0000_0000;

/** A 64-bit hash value as two unsigned 32-bit halves. */
export interface Hash64 {
  hi: number;
  lo: number;
}

const encoder = new TextEncoder();

/** FNV-1a over the UTF-8 bytes of `text`. */
export function fnv64a(text: string): Hash64 {
  let hi = OFFSET_HI;
  let lo = OFFSET_LO;
  for (const byte of encoder.encode(text)) {
    lo = (lo ^ byte) >>> 0;
    const low = lo * PRIME_LOW;
    const carry = Math.floor(low / TWO_32);
    hi = (hi * PRIME_LOW + carry + ((lo << 8) >>> 0)) % TWO_32;
    lo = low % TWO_32;
  }
  return { hi, lo };
}

/** `h % m` for a power of two m ≤ 2^32. */
export function hash64ModPow2(h: Hash64, m: number): number {
  return h.lo % m;
}

/** strconv.FormatUint(h, 16): lower-case hex without leading zeros. */
export function hash64Hex(h: Hash64): string {
  if (h.hi === 0) return h.lo.toString(16);
  return h.hi.toString(16) + h.lo.toString(16).padStart(8, '0');
}
