// equality.Semantic.DeepEqual as the reconcilers use it on objects read back as JSON: a nil and
// an empty map or slice are equal, and so is an absent field (Go decodes it to nil). Scalars
// compare exactly, so a pointer field left unset still differs from one set to 0 or "".

import { deepEqual } from '../../apiserver/deep-copy.js';

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(normalize);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

export function semanticEqual(a: unknown, b: unknown): boolean {
  return deepEqual(normalize(a), normalize(b));
}
