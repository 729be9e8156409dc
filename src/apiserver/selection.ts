// Which objects a list or watch request selects: namespace, label selector and field selector
// (apiserver pkg/storage/selection_predicate.go). Field selectors may name metadata.name,
// metadata.namespace and the kind's selectable fields; anything else is refused with upstream's
// conversion error, `field label not supported: X` (400; handlers/get.go wraps ConvertFieldLabel).
import { badRequest } from './api-error.js';
import { FieldSelector } from './field-selector.js';
import { LabelSelector } from './label-selector.js';
import type { ResourceType } from './registry.js';
import type { KubeObject } from './types.js';

export interface SelectionRequest {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** A compiled request predicate. `empty` when no label or field selector narrows the result. */
export interface Selection {
  readonly namespace: string | undefined;
  readonly empty: boolean;
  matches(obj: KubeObject): boolean;
}

function readPath(obj: unknown, parts: readonly string[]): unknown {
  let node = obj;
  for (const part of parts) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = Object.hasOwn(node, part) ? (node as Record<string, unknown>)[part] : undefined;
  }
  return node;
}

/**
 * What reads the string a field selector compares against (a missing field reads as ""), with the
 * field's path split once: a watch's selection runs for every change of its kind.
 */
function fieldReader(type: ResourceType, label: string): (obj: KubeObject) => string {
  if (label === 'metadata.name') return (obj) => obj.metadata.name ?? '';
  if (label === 'metadata.namespace') return (obj) => obj.metadata.namespace ?? '';
  const parts = (type.selectableFieldPaths?.[label] ?? label).split('.');
  return (obj) => {
    const value = readPath(obj, parts);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return '';
  };
}

/** The string a field selector compares against; a missing field reads as "". */
export function fieldValue(type: ResourceType, obj: KubeObject, label: string): string {
  return fieldReader(type, label)(obj);
}

function parseLabels(text: string | undefined): LabelSelector | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return LabelSelector.parse(text);
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : String(error));
  }
}

function parseFields(type: ResourceType, text: string | undefined): FieldSelector | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let selector: FieldSelector;
  try {
    selector = FieldSelector.parse(text);
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : String(error));
  }
  const supported = new Set(['metadata.name', 'metadata.namespace', ...(type.selectableFields ?? [])]);
  for (const label of selector.fields()) {
    if (!supported.has(label)) throw badRequest(`field label not supported: ${label}`);
  }
  return selector;
}

/** Compiles a request's namespace and selectors; throws 400 for unparsable or unsupported selectors. */
export function compileSelection(type: ResourceType, request: SelectionRequest): Selection {
  const labels = parseLabels(request.labelSelector);
  const fields = parseFields(type, request.fieldSelector);
  const namespace = type.namespaced && request.namespace ? request.namespace : undefined;
  const readers = new Map<string, (obj: KubeObject) => string>();
  for (const label of fields?.fields() ?? []) readers.set(label, fieldReader(type, label));
  return Object.freeze({
    namespace,
    empty: labels === undefined && fields === undefined,
    matches(obj: KubeObject): boolean {
      if (namespace !== undefined && obj.metadata.namespace !== namespace) return false;
      if (labels && !labels.matches(obj.metadata.labels ?? {})) return false;
      return !fields || fields.matches((label: string) => readers.get(label)!(obj));
    },
  });
}

/** How many compiled selections a cache keeps per kind before it starts over. */
const MAX_CACHED_PER_KIND = 256;

/**
 * compileSelection with the result kept per kind and request (namespace, label and field selector
 * text): a Selection is immutable and a pure function of those, and components list and watch with
 * the same few selectors again and again (every informer start, relist and re-watch), so each is
 * parsed once. Refused selectors are not kept: they throw again. One cache per API server.
 */
export class SelectionCache {
  readonly #byKind = new Map<ResourceType, Map<string, Selection>>();

  compile(type: ResourceType, request: SelectionRequest): Selection {
    const key = `${request.namespace ?? ''}\u0000${request.labelSelector ?? ''}\u0000${request.fieldSelector ?? ''}`;
    let cached = this.#byKind.get(type);
    let selection = cached?.get(key);
    if (selection !== undefined) return selection;
    selection = compileSelection(type, request);
    if (cached === undefined || cached.size >= MAX_CACHED_PER_KIND) this.#byKind.set(type, (cached = new Map()));
    cached.set(key, selection);
    return selection;
  }
}
