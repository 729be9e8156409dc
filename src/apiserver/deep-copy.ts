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

// The loops below test a child for a primitive before recursing, so a leaf costs no call (much of
// the control plane runs these in V8's baseline tiers, where every call is paid in full).

function copyArray(source: readonly unknown[]): unknown[] {
  const out = new Array<unknown>(source.length);
  for (let i = 0; i < source.length; i++) {
    const child = source[i];
    out[i] = typeof child !== 'object' || child === null ? child : Array.isArray(child) ? copyArray(child) : copyObject(child as JsonObject);
  }
  return out;
}

// for-in, not Object.keys: the same keys in the same order for plain JSON objects (whose prototype
// chain has no enumerable properties), without allocating a key array per object on the API
// server's hottest path.

function copyObject(source: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key in source) {
    const child = source[key];
    if (child === undefined) continue;
    const copy = typeof child !== 'object' || child === null ? child : Array.isArray(child) ? copyArray(child) : copyObject(child as JsonObject);
    if (key === '__proto__') setOwn(out, key, copy);
    else out[key] = copy;
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
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === 'object' && child !== null) deepFreezeStored(child);
    }
  } else {
    for (const key in value) {
      const child: unknown = (value as JsonObject)[key];
      if (typeof child === 'object' && child !== null) deepFreezeStored(child);
    }
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
  return objectsEqualExcept(a as JsonObject, b as JsonObject);
}

function arraysEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const value = a[i];
    const other = b[i];
    if (value !== other && !deepEqual(value, other)) return false;
  }
  return true;
}

/**
 * deepEqual of two objects over every key but `skip` and `alsoSkip` (none when not given): the
 * verdict of comparing copies without those keys, without building the copies.
 */
export function objectsEqualExcept(a: JsonObject, b: JsonObject, skip?: string, alsoSkip?: string): boolean {
  let definedInA = 0;
  for (const key in a) {
    if (key === skip || key === alsoSkip) continue;
    const value = a[key];
    if (value === undefined) continue;
    definedInA++;
    const other = b[key];
    // A JSON value identical to b[key] is b's own property: what b inherits (Object.prototype's
    // functions, or Object.prototype itself for "__proto__") is never JSON data.
    if (value !== other && (!Object.hasOwn(b, key) || !deepEqual(value, other))) return false;
  }
  let definedInB = 0;
  for (const key in b) {
    if (key !== skip && key !== alsoSkip && b[key] !== undefined) definedInB++;
  }
  return definedInA === definedInB;
}
