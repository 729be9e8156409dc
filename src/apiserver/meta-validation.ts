// ObjectMeta validation on create and update (apimachinery pkg/api/validation/objectmeta.go
// ValidateObjectMetaAccessor, ValidateObjectMetaAccessorUpdate), limited to what the simulator
// relies on: names, namespaces, finalizer rules and the immutable system fields.
import { deepEqual } from './deep-copy.js';
import { fieldError } from './field-error.js';
import { nameErrors } from './name-validation.js';
import type { ResourceType } from './registry.js';
import type { KubeObject, ObjectMeta, StatusCause } from './types.js';

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';
const NO_FINALIZERS: readonly string[] = Object.freeze([]);

function validateNames(type: ResourceType, meta: ObjectMeta): StatusCause[] {
  const causes: StatusCause[] = [];
  const rule = type.nameRule ?? 'dns1123Subdomain';
  if (meta.generateName) {
    for (const msg of nameErrors(rule, meta.generateName, { prefix: true })) {
      causes.push(fieldError.invalid('metadata.generateName', meta.generateName, msg));
    }
  }
  if (!meta.name) {
    causes.push(fieldError.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of nameErrors(rule, meta.name)) causes.push(fieldError.invalid('metadata.name', meta.name, msg));
  }
  return causes;
}

function validateNamespace(type: ResourceType, meta: ObjectMeta): StatusCause[] {
  if (!type.namespaced) {
    return meta.namespace ? [fieldError.forbidden('metadata.namespace', 'not allowed on this type')] : [];
  }
  if (!meta.namespace) return [fieldError.required('metadata.namespace')];
  return nameErrors('dns1123Label', meta.namespace).map((msg) => fieldError.invalid('metadata.namespace', meta.namespace, msg));
}

function validateCommon(meta: ObjectMeta, causes: StatusCause[] = []): StatusCause[] {
  if (meta.generation !== undefined && meta.generation < 0) {
    causes.push(fieldError.invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  const finalizers = meta.finalizers ?? NO_FINALIZERS;
  if (finalizers.includes(ORPHAN) && finalizers.includes(FOREGROUND)) {
    causes.push(fieldError.invalid('metadata.finalizers', finalizers, `finalizer ${ORPHAN} and ${FOREGROUND} cannot be both set`));
  }
  return causes;
}

/** ValidateObjectMetaAccessor: what every create checks after name generation (a fresh array the caller may extend). */
export function validateMetaOnCreate(type: ResourceType, obj: KubeObject): StatusCause[] {
  const causes = validateNames(type, obj.metadata);
  for (const cause of validateNamespace(type, obj.metadata)) causes.push(cause);
  return validateCommon(obj.metadata, causes);
}

/** Go's %#v of a []string, as ValidateNoNewFinalizers prints it. */
const goStringSlice = (values: string[]): string => `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;

function validateFinalizersWhileDeleting(meta: ObjectMeta, old: ObjectMeta, causes: StatusCause[]): void {
  if (old.deletionTimestamp === undefined) return;
  const before = new Set(old.finalizers ?? []);
  const added = [...new Set(meta.finalizers ?? [])].filter((f) => !before.has(f)).sort();
  if (added.length === 0) return;
  causes.push(fieldError.forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added)}`));
}

const IMMUTABLE_META: readonly (keyof ObjectMeta & string)[] = Object.freeze([
  'name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds',
] as const);

/**
 * ValidateObjectMetaAccessor plus ValidateObjectMetaAccessorUpdate, as rest.BeforeUpdate runs them.
 * Returns the causes in a fresh array the caller may extend.
 */
export function validateMetaOnUpdate(type: ResourceType, obj: KubeObject, old: KubeObject): StatusCause[] {
  const meta = obj.metadata;
  const oldMeta = old.metadata;
  // The stored object passed the same name and namespace checks when it was created, and both are
  // immutable: when the update keeps them (it always does, the request addresses the object by
  // them) they cannot fail now, so they are not run again.
  const sameNames = meta.name === oldMeta.name && meta.generateName === oldMeta.generateName && meta.namespace === oldMeta.namespace;
  const causes = sameNames ? validateCommon(meta) : validateCommon(meta, [...validateNames(type, meta), ...validateNamespace(type, meta)]);
  validateFinalizersWhileDeleting(meta, oldMeta, causes);
  if (!meta.resourceVersion) causes.push(fieldError.invalid('metadata.resourceVersion', '', 'must be specified for an update'));
  if ((meta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    causes.push(fieldError.invalid('metadata.generation', meta.generation ?? 0, 'must not be decremented'));
  }
  // All six are strings or numbers (or absent) on a well-formed object: the identity test settles
  // them; deepEqual only runs for a request that put something else there.
  for (const key of IMMUTABLE_META) {
    const value = meta[key];
    const oldValue = oldMeta[key];
    if (value !== oldValue && !deepEqual(value, oldValue)) causes.push(fieldError.immutable(`metadata.${key}`, value));
  }
  return causes;
}
