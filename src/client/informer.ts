// An informer: a local cache of one resource kept current by list + watch, with event handlers and
// indexes (k8s.io/client-go/tools/cache/reflector.go, shared_informer.go, thread_safe_store.go).
// - It lists, replaces its cache (handlers see adds, updates and deletes for the difference), then
//   watches from the list's resourceVersion with bookmarks.
// - A watch that ends with 410 Gone (history compacted) relists; one that ends cleanly re-watches from
//   the last resourceVersion seen; a broken connection or a failed request backs off (800 ms doubling
//   to 30 s, starting over after two quiet minutes: the reflector's backoff manager) and tries again.
// - Resync (optional) replays every cached object to the update handlers.
// - A stale view (a fault) holds back the last `lag` watch events: the cache trails the server by
//   that many revisions until the lag is lifted.

import { isApiError } from '../apiserver/api-error.js';
import { InternedKeys } from '../apiserver/interned-keys.js';
import type { KubeObject, ResourceId, Status, WatchEvent } from '../apiserver/types.js';
import type { ChoiceSource } from '../sim/chooser.js';
import { perform, sleep, type Effect, type Proc } from '../sim/process.js';
import type { Simulation } from '../sim/simulation.js';
import { NetworkError } from './network-error.js';
import type { SimClient } from './sim-client.js';

export interface InformerOptions {
  resource: ResourceId;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Replay the cache to update handlers this often; 0 (default) disables resync. */
  resyncPeriodMs?: number;
}

export interface InformerHandlers {
  add?(obj: KubeObject): void;
  update?(oldObj: KubeObject, newObj: KubeObject): void;
  delete?(obj: KubeObject): void;
}

export type IndexFunc = (obj: KubeObject) => string[];

/**
 * One index: value -> cache keys, and each key's values as last computed (client-go's indices and
 * index funcs in thread_safe_store.go). Keeping each key's values means an update runs the index
 * function on the new object only, and touches the index only when its values changed (client-go's
 * updateSingleIndex skips an update whose single value is unchanged). Index functions are pure, as
 * client-go requires.
 */
interface CacheIndex {
  readonly fn: IndexFunc;
  readonly keysByValue: Map<string, Set<string>>;
  readonly valuesByKey: Map<string, readonly string[]>;
  /** Each value's keys sorted, built when asked for and dropped when the value's keys change. */
  readonly sortedKeysByValue: Map<string, readonly string[]>;
}

/** Cache key: `namespace/name`, or `name` for cluster-scoped objects (client-go MetaNamespaceKeyFunc). */
export function objectKey(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : (name ?? '');
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

const BACKOFF_INITIAL_MS = 800;
const BACKOFF_MAX_MS = 30_000;
/** The backoff starts over after this long without a failure (the reflector's backoff manager). */
const BACKOFF_RESET_MS = 120_000;

export interface InformerDeps {
  sim: Simulation;
  client: SimClient;
  /** Name for traces: `component/resource`. */
  name: string;
}

export class Informer {
  readonly name: string;
  readonly options: InformerOptions;
  readonly #sim: Simulation;
  readonly #client: SimClient;
  readonly #jitter: ChoiceSource;
  readonly #items = new Map<string, KubeObject>();
  /** The cached objects' keys by namespace and name: an event's key is the cached string (hashed already). */
  readonly #keys = new InternedKeys();
  #sortedKeys: string[] | null = null;
  readonly #handlers: InformerHandlers[] = [];
  readonly #indexes = new Map<string, CacheIndex>();
  /** The indexes in the order they were added (what #put walks for every event). */
  readonly #indexList: CacheIndex[] = [];
  readonly #held: WatchEvent[] = [];
  #lag = 0;
  #synced = false;
  #lastResourceVersion = '';
  #relists = 0;
  #stopped = false;
  #backoffMs = BACKOFF_INITIAL_MS;
  #lastBackoffAtMs = -Infinity;
  #watch: { stop(): void } | undefined;

  constructor(deps: InformerDeps, options: InformerOptions) {
    this.#sim = deps.sim;
    this.#client = deps.client;
    this.name = deps.name;
    this.options = options;
    this.#jitter = deps.sim.choices('informer/backoff');
  }

  get hasSynced(): boolean {
    return this.#synced;
  }

  /** The resourceVersion the cache is at (last list, event or bookmark applied). */
  get lastResourceVersion(): string {
    return this.#lastResourceVersion;
  }

  /** How many times the informer has listed (1 after the first sync). */
  get lists(): number {
    return this.#relists;
  }

  addHandler(handlers: InformerHandlers): void {
    this.#handlers.push(handlers);
    if (this.#synced) for (const obj of this.#items.values()) handlers.add?.(obj);
  }

  hasIndexer(name: string): boolean {
    return this.#indexes.has(name);
  }

  addIndexer(name: string, fn: IndexFunc): void {
    const index: CacheIndex = { fn, keysByValue: new Map(), valuesByKey: new Map(), sortedKeysByValue: new Map() };
    const previous = this.#indexes.get(name);
    if (previous !== undefined) this.#indexList[this.#indexList.indexOf(previous)] = index;
    else this.#indexList.push(index);
    this.#indexes.set(name, index);
    for (const [key, obj] of this.#items) reindex(index, key, obj);
  }

  get(key: string): KubeObject | undefined {
    return this.#items.get(key);
  }

  /** Cached objects, in cache-key order, optionally of one namespace. */
  list(namespace?: string): KubeObject[] {
    const keys = this.#orderedKeys();
    const out: KubeObject[] = [];
    if (namespace === undefined) {
      for (const k of keys) out.push(this.#items.get(k)!);
      return out;
    }
    // Keys are `namespace/name`, so one namespace's keys are contiguous in the sorted order.
    const prefix = `${namespace}/`;
    let i = lowerBound(keys, prefix);
    while (i < keys.length && keys[i].startsWith(prefix)) out.push(this.#items.get(keys[i++])!);
    return out;
  }

  keys(): string[] {
    return this.#orderedKeys().slice();
  }

  /** The cache keys sorted, recomputed only after an add or a delete. */
  #orderedKeys(): string[] {
    if (this.#sortedKeys === null) this.#sortedKeys = [...this.#items.keys()].sort();
    return this.#sortedKeys;
  }

  byIndex(indexName: string, value: string): KubeObject[] {
    const index = this.#indexes.get(indexName);
    if (index === undefined) throw new Error(`informer ${this.name}: no index ${indexName}`);
    let keys = index.sortedKeysByValue.get(value);
    if (keys === undefined) {
      const set = index.keysByValue.get(value);
      if (set === undefined) return [];
      keys = [...set].sort();
      index.sortedKeysByValue.set(value, keys);
    }
    const out: KubeObject[] = new Array<KubeObject>(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = this.#items.get(keys[i])!;
    return out;
  }

  /** Holds back the last `lag` watch events (0 lifts it and applies what was held). */
  setLag(lag: number): void {
    this.#lag = Math.max(0, Math.floor(lag));
    this.#releaseHeld();
  }

  /** The list-and-watch loop, to run as a process of the owning component. */
  *run(): Proc<void> {
    let needList = true;
    while (!this.#stopped) {
      if (needList) {
        const listed = yield* this.#list();
        if (!listed) {
          yield* sleep(this.#nextBackoff());
          continue;
        }
        needList = false;
      }
      const reason = yield* this.#watchUntilClosed();
      if (this.#stopped) return;
      if (reason === undefined) {
        this.#backoffMs = BACKOFF_INITIAL_MS;
        continue;
      }
      if ('kind' in reason && reason.kind === 'Status' && reason.code === 410) {
        needList = true;
        continue;
      }
      yield* sleep(this.#nextBackoff());
    }
  }

  /** A resync loop, when a period is set; run it as a process of the owning component. */
  *resync(): Proc<void> {
    const period = this.options.resyncPeriodMs ?? 0;
    if (period <= 0) return;
    while (!this.#stopped) {
      yield* sleep(period);
      if (!this.#synced) continue;
      for (const obj of [...this.#items.values()]) for (const h of this.#handlers) h.update?.(obj, obj);
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#watch?.stop();
  }

  /**
   * The next backoff: 800 ms doubling to 30 s, starting over when the last one was more than two
   * minutes ago (client-go reflector: NewExponentialBackoffManager(800ms, 30s, 2min, 2.0, ...); its
   * Backoff() resets the duration once backoffResetDuration has passed since the last backoff), so
   * a partition late in a long run is not paid for with the backoff of an early one.
   */
  #nextBackoff(): number {
    const now = this.#sim.nowMs;
    if (now - this.#lastBackoffAtMs > BACKOFF_RESET_MS) this.#backoffMs = BACKOFF_INITIAL_MS;
    this.#lastBackoffAtMs = now;
    const baseMs = this.#backoffMs;
    this.#backoffMs = Math.min(BACKOFF_MAX_MS, baseMs * 2);
    return baseMs + this.#jitter.between(0, Math.floor(baseMs / 4));
  }

  *#list(): Proc<boolean> {
    const { resource, namespace, labelSelector, fieldSelector } = this.options;
    try {
      const list = yield* this.#client.list(resource, { namespace, labelSelector, fieldSelector });
      if (this.#stopped) return false;
      this.#replace(list.items);
      this.#lastResourceVersion = list.metadata.resourceVersion;
      this.#relists++;
      this.#synced = true;
      return true;
    } catch (e) {
      if (isApiError(e) || e instanceof NetworkError) return false;
      throw e;
    }
  }

  /** Watches from the last resourceVersion until the stream closes; returns why it closed. */
  *#watchUntilClosed(): Proc<Status | NetworkError | undefined> {
    const { resource, namespace, labelSelector, fieldSelector } = this.options;
    const effect: Effect<Status | NetworkError | undefined> = {
      description: `watch ${resource.resource}`,
      start: (_sim, resume) => {
        // The new watch resumes after the last event *applied* (the reflector's
        // lastSyncResourceVersion), so the server sends the held-back events again: drop the old
        // copies, or a stale view would apply them twice and move the cache backwards.
        this.#held.length = 0;
        this.#watch = this.#client.watch(resource, { namespace, labelSelector, fieldSelector, resourceVersion: this.#lastResourceVersion, allowWatchBookmarks: true }, {
          event: (ev) => this.#onEvent(ev),
          closed: (reason) => resume.ok(reason),
        });
        return () => this.#watch?.stop();
      },
    };
    return yield* perform(effect);
  }

  #onEvent(ev: WatchEvent): void {
    if (ev.type === 'ERROR') return; // the stream closes right after; the loop decides what to do
    if (ev.type === 'BOOKMARK') {
      if (this.#held.length === 0) this.#lastResourceVersion = (ev.object as KubeObject).metadata.resourceVersion ?? this.#lastResourceVersion;
      return;
    }
    // No lag and nothing held (the usual case): the event is applied as it arrives.
    if (this.#lag === 0 && this.#held.length === 0) this.#apply(ev);
    else {
      this.#held.push(ev);
      this.#releaseHeld();
    }
  }

  #releaseHeld(): void {
    while (this.#held.length > this.#lag) this.#apply(this.#held.shift()!);
  }

  /** objectKey(obj), as the cache's own key string when the object is cached. */
  #keyOf(obj: KubeObject): string {
    const { namespace, name } = obj.metadata;
    return (namespace && name !== undefined ? this.#keys.get(namespace, name) : undefined) ?? objectKey(obj);
  }

  #apply(ev: WatchEvent): void {
    const obj = ev.object as KubeObject;
    const key = this.#keyOf(obj);
    this.#lastResourceVersion = newerResourceVersion(this.#lastResourceVersion, obj.metadata.resourceVersion);
    if (ev.type === 'DELETED') {
      const old = this.#items.get(key);
      if (old === undefined) return;
      this.#remove(key);
      for (const h of this.#handlers) h.delete?.(obj);
      return;
    }
    const old = this.#items.get(key);
    this.#put(key, obj, old);
    for (const h of this.#handlers) {
      if (old === undefined) h.add?.(obj);
      else h.update?.(old, obj);
    }
  }

  /** Replaces the cache with a fresh list; handlers see the difference (client-go DeltaFIFO.Replace). */
  #replace(items: readonly KubeObject[]): void {
    this.#held.length = 0;
    const fresh = new Map<string, KubeObject>();
    for (const obj of items) fresh.set(this.#keyOf(obj), obj);
    for (const [key, old] of [...this.#items]) {
      if (fresh.has(key)) continue;
      this.#remove(key);
      for (const h of this.#handlers) h.delete?.(old);
    }
    for (const [key, obj] of fresh) {
      const old = this.#items.get(key);
      this.#put(key, obj, old);
      for (const h of this.#handlers) {
        if (old === undefined) h.add?.(obj);
        else h.update?.(old, obj);
      }
    }
  }

  #put(key: string, obj: KubeObject, old: KubeObject | undefined): void {
    if (old === undefined) {
      this.#sortedKeys = null;
      this.#keys.add(key);
    }
    this.#items.set(key, obj);
    const indexes = this.#indexList;
    for (let i = 0; i < indexes.length; i++) reindex(indexes[i], key, obj);
  }

  #remove(key: string): void {
    for (const index of this.#indexList) {
      const before = index.valuesByKey.get(key);
      if (before === undefined) continue;
      unindexValues(index, key, before);
      index.valuesByKey.delete(key);
    }
    this.#items.delete(key);
    this.#keys.delete(key);
    this.#sortedKeys = null;
  }
}

/** Files `key` under the values of `obj`, moving it from its previous values if they changed. */
function reindex(index: CacheIndex, key: string, obj: KubeObject): void {
  const values = index.fn(obj);
  const before = index.valuesByKey.get(key);
  if (before !== undefined) {
    if (sameValues(before, values)) return;
    unindexValues(index, key, before);
  }
  for (const value of values) {
    let set = index.keysByValue.get(value);
    if (set === undefined) index.keysByValue.set(value, (set = new Set()));
    if (!set.has(key)) {
      set.add(key);
      index.sortedKeysByValue.delete(value);
    }
  }
  index.valuesByKey.set(key, values);
}

function unindexValues(index: CacheIndex, key: string, values: readonly string[]): void {
  for (const value of values) {
    const set = index.keysByValue.get(value);
    if (set?.delete(key)) index.sortedKeysByValue.delete(value);
    if (set?.size === 0) index.keysByValue.delete(value);
  }
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The later of two resourceVersions. A watch stream is ordered, so upstream just takes the last one;
 * here a withheld event (the drop fault) can arrive after newer ones, and re-watching from its older
 * version would replay history. The simulated API server's versions are decimal integers.
 */
function newerResourceVersion(current: string, incoming: string | undefined): string {
  if (incoming === undefined) return current;
  if (current === '') return incoming;
  return Number(incoming) > Number(current) ? incoming : current;
}

/** The first index whose key is not below `key` (keys sorted ascending). */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
