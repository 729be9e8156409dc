// What `kubectl apply` and `kubectl delete` do to the in-memory API server, for the scenario's setup
// manifests and user actions: create the object, or, when it exists, keep the server-owned metadata,
// merge the manifest's labels and annotations over the live ones and replace every other top-level
// field the manifest sets (spec, ...). A ConfigMap's data merges key by key over the live data (as
// `kubectl patch --type merge` would), so a scenario can set `stable-window` in config-autoscaler
// without restating what the installation put there (config-deployment's queue-sidecar-image).
// Status is never written by a user. Namespaces a manifest
// needs are created first, as `kubectl create namespace` would have been.

import type { ApiServer } from '../apiserver/api-server.js';
import type { KubeObject, ResourceId } from '../apiserver/types.js';
import { parseApiVersion, resourceIdOf } from '../apiserver/registry.js';
import { NAMESPACES } from '../kube/resources.js';
import type { ObjectRef } from './types.js';

export interface AppliedWrite {
  verb: 'create' | 'update' | 'delete';
  kind: string;
  namespace: string;
  name: string;
  code: number;
}

export function resourceFor(api: ApiServer, apiVersion: string, kind: string): ResourceId {
  const type = api.registry.byKind(apiVersion, kind);
  if (type === undefined) {
    const { group } = parseApiVersion(apiVersion);
    throw new Error(`no kind ${kind} in ${group === '' ? 'the core group' : group} (${apiVersion})`);
  }
  return resourceIdOf(type);
}

function ensureNamespace(api: ApiServer, namespace: string | undefined): void {
  if (namespace === undefined || namespace === '') return;
  const existing = api.list(NAMESPACES, { fieldSelector: `metadata.name=${namespace}` }).items;
  if (existing.length === 0) api.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
}

/** Creates or updates `manifest` as kubectl apply would. Throws the API server's Status error. */
export function applyObject(api: ApiServer, manifest: KubeObject): AppliedWrite {
  const res = resourceFor(api, manifest.apiVersion ?? '', manifest.kind ?? '');
  const type = api.registry.require(res);
  const namespace = type.namespaced ? manifest.metadata.namespace ?? 'default' : undefined;
  ensureNamespace(api, namespace);
  const name = manifest.metadata.name ?? '';
  const found = api.list(res, { namespace, fieldSelector: `metadata.name=${name}` }).items[0];
  const desired: KubeObject = structuredClone({ ...manifest, metadata: { ...manifest.metadata, ...(namespace ? { namespace } : {}) } });
  delete desired.status;
  if (found === undefined) {
    api.create(res, desired);
    return { verb: 'create', kind: type.kind, namespace: namespace ?? '', name, code: 201 };
  }
  const next: KubeObject = structuredClone(found);
  for (const [k, v] of Object.entries(desired)) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue;
    next[k] = type.kind === 'ConfigMap' && k === 'data' ? { ...(found.data ?? {}), ...(v as Record<string, string>) } : v;
  }
  next.metadata.labels = { ...(found.metadata.labels ?? {}), ...(desired.metadata.labels ?? {}) };
  next.metadata.annotations = { ...(found.metadata.annotations ?? {}), ...(desired.metadata.annotations ?? {}) };
  api.update(res, next);
  return { verb: 'update', kind: type.kind, namespace: namespace ?? '', name, code: 200 };
}

/** Deletes the object (a missing one is not an error, as `kubectl delete --ignore-not-found`). */
export function deleteObject(api: ApiServer, ref: ObjectRef): AppliedWrite {
  const res = resourceFor(api, ref.apiVersion, ref.kind);
  const type = api.registry.require(res);
  const found = api.list(res, { namespace: type.namespaced ? ref.namespace : undefined, fieldSelector: `metadata.name=${ref.name}` }).items[0];
  if (found === undefined) return { verb: 'delete', kind: type.kind, namespace: ref.namespace, name: ref.name, code: 404 };
  api.delete(res, ref.name, { namespace: type.namespaced ? ref.namespace : undefined });
  return { verb: 'delete', kind: type.kind, namespace: ref.namespace, name: ref.name, code: 200 };
}
