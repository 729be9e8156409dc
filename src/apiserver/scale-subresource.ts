// The /scale subresource: an autoscaling/v1 Scale view of an object's replicas (k8s.io/kubernetes
// pkg/registry/apps/deployment/storage/storage.go scaleFromDeployment and ScaleREST.Update;
// apiextensions-apiserver pkg/registry/customresource/etcd.go for the path-driven CRD variant).
// spec.replicas / status.replicas come from the kind's paths (missing reads as 0); status.selector
// is the label selector in its string form.
import { badRequest, conflict, invalid, resourceNotServed } from './api-error.js';
import { deepCopy } from './deep-copy.js';
import { fieldError } from './field-error.js';
import { LabelSelector, type StructuredLabelSelector } from './label-selector.js';
import { groupResourceOf, type ResourceType, type ScaleSubresource } from './registry.js';
import { requireObject, type ServerContext } from './server-context.js';
import type { KubeObject } from './types.js';
import { applyUpdate } from './update-flow.js';

type Json = Record<string, any>;

function pathParts(path: string): string[] {
  return path.replace(/^\./, '').split('.');
}

function readPath(obj: unknown, path: string): unknown {
  let node: any = obj;
  for (const part of pathParts(path)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = node[part];
  }
  return node;
}

function writePath(obj: Json, path: string, value: unknown): void {
  const parts = pathParts(path);
  let node = obj;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Json;
  }
  node[parts[parts.length - 1]] = value;
}

/** metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key, comma-joined. */
export function formatLabelSelector(selector: unknown): string {
  if (typeof selector === 'string') return selector;
  if (typeof selector !== 'object' || selector === null) return '';
  try {
    return LabelSelector.fromLabelSelector(selector as StructuredLabelSelector).toString();
  } catch {
    return '';
  }
}

function scaleConfig(type: ResourceType): ScaleSubresource {
  if (!type.subresources.scale) throw resourceNotServed();
  return type.subresources.scale;
}

const asReplicas = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** The Scale view of `obj`. */
export function scaleOf(type: ResourceType, obj: KubeObject): KubeObject {
  const config = scaleConfig(type);
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  const metadata: KubeObject['metadata'] = { name, uid, resourceVersion, creationTimestamp };
  if (namespace !== undefined) metadata.namespace = namespace;
  const status: Json = { replicas: asReplicas(readPath(obj, config.statusReplicasPath)) };
  const selector = config.labelSelectorPath ? formatLabelSelector(readPath(obj, config.labelSelectorPath)) : '';
  if (selector !== '') status.selector = selector;
  return { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata, spec: { replicas: asReplicas(readPath(obj, config.specReplicasPath)) }, status };
}

export function getScale(ctx: ServerContext, type: ResourceType, name: string, namespace: string | undefined): KubeObject {
  scaleConfig(type);
  return scaleOf(type, requireObject(ctx, type, name, namespace));
}

/** PUT /scale: sets the desired replicas through the object's own update path. */
export function updateScale(ctx: ServerContext, type: ResourceType, scale: KubeObject, request: { namespace?: string; dryRun?: boolean }): KubeObject {
  const config = scaleConfig(type);
  const name = scale.metadata?.name;
  if (!name) throw badRequest('the name of the object must be set in metadata.name for an update');
  const existing = requireObject(ctx, type, name, request.namespace ?? scale.metadata.namespace);
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid({ group: 'autoscaling', kind: 'Scale' }, name, [fieldError.invalid('spec.replicas', replicas ?? null, 'must be greater than or equal to 0')]);
  }
  const requestedRv = scale.metadata.resourceVersion;
  if (requestedRv && requestedRv !== existing.metadata.resourceVersion) throw conflict(groupResourceOf(type), name);
  const next = deepCopy(existing);
  writePath(next, config.specReplicasPath, replicas);
  const stored = applyUpdate(ctx, type, existing, next, { mode: 'main', dryRun: request.dryRun });
  return scaleOf(type, stored);
}
