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

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

export class IdentitySource {
  readonly #random: Prng;

  constructor(random: Prng) {
    this.#random = random;
  }

  /** A version-4-shaped UUID, e.g. 1b4e28ba-2fa1-41d2-883f-0016d3cca427. */
  uid(): string {
    const a = hex8(this.#random.u32());
    const b = hex8(this.#random.u32());
    const c = hex8(this.#random.u32());
    const d = hex8(this.#random.u32());
    const version = `4${b.slice(5, 8)}`;
    const variant = `${'89ab'[parseInt(c[0], 16) & 3]}${c.slice(1, 4)}`;
    return `${a}-${b.slice(0, 4)}-${version}-${variant}-${c.slice(4, 8)}${d}`;
  }

  /** names.SimpleNameGenerator.GenerateName: prefix cut to 58 characters plus 5 random ones. */
  generatedName(prefix: string): string {
    let suffix = '';
    for (let i = 0; i < RANDOM_LENGTH; i++) suffix += GENERATED_NAME_ALPHABET[this.#random.int(GENERATED_NAME_ALPHABET.length)];
    return `${prefix.slice(0, MAX_PREFIX_LENGTH)}${suffix}`;
  }
}
