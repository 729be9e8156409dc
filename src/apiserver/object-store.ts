// The current state: one table per kind, mapping storage keys to the stored (frozen) objects.
// Keys are "namespace/name" for namespaced kinds and "name" otherwise, and lists walk them in
// key order, as etcd walks /registry/<resource>/<namespace>/<name> (k8s-api.md §2.1).
import { InternedKeys } from './interned-keys.js';
import type { ResourceType } from './registry.js';
import type { KubeObject } from './types.js';

/** The storage key of an object of `type`. */
export function objectKey(type: ResourceType, namespace: string | undefined, name: string): string {
  return type.namespaced ? `${namespace ?? ''}/${name}` : name;
}

/** Binary search: the first index in sorted `keys` whose key is >= `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ObjectTable {
  readonly #objects: Map<string, KubeObject>;
  #sorted: string[] | undefined;
  /** The stored keys by namespace and name (a lookup by the two reuses the stored key string and its hash). */
  readonly #keys = new InternedKeys();

  constructor(objects: Map<string, KubeObject> = new Map()) {
    this.#objects = objects;
    for (const key of objects.keys()) this.#keys.add(key);
  }

  get size(): number {
    return this.#objects.size;
  }

  get(key: string): KubeObject | undefined {
    return this.#objects.get(key);
  }

  /** The stored key `namespace/name` (the same string every time), or undefined when no such object is stored. */
  storedKey(namespace: string, name: string): string | undefined {
    return this.#keys.get(namespace, name);
  }

  set(key: string, obj: KubeObject): void {
    if (!this.#objects.has(key)) {
      if (this.#sorted !== undefined) this.#sorted.splice(lowerBound(this.#sorted, key), 0, key);
      this.#keys.add(key);
    }
    this.#objects.set(key, obj);
  }

  delete(key: string): void {
    if (!this.#objects.delete(key)) return;
    this.#keys.delete(key);
    if (this.#sorted === undefined) return;
    const index = lowerBound(this.#sorted, key);
    if (this.#sorted[index] === key) this.#sorted.splice(index, 1);
  }

  /** A copy of the key → object map (for building historical snapshots). */
  copyEntries(): Map<string, KubeObject> {
    return new Map(this.#objects);
  }

  /** Every key, sorted (built once, then kept sorted by set and delete). Copy before writing to the table while iterating. */
  sortedKeys(): readonly string[] {
    if (this.#sorted === undefined) this.#sorted = [...this.#objects.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return this.#sorted;
  }

  /** Keys starting with `prefix`, from the first one >= `from`, in order. */
  *keysFrom(prefix: string, from: string): Generator<string> {
    const keys = this.sortedKeys();
    for (let i = lowerBound(keys, from > prefix ? from : prefix); i < keys.length; i++) {
      if (!keys[i].startsWith(prefix)) return;
      yield keys[i];
    }
  }

  /** Objects whose key starts with `prefix`, in key order. */
  *valuesWithPrefix(prefix: string): Generator<KubeObject> {
    for (const key of this.keysFrom(prefix, prefix)) yield this.#objects.get(key) as KubeObject;
  }
}

export class ObjectStore {
  readonly #tables = new Map<ResourceType, ObjectTable>();

  /** objectKey(type, namespace, name), as the string the table stores when it holds that object. */
  key(type: ResourceType, namespace: string | undefined, name: string): string {
    if (!type.namespaced) return name;
    return this.table(type).storedKey(namespace ?? '', name) ?? objectKey(type, namespace, name);
  }

  table(type: ResourceType): ObjectTable {
    let table = this.#tables.get(type);
    if (!table) {
      table = new ObjectTable();
      this.#tables.set(type, table);
    }
    return table;
  }
}
