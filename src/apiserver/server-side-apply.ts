// Server-side apply, the sensible minimum of k8s-api.md §2.8 (upstream: apiserver
// pkg/endpoints/handlers/fieldmanager, sigs.k8s.io/structured-merge-diff): create the object when
// it is missing; otherwise merge the applied configuration into it (strategic merge where the kind
// has a schema, JSON merge otherwise), remove fields this manager applied before and no longer
// applies (unless another manager owns them), and refuse with 409 (causes FieldManagerConflict)
// to change a field another Apply manager owns unless `force`. One managedFields entry per Apply
// manager; other writes do not record managers.
import { applyConflict, badRequest, notFound } from './api-error.js';
import { createObject } from './create-flow.js';
import { deepCopy, deepEqual } from './deep-copy.js';
import { isJsonObject, type JsonObject } from './json-value.js';
import {
  appliedLeaves, formatFieldPath, fromFieldsV1, removeAt, toFieldsV1, valueAt, type FieldPath,
} from './managed-fields.js';
import { applyMergePatch } from './patch/merge-patch.js';
import { applyStrategicMergePatch, strategicSchemaFor } from './patch/strategic-merge-patch.js';
import { apiVersionOf, groupResourceOf, type ResourceType } from './registry.js';
import { checkTypeMeta, nowTimestamp, reconcileNamespace, type ServerContext } from './server-context.js';
import type { KubeObject, ManagedFieldsEntry, PatchType, StatusCause } from './types.js';
import { applyUpdate } from './update-flow.js';

export interface ApplyRequest {
  namespace?: string;
  subresource?: 'status' | 'scale' | 'finalize';
  dryRun?: boolean;
  fieldManager?: string;
  patchType: PatchType;
  force?: boolean;
}

type ManagedEntry = ManagedFieldsEntry;

const pathKey = (path: FieldPath): string => JSON.stringify(path);

/** Whether `a` and `b` overlap: one is a prefix of the other. */
function overlaps(a: FieldPath, b: FieldPath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function decodeApplied(type: ResourceType, name: string, patch: unknown, namespace: string | undefined): KubeObject {
  if (!isJsonObject(patch)) throw badRequest(`error decoding patch: the applied configuration must be a JSON object`);
  const applied = deepCopy(patch) as KubeObject;
  if (!applied.kind) throw badRequest(`error decoding patch: Object 'Kind' is missing in '${JSON.stringify(patch)}'`);
  checkTypeMeta(type, applied);
  if (applied.metadata.name && applied.metadata.name !== name) {
    throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
  }
  applied.metadata.name = name;
  reconcileNamespace(type, applied, namespace);
  delete applied.metadata.managedFields;
  return applied;
}

function entryFor(ctx: ServerContext, type: ResourceType, manager: string, leaves: FieldPath[], previous?: ManagedEntry): ManagedEntry {
  const fieldsV1 = toFieldsV1(leaves);
  const apiVersion = apiVersionOf(type);
  const unchanged = previous && previous.apiVersion === apiVersion && deepEqual(previous.fieldsV1, fieldsV1);
  return { manager, operation: 'Apply', apiVersion, time: unchanged ? previous.time : nowTimestamp(ctx), fieldsType: 'FieldsV1', fieldsV1 };
}

function conflictError(type: ResourceType, conflicts: { manager: string; path: FieldPath }[]): never {
  const who = (manager: string): string => `${JSON.stringify(manager)} using ${apiVersionOf(type)}`;
  const causes: StatusCause[] = conflicts.map((c) => ({ type: 'FieldManagerConflict', message: `conflict with ${who(c.manager)}`, field: formatFieldPath(c.path) }));
  if (conflicts.length === 1) {
    throw applyConflict(causes, `Apply failed with 1 conflict: conflict with ${who(conflicts[0].manager)}: ${formatFieldPath(conflicts[0].path)}`);
  }
  const managers = [...new Set(conflicts.map((c) => c.manager))].sort();
  const lines = managers.flatMap((m) => [`conflicts with ${who(m)}:`, ...conflicts.filter((c) => c.manager === m).map((c) => `- ${formatFieldPath(c.path)}`)]);
  throw applyConflict(causes, `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`);
}

interface Ownership {
  others: ManagedEntry[];
  mine?: ManagedEntry;
}

function findConflicts(existing: KubeObject, applied: KubeObject, leaves: FieldPath[], others: ManagedEntry[]): { manager: string; path: FieldPath }[] {
  const conflicts: { manager: string; path: FieldPath }[] = [];
  for (const entry of others) {
    if (entry.operation !== 'Apply') continue;
    const owned = fromFieldsV1(entry.fieldsV1);
    for (const path of leaves) {
      if (!owned.some((o) => overlaps(o, path))) continue;
      if (!deepEqual(valueAt(existing, path), valueAt(applied, path))) conflicts.push({ manager: entry.manager, path });
    }
  }
  return conflicts;
}

/** With force: the other managers give up the paths this apply takes. */
function releasePaths(others: ManagedEntry[], taken: FieldPath[]): ManagedEntry[] {
  return others.flatMap((entry) => {
    const kept = fromFieldsV1(entry.fieldsV1).filter((o) => !taken.some((t) => overlaps(o, t)));
    return kept.length === 0 ? [] : [{ ...entry, fieldsV1: toFieldsV1(kept) }];
  });
}

function merge(type: ResourceType, existing: KubeObject, applied: KubeObject): KubeObject {
  const schema = type.strategicMerge ? strategicSchemaFor(type.group, type.kind) : undefined;
  const merged = schema ? applyStrategicMergePatch(existing, applied, schema) : applyMergePatch(existing, applied);
  return merged as KubeObject;
}

function ownership(existing: KubeObject, manager: string): Ownership {
  const entries = existing.metadata.managedFields ?? [];
  return {
    mine: entries.find((e) => e.manager === manager && e.operation === 'Apply'),
    others: entries.filter((e) => !(e.manager === manager && e.operation === 'Apply')),
  };
}

function applyToExisting(ctx: ServerContext, type: ResourceType, existing: KubeObject, applied: KubeObject, request: ApplyRequest): KubeObject {
  const manager = request.fieldManager as string;
  const leaves = appliedLeaves(applied as unknown as JsonObject);
  const { mine, others } = ownership(existing, manager);
  const conflicts = findConflicts(existing, applied, leaves, others);
  if (conflicts.length > 0 && !request.force) conflictError(type, conflicts);
  const remaining = request.force ? releasePaths(others, conflicts.map((c) => c.path)) : others;
  const merged = merge(type, existing, applied);
  const appliedKeys = new Set(leaves.map(pathKey));
  const ownedByOthers = remaining.flatMap((e) => fromFieldsV1(e.fieldsV1));
  for (const path of fromFieldsV1(mine?.fieldsV1)) {
    if (appliedKeys.has(pathKey(path)) || ownedByOthers.some((o) => overlaps(o, path))) continue;
    removeAt(merged as unknown as JsonObject, path);
  }
  merged.metadata.managedFields = [...remaining, entryFor(ctx, type, manager, leaves, mine)];
  return applyUpdate(ctx, type, existing, merged, { mode: request.subresource === 'status' ? 'status' : 'main', dryRun: request.dryRun });
}

/** PATCH with application/apply-patch+yaml (a JSON body). */
export function serverSideApply(ctx: ServerContext, type: ResourceType, name: string, patch: unknown, request: ApplyRequest): KubeObject {
  if (request.subresource === 'scale' || request.subresource === 'finalize') {
    throw badRequest(`server-side apply to the ${request.subresource} subresource is not supported by the simulator`);
  }
  const applied = decodeApplied(type, name, patch, request.namespace);
  const existing = ctx.store.get(type, ctx.store.objects.key(type, applied.metadata.namespace, name));
  if (existing) return applyToExisting(ctx, type, existing, applied, request);
  if (request.subresource === 'status') throw notFound(groupResourceOf(type), name);
  const leaves = appliedLeaves(applied as unknown as JsonObject);
  const created = deepCopy(applied);
  created.metadata.managedFields = [entryFor(ctx, type, request.fieldManager as string, leaves)];
  return createObject(ctx, type, created, { namespace: request.namespace, dryRun: request.dryRun });
}
