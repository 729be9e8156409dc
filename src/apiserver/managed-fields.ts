// Field sets for server-side apply's managedFields, in the FieldsV1 shape
// ({"f:spec":{"f:replicas":{}}}), kept deliberately coarse: objects are walked member by member,
// lists and scalars are leaves (atomic), and of metadata only labels, annotations, finalizers and
// ownerReferences are tracked. structured-merge-diff (sigs.k8s.io/structured-merge-diff/v4
// fieldpath) tracks list items by key; k8s-api.md §2.8 settles for this minimum.
import { getOwn, isJsonObject, type JsonObject } from './json-value.js';

/** A field path as a list of member names. */
export type FieldPath = string[];

const TRACKED_METADATA: readonly string[] = Object.freeze(['labels', 'annotations', 'finalizers', 'ownerReferences']);
const SKIPPED_TOP_LEVEL: readonly string[] = Object.freeze(['apiVersion', 'kind']);

function collectLeaves(value: unknown, path: FieldPath, out: FieldPath[]): void {
  if (!isJsonObject(value) || Object.keys(value).length === 0) {
    out.push(path);
    return;
  }
  for (const key of Object.keys(value)) collectLeaves(value[key], [...path, key], out);
}

/** The leaf paths an applied configuration sets. */
export function appliedLeaves(applied: JsonObject): FieldPath[] {
  const out: FieldPath[] = [];
  for (const key of Object.keys(applied)) {
    if (SKIPPED_TOP_LEVEL.includes(key)) continue;
    if (key !== 'metadata') {
      collectLeaves(applied[key], [key], out);
      continue;
    }
    const meta = applied.metadata;
    if (!isJsonObject(meta)) continue;
    for (const metaKey of TRACKED_METADATA) {
      if (getOwn(meta, metaKey) !== undefined) collectLeaves(meta[metaKey], ['metadata', metaKey], out);
    }
  }
  return out;
}

/** Leaf paths → FieldsV1. */
export function toFieldsV1(paths: readonly FieldPath[]): JsonObject {
  const root: JsonObject = {};
  for (const path of paths) {
    let node = root;
    for (const key of path) {
      const member = `f:${key}`;
      if (!isJsonObject(node[member])) node[member] = {};
      node = node[member] as JsonObject;
    }
  }
  return root;
}

/** FieldsV1 → leaf paths (members without children). */
export function fromFieldsV1(fields: unknown, prefix: FieldPath = []): FieldPath[] {
  if (!isJsonObject(fields)) return [];
  const out: FieldPath[] = [];
  for (const member of Object.keys(fields)) {
    if (!member.startsWith('f:')) continue;
    const path = [...prefix, member.slice(2)];
    const child = fields[member];
    if (isJsonObject(child) && Object.keys(child).length > 0) out.push(...fromFieldsV1(child, path));
    else out.push(path);
  }
  return out;
}

/** fieldpath.Path.String() for member-only paths: ".spec.replicas". */
export function formatFieldPath(path: FieldPath): string {
  return path.map((key) => `.${key}`).join('');
}

/** The value at `path`, or undefined. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let node = obj;
  for (const key of path) {
    if (!isJsonObject(node)) return undefined;
    node = getOwn(node, key);
  }
  return node;
}

/** Removes the member at `path` (and parents left empty by it). */
export function removeAt(obj: JsonObject, path: FieldPath): void {
  const parents: JsonObject[] = [];
  let node: unknown = obj;
  for (const key of path.slice(0, -1)) {
    if (!isJsonObject(node)) return;
    parents.push(node);
    node = getOwn(node, key);
  }
  if (!isJsonObject(node)) return;
  delete node[path[path.length - 1]];
  for (let i = parents.length - 1; i >= 0; i--) {
    const child = parents[i][path[i]];
    if (isJsonObject(child) && Object.keys(child).length === 0 && path[0] !== 'metadata') delete parents[i][path[i]];
    else break;
  }
}
