// Strategic merge patch (content type application/strategic-merge-patch+json), as the API server
// applies it to built-in kinds: k8s.io/apimachinery pkg/util/strategicpatch/patch.go,
// StrategicMergeMapPatch with MergeParallelList and IgnoreUnmatchedNulls on (the server side).
//
// Semantics, following mergeMap / mergeSlice / mergePatchIntoOriginal there:
// - Maps merge recursively; null deletes a member; a value of another type replaces.
// - `$patch: replace` in a map replaces the map with the patch's; `$patch: delete` leaves an
//   empty map (upstream's "delete map from nested map" test expects `{}`); a map carrying `$patch`
//   where the target has no map is dropped.
// - Lists whose field has strategy merge: lists of objects merge element-wise by the merge key,
//   `{$patch: delete, <key>: v}` removes every element with that key, `{$patch: replace}` makes the
//   rest of the patch list the whole list; lists of primitives become an ordered union. Lists
//   without a merge strategy are replaced.
// - Order after a merge, as upstream's normalizeElementOrder: elements named in the patch keep the
//   patch's order, the others keep the target's, and the two are interleaved by the target's order.
//   An element new to the list therefore goes in front of the target's elements that come after
//   it, and in front of all of them when the patch is just that element (kubectl apply sends a
//   `$setElementOrder` list that pins the order instead).
// - `$setElementOrder/<field>` orders the merged list (and must agree with the patch list's order);
//   `$deleteFromPrimitiveList/<field>` removes values from a primitive list; `$retainKeys` (honoured
//   in any map, as upstream does) drops the map's keys it does not list.
// - Values the patch adds are stored without nulls and without directives, which is what decoding
//   into the typed object does upstream.
//
// Errors: a malformed patch (bad directive, unknown directive key, a patch list element without
// its merge key, a `$setElementOrder` that contradicts the patch list) is 'decode' (400); a patch
// that does not fit the target (list element types differ, lists of lists, a target element
// without the merge key) is 'apply' (422). Upstream returns 400 or 422 for its sentinel errors
// (handlers/patch.go interpretStrategicMergePatchError) and 500 for the rest.
//
// Never mutates its inputs: it works on deep copies, and the result shares nothing with them.
import { deepCopy } from '../deep-copy.js';
import { getOwn, isJsonObject, setOwn, type JsonObject } from '../json-value.js';
import { PatchError } from './patch-error.js';
import type { StrategicField, StrategicSchema } from './strategic-schema.js';

export { strategicSchemaFor, type StrategicField, type StrategicSchema } from './strategic-schema.js';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

const BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
const BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';

/** Marks a patch value that is not kept at all (a map carrying `$patch`). */
const DROP = Symbol('drop');

/** Applies strategic merge `patch` to `target` using the field metadata in `schema`. */
export function applyStrategicMergePatch(target: unknown, patch: unknown, schema: StrategicSchema): unknown {
  if (!isJsonObject(patch)) throw new PatchError('decode', 'invalid JSON document');
  const original = isJsonObject(target) ? deepCopy(target) : {};
  return new StrategicMerge(schema).mergeMap(original, deepCopy(patch), '');
}

class StrategicMerge {
  constructor(private readonly schema: StrategicSchema) {}

  /** Merges `patch` into `original` (both private copies, both consumed) and returns the result. */
  mergeMap(original: JsonObject, patch: JsonObject, path: string): JsonObject {
    const directive = getOwn(patch, PATCH);
    if (directive !== undefined) return mapDirective(directive, patch);
    applyRetainKeys(original, patch);
    for (const key of Object.keys(patch)) {
      if (key.startsWith(SET_ELEMENT_ORDER)) this.setElementOrder(original, patch, key, path);
    }
    for (const key of Object.keys(patch)) {
      if (Object.hasOwn(patch, key)) this.mergeField(original, key, patch[key], path);
    }
    return original;
  }

  private mergeField(original: JsonObject, key: string, patchValue: unknown, path: string): void {
    if (key.startsWith('$')) {
      if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) throw unknownDirective(key);
      deleteFromPrimitiveList(original, directiveField(key, DELETE_FROM_PRIMITIVE_LIST, BAD_PRIMITIVE_LIST), patchValue);
      return;
    }
    if (patchValue === undefined) return;
    if (patchValue === null) {
      delete original[key];
      return;
    }
    const current = getOwn(original, key);
    const fieldPath = path === '' ? key : `${path}.${key}`;
    if (isJsonObject(current) && isJsonObject(patchValue)) {
      setOwn(original, key, this.mergeMap(current, patchValue, fieldPath));
    } else if (Array.isArray(current) && Array.isArray(patchValue)) {
      setOwn(original, key, this.mergeListField(current, patchValue, fieldPath));
    } else {
      setOrDrop(original, key, cleanValue(patchValue));
    }
  }

  /** mergeSliceHandler: merge when the field's strategy says so, else the patch list replaces. */
  private mergeListField(current: unknown[], patchList: unknown[], fieldPath: string): unknown[] {
    const field = this.schema.get(fieldPath);
    return isMergeList(field) ? this.mergeList(current, patchList, fieldPath, field?.mergeKey) : cleanList(patchList);
  }

  private mergeList(current: unknown[], patchList: unknown[], fieldPath: string, mergeKey: string | undefined): unknown[] {
    if (current.length === 0 && patchList.length === 0) return current;
    if (listElementKind(current, patchList) === 'scalar') {
      return orderList(uniqueScalars([...current, ...patchList]), patchList, current, undefined);
    }
    if (mergeKey === undefined) throw applyError(`cannot merge lists without merge key for ${fieldPath}`);
    const { base, items } = applyListDirectives(current, patchList, mergeKey);
    const merged = base.slice();
    for (const item of items) this.mergeElement(merged, item, mergeKey, `${fieldPath}[]`);
    return orderList(merged, items, base, mergeKey);
  }

  /** Merges one patch element into the list element with the same merge key, or appends it. */
  private mergeElement(list: unknown[], item: JsonObject, mergeKey: string, elementPath: string): void {
    const keyValue = getOwn(item, mergeKey);
    if (keyValue === undefined) throw decodeError(noMergeKey(item, mergeKey));
    const index = list.findIndex((element) => isJsonObject(element) && getOwn(element, mergeKey) === keyValue);
    if (index >= 0) {
      list[index] = this.mergeMap(list[index] as JsonObject, item, elementPath);
    } else {
      const cleaned = cleanValue(item);
      if (cleaned !== DROP) list.push(cleaned);
    }
  }

  /** mergePatchIntoOriginal: merges the list named by a `$setElementOrder/<field>` key and orders it. */
  private setElementOrder(original: JsonObject, patch: JsonObject, directiveKey: string, path: string): void {
    const key = directiveField(directiveKey, SET_ELEMENT_ORDER, BAD_SET_ELEMENT_ORDER);
    const fieldPath = path === '' ? key : `${path}.${key}`;
    const mergeKey = this.schema.get(fieldPath)?.mergeKey;
    const { order, patchList } = decodeSetElementOrder(patch, directiveKey, key, mergeKey);
    const current = getOwn(original, key);
    if (current !== undefined && !Array.isArray(current)) throw applyError(badArgType(current));
    if (current === undefined && patchList === undefined) return;
    let merged: unknown[];
    if (patchList === undefined) merged = current as unknown[];
    else if (current === undefined) merged = cleanList(patchList);
    else merged = this.mergeListField(current, patchList, fieldPath);
    delete patch[key];
    setOwn(original, key, orderList(merged, order, current ?? [], mergeKey));
  }
}

/** Takes the `$setElementOrder` list out of `patch` and checks it against the patch list. */
function decodeSetElementOrder(patch: JsonObject, directiveKey: string, key: string, mergeKey: string | undefined): { order: unknown[]; patchList: unknown[] | undefined } {
  const order = patch[directiveKey];
  delete patch[directiveKey];
  const patchList = getOwn(patch, key);
  if (!Array.isArray(order) || (patchList !== undefined && !Array.isArray(patchList))) {
    throw decodeError(BAD_SET_ELEMENT_ORDER);
  }
  if (mergeKey !== undefined) {
    for (const item of order) {
      if (!isJsonObject(item) || getOwn(item, mergeKey) === undefined) throw decodeError(noMergeKey(item, mergeKey));
    }
  }
  checkOrderAgreement(patchList ?? [], order, mergeKey);
  return { order, patchList };
}

function isMergeList(field: StrategicField | undefined): boolean {
  return field?.strategy === 'merge' || field?.strategy === 'merge,retainKeys';
}

/** handleDirectiveInMergeMap: `$patch` in a map. */
function mapDirective(directive: unknown, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[PATCH];
    const cleaned = cleanValue(patch);
    return cleaned === DROP ? {} : (cleaned as JsonObject);
  }
  if (directive === 'delete') return {};
  throw decodeError(badPatchType(directive, patch));
}

/** applyRetainKeysDirective: every key the patch sets must be listed; unlisted keys are cleared. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const listed = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(listed)) throw decodeError(BAD_RETAIN_KEYS);
  const retained = new Set(listed);
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null || value === undefined) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retained.has(key)) throw decodeError(BAD_RETAIN_KEYS);
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) delete original[key];
  }
}

function deleteFromPrimitiveList(original: JsonObject, key: string, values: unknown): void {
  if (!Array.isArray(values)) throw decodeError(BAD_PRIMITIVE_LIST);
  const current = getOwn(original, key);
  if (!Array.isArray(current)) return;
  const doomed = new Set(values);
  setOwn(original, key, current.filter((value) => !doomed.has(value)));
}

/** mergeSliceWithSpecialElements: `$patch` elements of a merging list of objects. */
function applyListDirectives(current: unknown[], patchList: unknown[], mergeKey: string): { base: unknown[]; items: JsonObject[] } {
  let base = current;
  const items: JsonObject[] = [];
  let replace = false;
  for (const element of patchList as JsonObject[]) {
    const directive = getOwn(element, PATCH);
    if (directive === undefined) {
      items.push(element);
    } else if (directive === 'delete') {
      const keyValue = getOwn(element, mergeKey);
      if (keyValue === undefined) throw decodeError(noMergeKey(element, mergeKey));
      base = base.filter((item) => !(isJsonObject(item) && getOwn(item, mergeKey) === keyValue));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw decodeError('merging lists cannot yet be specified in the patch');
    } else {
      throw decodeError(badPatchType(directive, element));
    }
  }
  return replace ? { base: cleanList(items), items: [] } : { base, items };
}

/** checkOrderAgreement: the patch list must be in the order `$setElementOrder` gives. */
function checkOrderAgreement(patchList: unknown[], order: unknown[], mergeKey: string | undefined): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = patchList.filter((item) => !isJsonObject(item) || !Object.hasOwn(item, PATCH));
  let next = 0;
  for (let i = 0; i < order.length && next < items.length; i++) {
    if (sameElement(items[next], order[i], mergeKey)) next++;
  }
  if (next < items.length) {
    throw decodeError(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
    );
  }
}

function sameElement(item: unknown, orderItem: unknown, mergeKey: string | undefined): boolean {
  if (mergeKey === undefined) return item === orderItem;
  for (const element of [item, orderItem]) {
    if (!isJsonObject(element) || getOwn(element, mergeKey) === undefined) throw decodeError(noMergeKey(element, mergeKey));
  }
  return getOwn(item as JsonObject, mergeKey) === getOwn(orderItem as JsonObject, mergeKey);
}

/**
 * normalizeElementOrder: elements named in `patchOrder` in that order, the others in `serverOrder`'s
 * order, interleaved so that a server-only element stays in front of a patch element it preceded.
 */
function orderList(merged: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string | undefined): unknown[] {
  const keyOf = elementKey(mergeKey);
  const patchRank = rankByKey(patchOrder, keyOf);
  const serverRank = rankByKey(serverOrder, keyOf);
  const fromPatch = merged.filter((item) => patchRank.has(keyOf(item)));
  const serverOnly = merged.filter((item) => !patchRank.has(keyOf(item)));
  return interleave(sortByRank(serverOnly, serverRank, keyOf), sortByRank(fromPatch, patchRank, keyOf), serverRank, keyOf);
}

function elementKey(mergeKey: string | undefined): (item: unknown) => unknown {
  if (mergeKey === undefined) return (item) => item;
  return (item) => {
    const value = isJsonObject(item) ? getOwn(item, mergeKey) : undefined;
    if (value === undefined) throw applyError(noMergeKey(item, mergeKey));
    return value;
  };
}

/** Key → index of its first occurrence. Elements without the merge key are skipped. */
function rankByKey(list: unknown[], keyOf: (item: unknown) => unknown): Map<unknown, number> {
  const rank = new Map<unknown, number>();
  list.forEach((item, index) => {
    if (isJsonObject(item) && Object.hasOwn(item, PATCH)) return;
    const key = keyOf(item);
    if (!rank.has(key)) rank.set(key, index);
  });
  return rank;
}

function sortByRank(items: unknown[], rank: Map<unknown, number>, keyOf: (item: unknown) => unknown): unknown[] {
  const position = (item: unknown) => rank.get(keyOf(item)) ?? Number.MAX_SAFE_INTEGER;
  return items.map((item, index) => ({ item, index }))
    .sort((a, b) => position(a.item) - position(b.item) || a.index - b.index)
    .map(({ item }) => item);
}

/** mergeSortedSlice: take the server-only element first only when the server list put it first. */
function interleave(serverOnly: unknown[], fromPatch: unknown[], serverRank: Map<unknown, number>, keyOf: (item: unknown) => unknown): unknown[] {
  const out: unknown[] = [];
  let i = 0, j = 0;
  while (i < serverOnly.length || j < fromPatch.length) {
    if (j >= fromPatch.length) {
      out.push(serverOnly[i++]);
    } else if (i >= serverOnly.length) {
      out.push(fromPatch[j++]);
    } else {
      const left = serverRank.get(keyOf(serverOnly[i]));
      const right = serverRank.get(keyOf(fromPatch[j]));
      out.push(left !== undefined && right !== undefined && left < right ? serverOnly[i++] : fromPatch[j++]);
    }
  }
  return out;
}

/** sliceElementType: all elements of both lists must have one JSON type, and not be lists. */
function listElementKind(...lists: unknown[][]): 'object' | 'scalar' {
  let kind: string | undefined;
  for (const list of lists) {
    for (const element of list) {
      const elementKind = element === null ? 'null' : Array.isArray(element) ? 'array' : typeof element;
      if (elementKind === 'array') throw applyError('lists of lists are not supported');
      if (kind !== undefined && kind !== elementKind) {
        throw applyError(`list element types are not identical: ${goFormat(lists)}`);
      }
      kind = elementKind;
    }
  }
  return kind === 'object' ? 'object' : 'scalar';
}

function uniqueScalars(values: unknown[]): unknown[] {
  return [...new Set(values)];
}

/**
 * A patch value as it is stored: maps carrying `$patch` are dropped, null members and directive
 * keys removed (removeDirectives and discardNullValuesFromPatch upstream).
 */
function cleanValue(value: unknown): unknown {
  if (Array.isArray(value)) return cleanList(value);
  if (!isJsonObject(value)) return value;
  if (Object.hasOwn(value, PATCH)) return DROP;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const child = value[key];
    if (child === null || child === undefined || isDirectiveKey(key)) continue;
    setOrDrop(out, key, cleanValue(child));
  }
  return out;
}

function cleanList(list: unknown[]): unknown[] {
  return list.map(cleanValue).filter((item) => item !== DROP);
}

function isDirectiveKey(key: string): boolean {
  if (!key.startsWith('$')) return false;
  if (key === RETAIN_KEYS || key.startsWith(SET_ELEMENT_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) return true;
  throw unknownDirective(key);
}

function setOrDrop(object: JsonObject, key: string, value: unknown): void {
  if (value === DROP) delete object[key];
  else setOwn(object, key, value);
}

/** extractKey: `<prefix>/<field>` → field. */
function directiveField(key: string, prefix: string, message: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw decodeError(message);
  return key.slice(slash + 1);
}

function unknownDirective(key: string): PatchError {
  return decodeError(`unknown strategic merge patch directive: ${key}`);
}

function noMergeKey(element: unknown, mergeKey: string): string {
  return `map: ${goFormat(element)} does not contain declared merge key: ${mergeKey}`;
}

function badPatchType(directive: unknown, map: JsonObject): string {
  return `unknown patch type: ${goFormat(directive)} in map: ${goFormat(map)}`;
}

function badArgType(actual: unknown): string {
  const type = isJsonObject(actual) ? 'map[string]interface {}' : typeof actual === 'number' ? 'float64' : typeof actual;
  return `expected a []interface {}, but received a ${type}`;
}

/** Go's %v of decoded JSON (maps print with sorted keys), for messages that match upstream's. */
function goFormat(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (isJsonObject(value)) {
    const members = Object.keys(value).sort().map((key) => `${key}:${goFormat(value[key])}`);
    return `map[${members.join(' ')}]`;
  }
  return String(value);
}

function decodeError(message: string): PatchError {
  return new PatchError('decode', message);
}

function applyError(message: string): PatchError {
  return new PatchError('apply', message);
}
