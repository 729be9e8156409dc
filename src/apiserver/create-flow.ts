// POST: apiserver pkg/registry/generic/registry/store.go Create (with generateName retries),
// pkg/registry/rest/create.go BeforeCreate, and the NamespaceLifecycle admission plugin
// (apiserver pkg/admission/plugin/namespace/lifecycle/admission.go) that refuses creates in a
// missing (404) or terminating (403) namespace.
import {
  alreadyExists, forbidden, generateNameConflict, invalid, isAlreadyExists, notFound, unknownError, type ApiError,
} from './api-error.js';
import { deepCopy, deepFreeze } from './deep-copy.js';
import { validateMetaOnCreate } from './meta-validation.js';
import { groupKindOf, groupResourceOf, type ResourceType } from './registry.js';
import { checkTypeMeta, nowTimestamp, reconcileNamespace, type ServerContext } from './server-context.js';
import type { KubeObject } from './types.js';
import { prepareForCreate } from './write-strategy.js';

/** names.go / store.go maxNameGenerationCreateAttempts. */
const MAX_NAME_GENERATION_ATTEMPTS = 8;

export interface CreateRequest {
  namespace?: string;
  dryRun?: boolean;
}

function namespaceKind(ctx: ServerContext): ResourceType | undefined {
  return ctx.registry.lookup({ group: '', version: 'v1', resource: 'namespaces' });
}

/** NamespaceLifecycle on create: the namespace must exist and not be terminating. */
function admitNamespace(ctx: ServerContext, type: ResourceType, obj: KubeObject): void {
  const namespace = obj.metadata.namespace;
  if (!type.namespaced || !namespace) return;
  const namespaces = namespaceKind(ctx);
  if (!namespaces) return;
  const ns = ctx.store.get(namespaces, namespace);
  if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace);
  if ((ns.status as { phase?: string } | undefined)?.phase !== 'Terminating') return;
  const name = obj.metadata.name || obj.metadata.generateName || 'Unknown';
  throw forbidden(groupResourceOf(type), name, `unable to create new content in namespace ${namespace} because it is being terminated`, [
    { type: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' },
  ]);
}

function existsError(type: ResourceType, obj: KubeObject, existing: KubeObject): ApiError {
  const name = obj.metadata.name as string;
  const error = obj.metadata.generateName
    ? generateNameConflict(groupResourceOf(type), name)
    : alreadyExists(groupResourceOf(type), name);
  if (existing.metadata.deletionTimestamp !== undefined) error.status.message = `object is being deleted: ${error.status.message}`;
  return error;
}

/** One attempt of store.create (owns and mutates `obj`): system fields, name generation, strategy, validation, storage. */
function createOnce(ctx: ServerContext, type: ResourceType, obj: KubeObject, request: CreateRequest): KubeObject {
  const meta = obj.metadata;
  meta.uid = ctx.ids.uid();
  meta.creationTimestamp = nowTimestamp(ctx);
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (meta.generateName && !meta.name) meta.name = ctx.ids.generatedName(meta.generateName);
  type.defaults?.(obj);
  prepareForCreate(type, obj);
  const causes = validateMetaOnCreate(type, obj);
  if (type.validate !== undefined) for (const cause of type.validate(obj)) causes.push(cause);
  if (causes.length > 0) throw invalid(groupKindOf(type), meta.name ?? '', causes);
  const key = ctx.store.objects.key(type, meta.namespace, meta.name as string);
  const existing = ctx.store.get(type, key);
  if (existing) throw existsError(type, obj, existing);
  ctx.hooks?.get(type)?.beginCreate?.(obj, request.dryRun === true);
  if (request.dryRun) return deepFreeze(obj);
  return ctx.store.commit({ type: 'ADDED', resource: type, key, object: obj });
}

/** Creates `input` (never mutated); throws ApiError. */
export function createObject(ctx: ServerContext, type: ResourceType, input: KubeObject, request: CreateRequest): KubeObject {
  const obj = deepCopy(input);
  checkTypeMeta(type, obj);
  reconcileNamespace(type, obj, request.namespace);
  if (obj.metadata.resourceVersion) throw unknownError('resourceVersion should not be set on objects to be created');
  admitNamespace(ctx, type, obj);
  if (!(obj.metadata.generateName && !obj.metadata.name)) return createOnce(ctx, type, obj, request);
  let lastError: unknown;
  for (let attempt = 0; attempt < MAX_NAME_GENERATION_ATTEMPTS; attempt++) {
    try {
      return createOnce(ctx, type, deepCopy(obj), request);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}
