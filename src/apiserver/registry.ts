// The kinds the API server serves and how each behaves: scope, subresources, generation rules,
// update/delete strategy. Built-in kinds follow their upstream strategy.go; Knative kinds are
// registered as CRDs are (apiextensions-apiserver pkg/registry/customresource/strategy.go).
import { resourceNotServed, type GroupKind, type GroupResource } from './api-error.js';
import type { KubeObject, ResourceId, StatusCause } from './types.js';

export interface ScaleSubresource {
  /** JSON path of the desired replicas, e.g. ".spec.replicas". */
  specReplicasPath: string;
  /** JSON path of the observed replicas, e.g. ".status.replicas". */
  statusReplicasPath: string;
  /** JSON path of the label selector: a string, or a metav1.LabelSelector object (Deployment). */
  labelSelectorPath?: string;
}

/**
 * Generation rules (k8s-api.md §2.4): 'spec' bumps on spec changes (ReplicaSet), 'specAndAnnotations'
 * on spec or annotation changes (Deployment), 'nonMetadata' on any change outside metadata and
 * status (custom resources), 'nonMetadataOrLabels' on that or a label change (EndpointSlice,
 * discovery/endpointslice/strategy.go), 'none' leaves generation alone (Pod, Service, Namespace, ...).
 */
export type GenerationRule = 'spec' | 'specAndAnnotations' | 'nonMetadata' | 'nonMetadataOrLabels' | 'none';

/** Which ValidateNameFunc the kind uses (apimachinery pkg/api/validation/generic.go). */
export type NameRule = 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label';

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** `finalize` (an addition): namespaces' spec.finalizers endpoint. */
  subresources: { status: boolean; scale?: ScaleSubresource; finalize?: boolean };
  generation: GenerationRule;
  allowUnconditionalUpdate: boolean;
  /** Serves application/strategic-merge-patch+json (built-ins; CRDs never). */
  strategicMerge: boolean;
  /** Field selector labels beyond metadata.name and metadata.namespace, e.g. pods: spec.nodeName. */
  selectableFields?: string[];
  /** Pods: DELETE honours a grace period (pod strategy CheckGracefulDelete). */
  gracefulDelete?: boolean;
  /** Kind-specific validation; `old` is set on update. Causes as built by fieldError. */
  validate?: (obj: KubeObject, old?: KubeObject) => StatusCause[];

  // Additions beyond the brief's minimum, all optional.
  /** Name validation (default DNS-1123 subdomain). */
  nameRule?: NameRule;
  /** Where a selectable field label reads from, when not the label itself (events: source → source.component). */
  selectableFieldPaths?: Record<string, string>;
  /** Defaulting applied to every written object (apps/v1 defaults.go, core/v1 defaults.go). */
  defaults?: (obj: KubeObject) => void;
  /** Kind-specific PrepareForCreate after the generic one (pod phase, namespace finalizers). */
  prepareForCreate?: (obj: KubeObject) => void;
  /** Kind-specific PrepareForUpdate for main-resource writes, after status is restored (namespace spec.finalizers). */
  prepareForUpdate?: (obj: KubeObject, old: KubeObject) => void;
  /** Create keeps a client-supplied status although the kind has a status subresource (Node). */
  keepStatusOnCreate?: boolean;
  /**
   * What a /status write restores from the stored object: 'allButStatus' for custom resources
   * (customresource/status_strategy.go), else dot paths such as ['spec', 'metadata.labels'].
   * Default: 'allButStatus'.
   */
  statusResets?: 'allButStatus' | string[];
  /** Default garbage-collection policy when DeleteOptions name none (rest.GarbageCollectionDeleteStrategy). */
  gcPolicy?: 'DeleteDependents' | 'OrphanDependents';
  /** DELETE answers with the deleted object instead of a Success Status (pods, namespaces). */
  returnDeletedObject?: boolean;
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(type: { group: string; version: string }): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** Splits an apiVersion into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function resourceIdOf(type: ResourceType): ResourceId {
  return { group: type.group, version: type.version, resource: type.plural };
}

export function groupResourceOf(type: ResourceType): GroupResource {
  return { group: type.group, resource: type.plural };
}

export function groupKindOf(type: ResourceType): GroupKind {
  return { group: type.group, kind: type.kind };
}

/** A map keyed by two strings, without building a joined key on every lookup (every request does one). */
class TwoKeyMap<V> {
  readonly #outer = new Map<string, Map<string, V>>();

  get(a: string, b: string): V | undefined {
    return this.#outer.get(a)?.get(b);
  }

  set(a: string, b: string, value: V): void {
    let inner = this.#outer.get(a);
    if (inner === undefined) this.#outer.set(a, (inner = new Map()));
    inner.set(b, value);
  }
}

export class Registry {
  /** group → resource → version. */
  readonly #byId = new Map<string, TwoKeyMap<ResourceType>>();
  readonly #byKind = new TwoKeyMap<ResourceType>();
  readonly #all: ResourceType[] = [];

  /** Adds a kind; throws if its group/version/resource or apiVersion/kind is taken. */
  register(type: ResourceType): ResourceType {
    const apiVersion = apiVersionOf(type);
    if (this.lookup(resourceIdOf(type)) !== undefined || this.#byKind.get(apiVersion, type.kind) !== undefined) {
      throw new Error(`Registry.register: ${type.group}/${type.version}/${type.plural} (${type.kind}) is already registered`);
    }
    let byGroup = this.#byId.get(type.group);
    if (byGroup === undefined) this.#byId.set(type.group, (byGroup = new TwoKeyMap()));
    byGroup.set(type.plural, type.version, type);
    this.#byKind.set(apiVersion, type.kind, type);
    this.#all.push(type);
    return type;
  }

  /** The kind served at `res`, or undefined. */
  lookup(res: ResourceId): ResourceType | undefined {
    return this.#byId.get(res.group)?.get(res.resource, res.version);
  }

  /** The kind served at `res`; throws the 404 an unknown path gets. */
  require(res: ResourceId): ResourceType {
    const type = this.lookup(res);
    if (!type) throw resourceNotServed();
    return type;
  }

  /** The kind an object with this apiVersion and kind belongs to. */
  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.#byKind.get(apiVersion, kind);
  }

  /**
   * Resolves a name as kubectl does: plural, singular, short name or kind (case-insensitive),
   * optionally group-qualified ("deployments.apps"). The first registered match wins.
   */
  byName(name: string): ResourceType | undefined {
    const lower = name.toLowerCase();
    const dot = lower.indexOf('.');
    const bare = dot < 0 ? lower : lower.slice(0, dot);
    const group = dot < 0 ? undefined : lower.slice(dot + 1);
    return this.#all.find((type) => {
      if (group !== undefined && type.group !== group) return false;
      const names = [type.plural, type.singular, type.kind.toLowerCase(), ...(type.shortNames ?? [])];
      return names.includes(bare);
    });
  }

  /** Every registered kind, in registration order. */
  list(): readonly ResourceType[] {
    return this.#all;
  }
}
