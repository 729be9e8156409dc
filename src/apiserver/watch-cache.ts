// One global event log (every committed change, in resourceVersion order) and the watchers fed
// from it. It plays the part of etcd's revision history plus the apiserver's watch cache
// (apiserver pkg/storage/cacher): bounded history, 410 Expired for watches that start before it,
// and per-watcher filtering where an object that stops matching the selector yields DELETED and
// one that starts matching yields ADDED (cacher/cache_watcher.go convertToWatchEvent).
//
// Delivery is synchronous and in RV order for every watcher: a sink or commit listener that writes
// while an event is being delivered only queues the new event, which is delivered once the current
// one has reached everyone.
import { deepFreeze } from './deep-copy.js';
import type { ResourceType } from './registry.js';
import type { Selection } from './selection.js';
import type { KubeObject, Status, WatchEvent } from './types.js';

export type CommitType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A committed change. For DELETED, `object` is the last state carrying the deletion's RV. */
export interface LoggedEvent {
  readonly rv: number;
  readonly type: CommitType;
  readonly resource: ResourceType;
  readonly key: string;
  readonly object: KubeObject;
  readonly prev?: KubeObject;
}

export interface WatchSink {
  event(ev: WatchEvent): void;
  closed(status?: Status): void;
}

export interface WatchHandle {
  stop(): void;
  readonly stopped: boolean;
}

/** The `k8s.io/initial-events-end` annotation (metav1.InitialEventsAnnotationKey). */
export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

export class Watcher implements WatchHandle {
  /** The RV of the last change this watcher has been given (or skipped as not matching). */
  lastRv = 0;
  #stopped = false;
  readonly #detach: (watcher: Watcher) => void;
  /** No namespace and no selector: every object of the kind matches, so deliver skips the predicate. */
  readonly #matchesAll: boolean;

  constructor(
    readonly resource: ResourceType,
    readonly selection: Selection,
    readonly allowBookmarks: boolean,
    readonly sink: WatchSink,
    detach: (watcher: Watcher) => void,
  ) {
    this.#detach = detach;
    this.#matchesAll = selection.empty && selection.namespace === undefined;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#detach(this);
  }

  /** Sends an ERROR event with `status`, then closes the watch (cacher: errors end the stream). */
  fail(status: Status): void {
    if (this.#stopped) return;
    this.sink.event({ type: 'ERROR', object: status });
    this.stop();
    this.sink.closed(status);
  }

  /**
   * A BOOKMARK: an object of the watched kind carrying only metadata.resourceVersion (and
   * annotations). The caller passes an RV every change up to which this watcher has been given.
   */
  bookmark(rv: number, annotations?: Record<string, string>): void {
    if (this.#stopped) return;
    const metadata: KubeObject['metadata'] = { resourceVersion: String(rv) };
    if (annotations) metadata.annotations = annotations;
    const apiVersion = this.resource.group === '' ? this.resource.version : `${this.resource.group}/${this.resource.version}`;
    this.sink.event({ type: 'BOOKMARK', object: { apiVersion, kind: this.resource.kind, metadata } });
  }

  /** Delivers a committed change, translated for this watcher's selection. */
  deliver(ev: LoggedEvent, deletedView: (ev: LoggedEvent) => KubeObject): void {
    if (this.#stopped || ev.rv <= this.lastRv) return;
    this.lastRv = ev.rv;
    const all = this.#matchesAll;
    const now = ev.type !== 'DELETED' && (all || this.selection.matches(ev.object));
    const before = ev.prev !== undefined && (all || this.selection.matches(ev.prev));
    if (ev.type === 'DELETED') {
      if (before) this.sink.event({ type: 'DELETED', object: ev.object });
    } else if (now) {
      this.sink.event({ type: before ? 'MODIFIED' : 'ADDED', object: ev.object });
    } else if (before) {
      this.sink.event({ type: 'DELETED', object: deletedView(ev) });
    }
  }
}

export interface WatchCacheOptions {
  /** Events kept for watches and historical lists (default 10000). */
  historyLimit?: number;
}

export class WatchCache {
  readonly #limit: number;
  #log: LoggedEvent[] = [];
  #head = 0;
  #compactedRv = 0;
  readonly #watchers = new Map<ResourceType, Set<Watcher>>();
  /** Replaced, never edited, when a listener comes or goes: a drain walks the array it started with. */
  #listeners: readonly ((ev: LoggedEvent) => void)[] = [];
  readonly #queue: LoggedEvent[] = [];
  #draining = false;
  #dispatchedRv = 0;
  readonly #deletedViews = new WeakMap<LoggedEvent, KubeObject>();
  /** deletedView as a callback for Watcher.deliver, made once. */
  readonly #deletedViewCallback = (ev: LoggedEvent): KubeObject => this.deletedView(ev);

  constructor(options: WatchCacheOptions = {}) {
    this.#limit = Math.max(1, options.historyLimit ?? 10000);
  }

  /** History holds every change after this RV; watches and exact lists at older RVs get 410. */
  get compactedRv(): number {
    return this.#compactedRv;
  }

  get size(): number {
    return this.#log.length - this.#head;
  }

  /** Every change up to this RV has reached every watcher (less than the store's RV only mid-delivery). */
  get dispatchedRv(): number {
    return this.#dispatchedRv;
  }

  /** Records a committed change and delivers it (now, or after the change being delivered). */
  append(ev: LoggedEvent): void {
    this.#log.push(ev);
    const size = this.#log.length - this.#head;
    if (size > this.#limit) this.#drop(size - this.#limit);
    if (this.#draining) {
      this.#queue.push(ev);
      return;
    }
    // Events left queued by a delivery that threw go first, as they would have.
    if (this.#queue.length > 0) {
      this.#queue.push(ev);
      this.#drain(this.#queue.shift() as LoggedEvent);
    } else {
      this.#drain(ev);
    }
  }

  /** Test hook and fault: keeps only the newest `keepLast` events. */
  compact(keepLast: number): void {
    const excess = this.size - Math.max(0, Math.floor(keepLast));
    if (excess > 0) this.#drop(excess);
  }

  #drop(count: number): void {
    this.#compactedRv = this.#log[this.#head + count - 1].rv;
    this.#head += count;
    if (this.#head > 1024 && this.#head * 2 > this.#log.length) {
      this.#log = this.#log.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Changes with RV in (afterRv, throughRv], oldest first. The caller checks afterRv >= compactedRv. */
  *eventsBetween(afterRv: number, throughRv: number): Generator<LoggedEvent> {
    const firstRv = this.size > 0 ? this.#log[this.#head].rv : throughRv + 1;
    for (let i = this.#head + Math.max(0, afterRv + 1 - firstRv); i < this.#log.length; i++) {
      if (this.#log[i].rv > throughRv) return;
      yield this.#log[i];
    }
  }

  /** Changes with RV above `afterRv`, newest first. */
  *eventsNewestFirst(afterRv: number): Generator<LoggedEvent> {
    for (let i = this.#log.length - 1; i >= this.#head && this.#log[i].rv > afterRv; i--) yield this.#log[i];
  }

  onEvent(listener: (ev: LoggedEvent) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners = this.#listeners.filter((_, i) => i !== index);
    };
  }

  /** Registers a watcher that has been brought up to date (its lastRv set by the caller). */
  addWatcher(watcher: Watcher): void {
    let set = this.#watchers.get(watcher.resource);
    if (!set) {
      set = new Set();
      this.#watchers.set(watcher.resource, set);
    }
    set.add(watcher);
  }

  removeWatcher(watcher: Watcher): void {
    this.#watchers.get(watcher.resource)?.delete(watcher);
  }

  /** Every live watcher, kinds in first-watch order, watchers in start order. */
  *watchers(): Generator<Watcher> {
    for (const set of this.#watchers.values()) yield* set;
  }

  /** The previous object of a change, carrying that change's RV: what a watcher that stops matching sees. */
  deletedView(ev: LoggedEvent): KubeObject {
    let view = this.#deletedViews.get(ev);
    if (!view) {
      const prev = ev.prev as KubeObject;
      view = deepFreeze({ ...prev, metadata: { ...prev.metadata, resourceVersion: String(ev.rv) } });
      this.#deletedViews.set(ev, view);
    }
    return view;
  }

  /** Delivers `first`, then what was committed meanwhile, in order. */
  #drain(first: LoggedEvent): void {
    this.#draining = true;
    const deletedView = this.#deletedViewCallback;
    try {
      for (let ev: LoggedEvent | undefined = first; ev !== undefined; ev = this.#queue.shift()) {
        const listeners = this.#listeners;
        for (let i = 0; i < listeners.length; i++) listeners[i](ev);
        const set = this.#watchers.get(ev.resource);
        if (set) for (const watcher of set) watcher.deliver(ev, deletedView);
        this.#dispatchedRv = ev.rv;
      }
    } finally {
      this.#draining = false;
    }
  }
}
