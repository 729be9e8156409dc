// UIDs and generated names drawn from the simulation's PRNG instead of the host's entropy, so a run
// is a pure function of its seed. Shapes follow upstream: a random (version 4) UUID
// (apimachinery pkg/util/uuid) and generateName + 5 characters from a consonant-and-digit alphabet
// (apiserver pkg/storage/names/generate.go, apimachinery pkg/util/rand/rand.go).
import type { Prng } from '../sim/prng.js';

/** utilrand's alphabet: no vowels (no accidental words) and no look-alikes (0, 1, 3). */
export const GENERATED_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const RANDOM_LENGTH = 5;
/** names.maxGeneratedNameLength: 63 - 5, so a generated name still fits a DNS label. */
const MAX_PREFIX_LENGTH = 58;

/** Two lowercase hex digits per byte value, and one per nibble: a UUID is assembled from these. */
const BYTE_HEX: readonly string[] = Object.freeze(Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')));
const NIBBLE_HEX = '0123456789abcdef';
/** The variant nibble: 10xx in binary (RFC 4122), its low two bits drawn. */
const VARIANT_HEX = '89ab';

/** Eight hex digits of a 32-bit number. */
function hex8(n: number): string {
  return BYTE_HEX[n >>> 24] + BYTE_HEX[(n >>> 16) & 255] + BYTE_HEX[(n >>> 8) & 255] + BYTE_HEX[n & 255];
}

export class IdentitySource {
  readonly #random: Prng;

  constructor(random: Prng) {
    this.#random = random;
  }

  /** A version-4-shaped UUID, e.g. 1b4e28ba-2fa1-41d2-883f-0016d3cca427. */
  uid(): string {
    // Four draws, as 32 hex digits: a, b, c, d in order, with b's fifth digit replaced by the
    // version 4 and c's first by the variant (from c's top nibble). Built from table lookups
    // rather than toString/padStart/slice: one is made for every object created.
    const a = this.#random.u32();
    const b = this.#random.u32();
    const c = this.#random.u32();
    const d = this.#random.u32();
    return `${hex8(a)}-${BYTE_HEX[b >>> 24]}${BYTE_HEX[(b >>> 16) & 255]}-4${NIBBLE_HEX[(b >>> 8) & 15]}${BYTE_HEX[b & 255]}` +
      `-${VARIANT_HEX[(c >>> 28) & 3]}${NIBBLE_HEX[(c >>> 24) & 15]}${BYTE_HEX[(c >>> 16) & 255]}-${BYTE_HEX[(c >>> 8) & 255]}${BYTE_HEX[c & 255]}${hex8(d)}`;
  }

  /** names.SimpleNameGenerator.GenerateName: prefix cut to 58 characters plus 5 random ones. */
  generatedName(prefix: string): string {
    let suffix = '';
    for (let i = 0; i < RANDOM_LENGTH; i++) suffix += GENERATED_NAME_ALPHABET[this.#random.int(GENERATED_NAME_ALPHABET.length)];
    return `${prefix.slice(0, MAX_PREFIX_LENGTH)}${suffix}`;
  }
}
