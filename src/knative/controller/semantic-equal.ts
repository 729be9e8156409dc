// equality.Semantic.DeepEqual as the reconcilers use it on objects read back as JSON: a nil and
// an empty map or slice are equal, and so is an absent field (Go decodes it to nil). Scalars
// compare exactly, so a pointer field left unset still differs from one set to 0 or "".
//
// The walk compares in place: no normalised copies, no sorted key lists (key order never mattered).

type JsonRecord = Record<string, unknown>;

/** The own property `key` of `o` (never the prototype chain's). */
function own(o: JsonRecord, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** Go would decode `value` to nil: undefined, null, an empty list, or a map of such values only. */
function isNil(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.length === 0;
  for (const key of Object.keys(value)) if (!isNil((value as JsonRecord)[key])) return false;
  return true;
}

/** The keys of `o` whose values are not nil. */
function countNonNil(o: JsonRecord): number {
  let n = 0;
  for (const key of Object.keys(o)) if (!isNil(o[key])) n++;
  return n;
}

function equalNonNil(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  const aIsArray = Array.isArray(a);
  if (aIsArray !== Array.isArray(b)) return false;
  if (aIsArray) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!semanticEqual(x[i], y[i])) return false;
    return true;
  }
  const x = a as JsonRecord;
  const y = b as JsonRecord;
  let n = 0;
  for (const key of Object.keys(x)) {
    const v = x[key];
    if (isNil(v)) continue;
    n++;
    const w = own(y, key);
    if (isNil(w) || !equalNonNil(v, w)) return false;
  }
  return n === countNonNil(y);
}

export function semanticEqual(a: unknown, b: unknown): boolean {
  const aNil = isNil(a);
  const bNil = isNil(b);
  if (aNil || bNil) return aNil && bNil;
  return equalNonNil(a, b);
}
