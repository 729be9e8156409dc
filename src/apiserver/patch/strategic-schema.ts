// Which fields of the built-in kinds a strategic merge patch treats specially: the `patchStrategy`
// and `patchMergeKey` struct tags of k8s.io/api (core/v1/types.go, apps/v1/types.go) and
// k8s.io/apimachinery pkg/apis/meta/v1/types.go, written out as data. Upstream reads them from the
// Go structs (strategicpatch.NewPatchMetaFromStruct); custom resources have no struct, so the
// server refuses strategic merge patches for them with 415 (handlers/patch.go), and so
// strategicSchemaFor answers undefined for every kind not listed here.

/**
 * One field's patch metadata, as the upstream struct tags spell it.
 * - 'merge': a list merges instead of being replaced: element-wise by `mergeKey` for lists of
 *   objects, as an ordered set for lists of primitives (metadata.finalizers).
 * - 'retainKeys': a map whose `$retainKeys` directive clears the keys it does not list
 *   (Deployment spec.strategy, a discriminated union). Clients add that directive when they build
 *   a patch; applying honours `$retainKeys` wherever it appears, as upstream does.
 * - 'merge,retainKeys': both, for lists whose elements are unions (PodSpec.volumes).
 */
export interface StrategicField {
  strategy: 'merge' | 'retainKeys' | 'merge,retainKeys';
  mergeKey?: string;
}

/**
 * Patch metadata by field path: dotted member names from the object root, with `[]` for "every
 * element of this list", e.g. `spec.template.spec.containers[].ports`. Fields not in the map are
 * plain: maps merge, lists and scalars replace.
 */
export type StrategicSchema = ReadonlyMap<string, StrategicField>;

type Entry = [path: string, field: StrategicField];

function merge(mergeKey?: string): StrategicField {
  return mergeKey === undefined ? { strategy: 'merge' } : { strategy: 'merge', mergeKey };
}

/** meta/v1 ObjectMeta. */
function objectMeta(prefix: string): Entry[] {
  return [
    [`${prefix}.ownerReferences`, merge('uid')],
    [`${prefix}.finalizers`, merge()],
  ];
}

/** core/v1 Container (and EphemeralContainerCommon, which carries the same tags). */
function containers(list: string): Entry[] {
  return [
    [list, merge('name')],
    [`${list}[].ports`, merge('containerPort')],
    [`${list}[].env`, merge('name')],
    [`${list}[].volumeMounts`, merge('mountPath')],
    [`${list}[].volumeDevices`, merge('devicePath')],
  ];
}

/** core/v1 PodSpec. */
function podSpec(prefix: string): Entry[] {
  return [
    ...containers(`${prefix}.containers`),
    ...containers(`${prefix}.initContainers`),
    ...containers(`${prefix}.ephemeralContainers`),
    [`${prefix}.volumes`, { strategy: 'merge,retainKeys', mergeKey: 'name' }],
    [`${prefix}.imagePullSecrets`, merge('name')],
    [`${prefix}.hostAliases`, merge('ip')],
    [`${prefix}.topologySpreadConstraints`, merge('topologyKey')],
    [`${prefix}.schedulingGates`, merge('name')],
    [`${prefix}.resourceClaims`, { strategy: 'merge,retainKeys', mergeKey: 'name' }],
  ];
}

/** core/v1 PodTemplateSpec: its own ObjectMeta and a PodSpec. */
function podTemplate(prefix: string): Entry[] {
  return [...objectMeta(`${prefix}.metadata`), ...podSpec(`${prefix}.spec`)];
}

function conditions(prefix: string): Entry {
  return [`${prefix}.conditions`, merge('type')];
}

function schema(...entries: Entry[]): StrategicSchema {
  return new Map([...objectMeta('metadata'), ...entries]);
}

const SCHEMAS: ReadonlyMap<string, StrategicSchema> = new Map([
  ['/Pod', schema(
    ...podSpec('spec'),
    conditions('status'),
    ['status.podIPs', merge('ip')],
    ['status.hostIPs', merge('ip')],
    ['status.resourceClaimStatuses', { strategy: 'merge,retainKeys', mergeKey: 'name' }],
  )],
  ['/Service', schema(['spec.ports', merge('port')], conditions('status'))],
  ['/Endpoints', schema()],
  ['/ConfigMap', schema()],
  ['/Secret', schema()],
  ['/Namespace', schema(conditions('status'))],
  ['/Node', schema(['spec.podCIDRs', merge()], conditions('status'), ['status.addresses', merge('type')])],
  ['/Event', schema()],
  ['apps/Deployment', schema(
    ['spec.strategy', { strategy: 'retainKeys' }],
    ...podTemplate('spec.template'),
    conditions('status'),
  )],
  ['apps/ReplicaSet', schema(...podTemplate('spec.template'), conditions('status'))],
  ['coordination.k8s.io/Lease', schema()],
]);

/**
 * The strategic-merge metadata of a built-in kind (`group` is '' for core/v1), or undefined when
 * the kind does not support strategic merge patch (every custom resource, Knative's included).
 */
export function strategicSchemaFor(group: string, kind: string): StrategicSchema | undefined {
  return SCHEMAS.get(`${group}/${kind}`);
}
