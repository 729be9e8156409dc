// PATCH: apiserver pkg/endpoints/handlers/patch.go. The patch is applied to the stored object
// and the result goes through the ordinary update path, so a patch that sets a stale
// metadata.resourceVersion is a 409 and the strategy's rules hold. Error codes as upstream:
// PatchOptions misuse 422; strategic merge on a kind that does not serve it (custom resources)
// 415; a malformed patch 400; a patch that does not fit the object 422; over 10000 JSON-patch
// operations 413.
import {
  badRequest, invalid, requestEntityTooLarge, unprocessable, unsupportedMediaType,
} from './api-error.js';
import { fieldError } from './field-error.js';
import { isJsonObject } from './json-value.js';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './patch/json-patch.js';
import { applyMergePatch } from './patch/merge-patch.js';
import { PatchError } from './patch/patch-error.js';
import { applyStrategicMergePatch, strategicSchemaFor } from './patch/strategic-merge-patch.js';
import type { ResourceType } from './registry.js';
import { getScale, updateScale } from './scale-subresource.js';
import { assertSubresource, checkTypeMeta, reconcileNamespace, requireObject, type ServerContext } from './server-context.js';
import { serverSideApply } from './server-side-apply.js';
import type { KubeObject, PatchType, StatusCause } from './types.js';
import { applyUpdate } from './update-flow.js';
import type { WriteMode } from './write-strategy.js';

export interface PatchRequest {
  namespace?: string;
  subresource?: 'status' | 'scale' | 'finalize';
  dryRun?: boolean;
  fieldManager?: string;
  patchType: PatchType;
  force?: boolean;
}

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';

/** apimachinery meta/v1/validation ValidatePatchOptions. */
function validatePatchOptions(request: PatchRequest): void {
  const causes: StatusCause[] = [];
  if (request.patchType === 'apply') {
    if (!request.fieldManager) causes.push(fieldError.required('fieldManager', 'is required for apply patch'));
  } else if (request.force !== undefined) {
    causes.push(fieldError.forbidden('force', 'may not be specified for non-apply patch'));
  }
  if (request.fieldManager !== undefined && request.fieldManager.length > 128) {
    causes.push(fieldError.tooLong('fieldManager', 128));
  }
  if (causes.length > 0) throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', causes);
}

function acceptedPatchTypes(type: ResourceType): string[] {
  return type.strategicMerge ? [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH] : [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];
}

function translatePatchError(error: unknown): never {
  if (error instanceof PatchError) throw error.kind === 'decode' ? badRequest(error.message) : unprocessable(error.message);
  throw error;
}

/** Applies a json, merge or strategic patch to `current` (not mutated); returns a fresh object. */
export function applyPatchDocument(type: ResourceType, current: KubeObject, patch: unknown, patchType: PatchType): KubeObject {
  let result: unknown;
  try {
    if (patchType === 'json') {
      if (Array.isArray(patch) && patch.length > MAX_JSON_PATCH_OPERATIONS) {
        throw requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${patch.length}`);
      }
      result = applyJsonPatch(current, patch);
    } else {
      if (!isJsonObject(patch)) throw badRequest('Invalid JSON Patch');
      result = patchType === 'strategic'
        ? applyStrategicMergePatch(current, patch, strategicSchemaFor(type.group, type.kind) ?? new Map())
        : applyMergePatch(current, patch);
    }
  } catch (error) {
    translatePatchError(error);
  }
  if (!isJsonObject(result)) {
    throw invalid({ group: '', kind: '' }, '', [fieldError.invalid('patch', JSON.stringify(result), 'the patched document must be a JSON object')]);
  }
  return result as KubeObject;
}

/** checkName in handlers/rest.go: a patch may not rename the object. */
function checkPatchedName(obj: KubeObject, name: string): void {
  const patchedName = obj.metadata?.name;
  if (patchedName !== name) {
    throw badRequest(`the name of the object (${String(patchedName ?? '')}) does not match the name on the URL (${name})`);
  }
}

function patchScale(ctx: ServerContext, type: ResourceType, name: string, patch: unknown, request: PatchRequest): KubeObject {
  const current = getScale(ctx, type, name, request.namespace);
  const scaleType = { ...type, group: 'autoscaling', kind: 'Scale' };
  const patched = applyPatchDocument(scaleType, current, patch, request.patchType === 'strategic' ? 'merge' : request.patchType);
  checkPatchedName(patched, name);
  return updateScale(ctx, type, patched, { namespace: request.namespace, dryRun: request.dryRun });
}

/** PATCH `name` with `patch` (never mutated). */
export function patchObject(ctx: ServerContext, type: ResourceType, name: string, patch: unknown, request: PatchRequest): KubeObject {
  validatePatchOptions(request);
  assertSubresource(type, request.subresource);
  if (request.patchType === 'strategic' && !type.strategicMerge) throw unsupportedMediaType(acceptedPatchTypes(type));
  if (request.patchType === 'apply') return serverSideApply(ctx, type, name, patch, request);
  if (request.subresource === 'scale') return patchScale(ctx, type, name, patch, request);
  const existing = requireObject(ctx, type, name, request.namespace);
  const patched = applyPatchDocument(type, existing, patch, request.patchType);
  checkTypeMeta(type, patched);
  checkPatchedName(patched, name);
  reconcileNamespace(type, patched, existing.metadata.namespace);
  const mode: WriteMode = request.subresource ?? 'main';
  return applyUpdate(ctx, type, existing, patched, { mode, dryRun: request.dryRun });
}
