// JSON merge patch, RFC 7386 (content type application/merge-patch+json): objects merge
// recursively, null deletes a member, arrays and scalars replace, and a patch that is not an object
// replaces the whole target. The API server applies it with evanphx/json-patch v4 MergePatch
// (k8s.io/apiserver pkg/endpoints/handlers/patch.go, jsonPatcher.applyJSPatch); this is the RFC's
// MergePatch pseudo-code (section 2) written over parsed values.
//
// Neither function mutates its inputs, and results share no objects with them. Member order
// follows the target, with new members appended in patch order.
import { deepCopy, deepEqual } from '../deep-copy.js';
import { getOwn, isJsonObject, setOwn, type JsonObject } from '../json-value.js';

/** Applies the merge patch `patch` to `target` and returns the result. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return deepCopy(patch);
  return mergeObject(target, patch);
}

function mergeObject(target: unknown, patch: JsonObject): JsonObject {
  const base: JsonObject = isJsonObject(target) ? target : {};
  const out: JsonObject = {};
  for (const key of Object.keys(base)) {
    const patchValue = getOwn(patch, key);
    if (patchValue === undefined) {
      if (base[key] !== undefined) setOwn(out, key, deepCopy(base[key]));
    } else if (patchValue !== null) {
      setOwn(out, key, mergeValue(base[key], patchValue));
    }
  }
  for (const key of Object.keys(patch)) {
    const patchValue = patch[key];
    if (patchValue === undefined || patchValue === null || getOwn(base, key) !== undefined) continue;
    setOwn(out, key, mergeValue(undefined, patchValue));
  }
  return out;
}

function mergeValue(target: unknown, patch: unknown): unknown {
  return isJsonObject(patch) ? mergeObject(target, patch) : deepCopy(patch);
}

/**
 * The smallest merge patch that turns `original` into `modified`: changed and added members carry
 * their new value, removed members are null, unchanged members are left out, and nested objects
 * are diffed recursively (arrays are compared whole). A null inside `modified` cannot be expressed
 * by a merge patch (it would delete); as in RFC 7386, such members end up absent.
 */
export function createMergePatch(original: unknown, modified: unknown): Record<string, unknown> {
  if (!isJsonObject(modified)) {
    throw new TypeError('createMergePatch: the modified document must be a JSON object');
  }
  return diffObjects(isJsonObject(original) ? original : {}, modified);
}

function diffObjects(original: JsonObject, modified: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(original)) {
    if (original[key] !== undefined && getOwn(modified, key) === undefined) setOwn(patch, key, null);
  }
  for (const key of Object.keys(modified)) {
    const before = getOwn(original, key);
    const after = modified[key];
    if (after === undefined) continue;
    if (isJsonObject(before) && isJsonObject(after)) {
      const nested = diffObjects(before, after);
      if (Object.keys(nested).length > 0) setOwn(patch, key, nested);
    } else if (before === undefined || !deepEqual(before, after)) {
      setOwn(patch, key, deepCopy(after));
    }
  }
  return patch;
}
