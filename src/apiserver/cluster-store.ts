// The storage layer under the API server: the global resourceVersion counter (one integer, as
// etcd's revision; k8s-api.md §2.1), the current objects and the event log. Every commit bumps the
// RV by exactly one and logs exactly one event, so RV n is the n-th change and the state at any
// retained RV can be rebuilt by undoing the newer changes (what etcd's MVCC answers for an
// Exact list or a continue token).
import { deepFreezeStored } from './deep-copy.js';
import { ObjectStore, ObjectTable } from './object-store.js';
import type { ResourceType } from './registry.js';
import { WatchCache, type CommitType, type LoggedEvent } from './watch-cache.js';
import type { KubeObject } from './types.js';

export interface CommitRequest {
  type: CommitType;
  resource: ResourceType;
  key: string;
  /** The new object (ADDED, MODIFIED) or the last state (DELETED); owned by the store from here on. */
  object: KubeObject;
  prev?: KubeObject;
}

export class ClusterStore {
  #rv = 0;
  readonly objects = new ObjectStore();
  readonly cache: WatchCache;
  #snapshot: { resource: ResourceType; rv: number; table: ObjectTable } | undefined;

  constructor(options: { historyLimit?: number } = {}) {
    this.cache = new WatchCache({ historyLimit: options.historyLimit });
  }

  get rv(): number {
    return this.#rv;
  }

  get(resource: ResourceType, key: string): KubeObject | undefined {
    return this.objects.table(resource).get(key);
  }

  /**
   * Commits a change: stamps the next RV, freezes, stores, logs and delivers. Returns the stored
   * object. An object the flow built (owned, not frozen) is stamped in place; a stored one (a
   * deletion's last state) gets a fresh top level and metadata.
   */
  commit(request: CommitRequest): KubeObject {
    const rv = ++this.#rv;
    const object = request.object;
    let stored: KubeObject;
    if (Object.isFrozen(object) || Object.isFrozen(object.metadata)) {
      stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(rv) } };
    } else {
      object.metadata.resourceVersion = String(rv);
      stored = object;
    }
    deepFreezeStored(stored);
    const table = this.objects.table(request.resource);
    if (request.type === 'DELETED') table.delete(request.key);
    else table.set(request.key, stored);
    const event: LoggedEvent = { rv, type: request.type, resource: request.resource, key: request.key, object: stored, prev: request.prev };
    this.cache.append(event);
    return stored;
  }

  /**
   * The objects of `resource` as they were at `rv` (rv >= cache.compactedRv, rv <= this.rv),
   * rebuilt by undoing newer changes. The last snapshot is cached for paging through it.
   */
  tableAt(resource: ResourceType, rv: number): ObjectTable {
    const live = this.objects.table(resource);
    if (rv >= this.#rv) return live;
    const cached = this.#snapshot;
    if (cached && cached.resource === resource && cached.rv === rv) return cached.table;
    const entries = live.copyEntries();
    for (const ev of this.cache.eventsNewestFirst(rv)) {
      if (ev.resource !== resource) continue;
      if (ev.prev === undefined) entries.delete(ev.key);
      else entries.set(ev.key, ev.prev);
    }
    const table = new ObjectTable(entries);
    this.#snapshot = { resource, rv, table };
    return table;
  }
}
