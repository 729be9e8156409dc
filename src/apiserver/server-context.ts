// What the request flows (create, update, delete, patch, list, watch) share: the clock, the PRNG
// identities, the registry and the store. One per ApiServer; nothing here is module-level.
import { formatSimTime } from '../sim/time-format.js';
import { badRequest, notFound, resourceNotServed } from './api-error.js';
import type { ClusterStore } from './cluster-store.js';
import type { IdentitySource } from './identity-source.js';
import { apiVersionOf, groupResourceOf, type Registry, type ResourceType } from './registry.js';
import type { SelectionCache } from './selection.js';
import type { KubeObject } from './types.js';

/**
 * What a kind's REST storage adds around the generic store (upstream's BeginCreate, BeginUpdate and
 * AfterDelete hooks of registry/generic/registry/store.go): the Service storage allocates and
 * releases ClusterIPs with them. Hooks may fill fields or throw ApiError.
 */
export interface StorageHooks {
  /** After validation, right before the object is stored (or answered, for dry-run). */
  beginCreate?(obj: KubeObject, dryRun: boolean): void;
  /** After validation of a main-resource update, before the no-op check and the write. */
  beginUpdate?(obj: KubeObject, old: KubeObject, dryRun: boolean): void;
  /** The object has left storage. */
  afterDelete?(obj: KubeObject): void;
}

export interface ServerContext {
  readonly registry: Registry;
  readonly store: ClusterStore;
  readonly ids: IdentitySource;
  /** Compiled list and watch selections, by kind and request. */
  readonly selections: SelectionCache;
  /** Storage hooks by kind (owned by the ApiServer, with their state). */
  readonly hooks?: ReadonlyMap<ResourceType, StorageHooks>;
  /** Virtual milliseconds. */
  nowMs(): number;
}

/** Metadata timestamps: RFC 3339 UTC, seconds precision (metav1.Time). */
export function nowTimestamp(ctx: ServerContext): string {
  return formatSimTime(ctx.nowMs());
}

/** Whether `apiVersion` is `type`'s (`group/version`, or `version` for the core group), without building that string. */
function isApiVersionOf(type: ResourceType, apiVersion: unknown): boolean {
  if (typeof apiVersion !== 'string') return false;
  const { group, version } = type;
  if (group === '') return apiVersion === version;
  return apiVersion.length === group.length + 1 + version.length && apiVersion.startsWith(group) &&
    apiVersion.charCodeAt(group.length) === 47 /* '/' */ && apiVersion.endsWith(version);
}

/**
 * Fills a body's apiVersion and kind when absent; a body naming another kind is refused, as the
 * decoder refuses it (400).
 */
export function checkTypeMeta(type: ResourceType, obj: KubeObject): void {
  if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = apiVersionOf(type);
  if (obj.kind === undefined || obj.kind === '') obj.kind = type.kind;
  if (!isApiVersionOf(type, obj.apiVersion) || obj.kind !== type.kind) {
    const apiVersion = apiVersionOf(type);
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersion})` +
      (obj.kind === type.kind ? '' : ` or kind (${obj.kind} instead of ${type.kind})`));
  }
  if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = {};
}

/**
 * rest.EnsureObjectNamespaceMatchesRequestNamespace: an empty body namespace takes the request's,
 * cluster-scoped kinds drop it, and a mismatch is a 400.
 */
export function reconcileNamespace(type: ResourceType, obj: KubeObject, requestNamespace: string | undefined): void {
  if (!type.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  const bodyNamespace = obj.metadata.namespace ?? '';
  const wanted = requestNamespace ?? '';
  if (bodyNamespace === wanted || wanted === '') return;
  if (bodyNamespace === '') {
    obj.metadata.namespace = wanted;
    return;
  }
  throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
}

/** The storage key for a request naming an object; namespaced kinds need a namespace. */
export function requestKey(ctx: ServerContext, type: ResourceType, name: string, namespace: string | undefined): string {
  if (type.namespaced && !namespace) throw badRequest(`a namespace is required to address ${type.plural} "${name}"`);
  return ctx.store.objects.key(type, namespace, name);
}

/** The stored object or 404 `deployments.apps "x" not found`. */
export function requireObject(ctx: ServerContext, type: ResourceType, name: string, namespace: string | undefined): KubeObject {
  const existing = ctx.store.get(type, requestKey(ctx, type, name, namespace));
  if (!existing) throw notFound(groupResourceOf(type), name);
  return existing;
}

/** A write through /status, /scale or /finalize needs the kind to serve that subresource (404 otherwise). */
export function assertSubresource(type: ResourceType, subresource: 'status' | 'scale' | 'finalize' | undefined): void {
  if (subresource === undefined) return;
  const served = subresource === 'scale' ? type.subresources.scale !== undefined : type.subresources[subresource] === true;
  if (!served) throw resourceNotServed();
}
