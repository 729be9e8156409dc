// The pod-template-hash of a Deployment's ReplicaSets (k8s.io/kubernetes
// pkg/controller/controller_utils.go ComputeHash; apimachinery pkg/util/rand/rand.go
// SafeEncodeString). Upstream feeds a spew dump of the Go PodTemplateSpec to FNV-1a (32 bit), then
// the collision count as 8 little-endian bytes (a uint32 and four zero bytes), prints the sum in
// decimal and maps every digit onto the consonant-and-digit alphabet. We cannot reproduce a dump
// of Go structs, so we hash the template's canonical JSON (keys sorted) instead: the hash is
// deterministic, changes with any change of the template or of the collision count, and has
// upstream's shape (8 to 10 characters of [4-9bcdf]).

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** rand.alphanums: no vowels, no look-alike characters. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const FNV_OFFSET_32 = 0x811c9dc5;
const FNV_PRIME_32 = 0x01000193;

/** SafeEncodeString: each character's code point, modulo the alphabet size. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (const ch of text) out += SAFE_ALPHABET[ch.codePointAt(0)! % SAFE_ALPHABET.length];
  return out;
}

/** FNV-1a, 32 bit, continuing from `hash`. */
export function fnv1a32(bytes: Uint8Array, hash = FNV_OFFSET_32): number {
  let h = hash >>> 0;
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME_32) >>> 0;
  return h;
}

/** JSON with object keys sorted at every level; array order kept; undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Appended in place (no per-level arrays of member texts); API objects have no array holes.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      out += (i === 0 ? '' : ',') + canonicalJson(v === undefined ? null : v);
    }
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const k of keys) {
    const v = record[k];
    if (v === undefined) continue;
    out += (out.length === 1 ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v);
  }
  return out + '}';
}

/** ComputeHash(template, collisionCount). */
export function computeHash(template: unknown, collisionCount?: number): string {
  let hash = fnv1a32(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv1a32(bytes, hash);
  }
  return safeEncodeString(String(hash));
}
