// Object keys `namespace/name` (the store's and client-go's MetaNamespaceKeyFunc), kept by namespace
// and name so that a lookup by the two parts hands back the one key string already in use. Those
// parts are mostly strings taken from stored objects, whose hashes V8 has computed already; the key
// found is the string a Map holds, hashed already too. A freshly built `namespace/name` would be
// flattened and hashed again on every Map lookup, which on the request and watch paths is much of
// what a lookup costs.
//
// Only keys with a slash are kept (names and namespaces hold none); a cluster-scoped key is the
// name itself and needs no help.

export class InternedKeys {
  readonly #byNamespace = new Map<string, Map<string, string>>();

  /** The kept key for `namespace`/`name`, or undefined. */
  get(namespace: string, name: string): string | undefined {
    return this.#byNamespace.get(namespace)?.get(name);
  }

  /** Keeps `key` (a no-op for a key without a namespace). */
  add(key: string): void {
    const slash = key.indexOf('/');
    if (slash < 0) return;
    const namespace = key.slice(0, slash);
    let names = this.#byNamespace.get(namespace);
    if (names === undefined) this.#byNamespace.set(namespace, (names = new Map()));
    names.set(key.slice(slash + 1), key);
  }

  /** Forgets `key`. */
  delete(key: string): void {
    const slash = key.indexOf('/');
    if (slash < 0) return;
    const namespace = key.slice(0, slash);
    const names = this.#byNamespace.get(namespace);
    if (names === undefined) return;
    names.delete(key.slice(slash + 1));
    if (names.size === 0) this.#byNamespace.delete(namespace);
  }
}
