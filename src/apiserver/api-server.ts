// The in-memory Kubernetes API server: generic over the kinds in its registry, one global
// resourceVersion, synchronous calls that return frozen shared objects or throw ApiError, and
// watches fed synchronously at commit time in RV order. Semantics per research/k8s-api.md §2; each
// flow module cites the upstream code it follows.
//
// Reads hand out the stored objects themselves (deep-frozen): callers deepCopy before editing.
// Writes never keep the caller's object: it is copied first.
import type { Prng } from '../sim/prng.js';
import { registerBuiltinKinds } from './builtin-kinds.js';
import { ClusterStore } from './cluster-store.js';
import { createObject } from './create-flow.js';
import { deleteObject } from './delete-flow.js';
import { IdentitySource } from './identity-source.js';
import { listObjects, parseResourceVersion, type ListRequest as ListOptions } from './list-flow.js';
import { patchObject } from './patch-flow.js';
import { Registry, type ResourceType } from './registry.js';
import { getScale, updateScale } from './scale-subresource.js';
import { assertSubresource, requireObject, type ServerContext, type StorageHooks } from './server-context.js';
import { SelectionCache } from './selection.js';
import { ServiceIpAllocator } from './service-ip-allocator.js';
import type { KubeList, KubeObject, PatchType, PropagationPolicy, ResourceId, Status } from './types.js';
import { tooLargeResourceVersion } from './api-error.js';
import { updateObject } from './update-flow.js';
import type { WatchHandle, WatchSink } from './watch-cache.js';
import { emitBookmarks, startWatch, type WatchRequest as WatchOptions } from './watch-flow.js';

export type { WatchHandle, WatchSink } from './watch-cache.js';

export interface ApiServerDeps {
  nowMs: () => number;
  random: Prng;
}

export interface ApiServerOptions {
  registry?: Registry;
  watchHistoryLimit?: number;
  /** IPv4 CIDR Services get their ClusterIPs from. Default 10.96.0.0/12. */
  serviceCidr?: string;
}

export interface GetOptions {
  namespace?: string;
  resourceVersion?: string;
  subresource?: 'status' | 'scale';
}

/** List options (apimachinery ListOptions for a list). */
export type { ListOptions };

export interface WriteOptions {
  namespace?: string;
  /** 'finalize' (an addition) is the namespaces/finalize endpoint. */
  subresource?: 'status' | 'scale' | 'finalize';
  dryRun?: boolean;
  fieldManager?: string;
}

export interface PatchOptions extends WriteOptions {
  patchType: PatchType;
  force?: boolean;
}

export interface DeleteOptions {
  namespace?: string;
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** Watch options (apimachinery ListOptions for a watch). */
export type { WatchOptions };

export interface CommitEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceType;
  object: KubeObject;
  oldObject?: KubeObject;
  resourceVersion: number;
}

/** Namespaces every cluster starts with. */
export const INITIAL_NAMESPACES: readonly string[] = Object.freeze(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export class ApiServer {
  readonly registry: Registry;
  readonly #store: ClusterStore;
  readonly #ctx: ServerContext;

  constructor(deps: ApiServerDeps, options: ApiServerOptions = {}) {
    this.registry = options.registry ?? registerBuiltinKinds();
    this.#store = new ClusterStore({ historyLimit: options.watchHistoryLimit });
    const hooks = new Map<ResourceType, StorageHooks>();
    const services = this.registry.lookup({ group: '', version: 'v1', resource: 'services' });
    if (services) hooks.set(services, new ServiceIpAllocator({ serviceCidr: options.serviceCidr }));
    this.#ctx = { registry: this.registry, store: this.#store, ids: new IdentitySource(deps.random), selections: new SelectionCache(), hooks, nowMs: deps.nowMs };
    const namespaces = this.registry.lookup({ group: '', version: 'v1', resource: 'namespaces' });
    if (namespaces) {
      for (const name of INITIAL_NAMESPACES) createObject(this.#ctx, namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, {});
    }
  }

  /** The global resourceVersion: the number of changes committed so far. */
  get resourceVersion(): number {
    return this.#store.rv;
  }

  create(res: ResourceId, obj: KubeObject, opts: WriteOptions = {}): KubeObject {
    return createObject(this.#ctx, this.registry.require(res), obj, { namespace: opts.namespace, dryRun: opts.dryRun });
  }

  /** GET; `scale` answers an autoscaling/v1 Scale, `status` the whole object. */
  get(res: ResourceId, name: string, opts: GetOptions = {}): KubeObject {
    const type = this.registry.require(res);
    const requested = parseResourceVersion(opts.resourceVersion);
    if (requested > this.#store.rv) throw tooLargeResourceVersion(requested, this.#store.rv);
    assertSubresource(type, opts.subresource);
    if (opts.subresource === 'scale') return getScale(this.#ctx, type, name, opts.namespace);
    return requireObject(this.#ctx, type, name, opts.namespace);
  }

  list(res: ResourceId, opts: ListOptions = {}): KubeList {
    return listObjects(this.#ctx, this.registry.require(res), opts);
  }

  /** PUT on the object or its status, scale or (namespaces) finalize subresource. */
  update(res: ResourceId, obj: KubeObject, opts: WriteOptions = {}): KubeObject {
    const type = this.registry.require(res);
    if (opts.subresource === 'scale') return updateScale(this.#ctx, type, obj, { namespace: opts.namespace, dryRun: opts.dryRun });
    return updateObject(this.#ctx, type, obj, { namespace: opts.namespace, mode: opts.subresource ?? 'main', dryRun: opts.dryRun });
  }

  patch(res: ResourceId, name: string, patch: unknown, opts: PatchOptions): KubeObject {
    return patchObject(this.#ctx, this.registry.require(res), name, patch, opts);
  }

  delete(res: ResourceId, name: string, opts: DeleteOptions = {}): KubeObject | Status {
    return deleteObject(this.#ctx, this.registry.require(res), name, opts);
  }

  watch(res: ResourceId, opts: WatchOptions, sink: WatchSink): WatchHandle {
    return startWatch(this.#ctx, this.registry.require(res), opts, sink);
  }

  /** BOOKMARK (metadata.resourceVersion only) to every watcher that allowed bookmarks. */
  emitBookmarks(): void {
    emitBookmarks(this.#ctx);
  }

  /** Test hook and fault: keep only the newest `keepLast` events; older watches and exact lists get 410. */
  compact(keepLast: number): void {
    this.#store.cache.compact(keepLast);
  }

  /** Called synchronously for every committed change, in RV order, before watchers see it. */
  onCommit(listener: (ev: CommitEvent) => void): () => void {
    return this.#store.cache.onEvent((ev) => {
      const commit: CommitEvent = { type: ev.type, resource: ev.resource, object: ev.object, resourceVersion: ev.rv };
      if (ev.prev !== undefined) commit.oldObject = ev.prev;
      listener(commit);
    });
  }
}
