// Copying, freezing and comparing JSON-shaped data (plain objects, arrays, primitives): what the
// store keeps and what every read hands out. Hand-written recursion because this is on the hot
// path of every get, list and watch delivery (no JSON round trip, no structuredClone).
//
// JSON semantics throughout: an object key whose value is undefined counts as absent (JSON.stringify
// drops it), key order is irrelevant. Class instances, Maps, Dates and cycles are not JSON and are
// not supported.
import { setOwn, type JsonObject } from './json-value.js';

/** A deep copy sharing nothing with `value`. Object keys whose value is undefined are dropped. */
export function deepCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return copyArray(value) as T;
  return copyObject(value as JsonObject) as T;
}

function copyArray(source: readonly unknown[]): unknown[] {
  const out = new Array<unknown>(source.length);
  for (let i = 0; i < source.length; i++) out[i] = deepCopy(source[i]);
  return out;
}

// The loops below use for-in, not Object.keys: the same keys in the same order for plain JSON
// objects (whose prototype chain has no enumerable properties), without allocating a key array
// per object on the API server's hottest path.

function copyObject(source: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key in source) {
    const child = source[key];
    if (child !== undefined) setOwn(out, key, deepCopy(child));
  }
  return out;
}

/** Recursively Object.freeze `value` and everything it contains; returns `value`. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (const child of value) deepFreeze(child);
  } else {
    for (const key in value) deepFreeze((value as JsonObject)[key]);
  }
  return Object.freeze(value);
}

/**
 * deepFreeze for what the store commits: an object built by a write flow from fresh copies of the
 * request plus subtrees of stored objects, which are deep-frozen already. A frozen subtree is
 * therefore taken as deep-frozen and not walked again. Only for objects the store builds; use
 * deepFreeze for anything else.
 */
export function deepFreezeStored<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    for (const child of value) deepFreezeStored(child);
  } else {
    for (const key in value) deepFreezeStored((value as JsonObject)[key]);
  }
  return Object.freeze(value);
}

/** Structural equality with JSON semantics: key order is irrelevant, undefined-valued keys are absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aIsArray = Array.isArray(a);
  if (aIsArray !== Array.isArray(b)) return false;
  if (aIsArray) return arraysEqual(a as unknown[], b as unknown[]);
  return objectsEqual(a as JsonObject, b as JsonObject);
}

function arraysEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!deepEqual(a[i], b[i])) return false;
  }
  return true;
}

function objectsEqual(a: JsonObject, b: JsonObject): boolean {
  let definedInA = 0;
  for (const key in a) {
    const value = a[key];
    if (value === undefined) continue;
    definedInA++;
    if (!Object.hasOwn(b, key) || !deepEqual(value, b[key])) return false;
  }
  let definedInB = 0;
  for (const key in b) {
    if (b[key] !== undefined) definedInB++;
  }
  return definedInA === definedInB;
}
