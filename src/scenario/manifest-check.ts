// Checks a scenario's manifests the way applying them to a fresh cluster would: each object is
// applied (created, or updated when it exists, as `kubectl apply` does) on a scratch in-memory API
// server with the simulation's registry, after the objects Knative's installation creates, so the
// API server's own validation speaks. What a real cluster's admission webhooks would refuse is
// checked here in code: a Knative Service's or Configuration's containers and autoscaling
// annotations (knative/serving pkg/apis/serving/k8s_validation.go ValidatePodSpec,
// pkg/apis/serving/metadata_validation.go ValidateObjectMetadata, pkg/apis/autoscaling
// annotation_validation.go), and config-autoscaler / config-deployment data the Knative components
// would refuse to start with (pkg/autoscaler/config/config.go, pkg/deployment/config.go).

import { ApiError } from '../apiserver/api-error.js';
import { ApiServer } from '../apiserver/api-server.js';
import { apiVersionOf, parseApiVersion, resourceIdOf, type ResourceType } from '../apiserver/registry.js';
import type { KubeObject } from '../apiserver/types.js';
import { validateAnnotations } from '../knative/autoscaler/annotation-validation.js';
import { DEFAULT_AUTOSCALER_CONFIG, parseAutoscalerConfig, type AutoscalerConfig } from '../knative/config/autoscaler-config.js';
import { ConfigError } from '../knative/config/config-error.js';
import { parseDeploymentConfig } from '../knative/config/deployment-config.js';
import { servingManifests } from '../knative/install/serving-manifests.js';
import { KNATIVE_NAMESPACE } from '../knative/serving-system.js';
import { parseRelease } from '../knative/versions.js';
import { NAMESPACES } from '../kube/resources.js';
import { Prng } from '../sim/prng.js';
import type { FieldReader } from './field-reader.js';
import { isPlainObject, type FieldPath } from './schema-check.js';
import { suggest } from './suggest.js';
import type { ClusterSpec } from './types.js';

/** Where a manifest sits: the reader of its file and its path there. */
export interface ManifestPlace {
  reader: FieldReader;
  path: FieldPath;
}

const SERVING_V1 = 'serving.knative.dev/v1';

/** `spec.template.spec.containers[0].image` → ['spec', 'template', 'spec', 'containers', 0, 'image']. */
function parseFieldPath(field: string): FieldPath {
  const out: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (m === null) {
      out.push(part);
      continue;
    }
    if (m[1] !== '') out.push(m[1]);
    for (const index of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

function stringMapProblem(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (!isPlainObject(value)) return 'expected a mapping of strings';
  const bad = Object.entries(value).find(([, v]) => typeof v !== 'string');
  return bad === undefined ? null : `value of "${bad[0]}" must be a string (quote it: "${String(bad[1])}")`;
}

export class ManifestChecker {
  readonly #api: ApiServer;

  constructor(options: { release: string; replicas: ClusterSpec['knativeReplicas'] }) {
    this.#api = new ApiServer({ nowMs: () => 0, random: new Prng('scenario-manifest-check') });
    let release;
    try {
      release = parseRelease(options.release);
    } catch {
      release = parseRelease('latest');
    }
    for (const obj of servingManifests({ release, replicas: options.replicas, config: {} })) {
      const type = this.#api.registry.byKind(obj.apiVersion, obj.kind);
      if (type !== undefined) this.#api.create(resourceIdOf(type), obj);
    }
  }

  /** Every kind served, as `apiVersion Kind`. */
  knownKinds(): string[] {
    return this.#api.registry.list().map((t) => `${apiVersionOf(t)} ${t.kind}`);
  }

  /** Kind names, for faults and predicates that name kinds without an apiVersion. */
  kindNames(): string[] {
    return [...new Set(this.#api.registry.list().map((t) => t.kind))];
  }

  /** The registered type of apiVersion/kind, or an issue listing the known ones. */
  resolveKind(place: ManifestPlace, apiVersion: string, kind: string): ResourceType | undefined {
    const type = this.#api.registry.byKind(apiVersion, kind);
    if (type !== undefined) return type;
    const known = this.knownKinds();
    const hint = suggest(`${apiVersion} ${kind}`, known);
    place.reader.fail([...place.path, 'kind'], `unknown kind ${apiVersion} ${kind}${hint === undefined ? '' : ` (did you mean ${hint}?)`}; known kinds: ${known.join(', ')}`);
    return undefined;
  }

  /** The data of a ConfigMap as the scratch cluster has it now, or undefined. */
  configMapData(namespace: string, name: string): Record<string, string> | undefined {
    const type = this.#api.registry.byKind('v1', 'ConfigMap');
    if (type === undefined) return undefined;
    try {
      return { ...((this.#api.get(resourceIdOf(type), name, { namespace }).data ?? {}) as Record<string, string>) };
    } catch (error) {
      if (error instanceof ApiError) return undefined;
      throw error;
    }
  }

  /** Applies `value` (already known to be a mapping with apiVersion, kind and metadata); the stored object, or undefined and issues. */
  apply(place: ManifestPlace, value: Record<string, unknown>): KubeObject | undefined {
    const { reader, path } = place;
    const before = reader.issues.length;
    if (typeof value.apiVersion !== 'string') return reader.fail([...path, 'apiVersion'], 'expected a string');
    if (typeof value.kind !== 'string') return reader.fail([...path, 'kind'], 'expected a string');
    const type = this.resolveKind(place, value.apiVersion, value.kind);
    if (type === undefined) return undefined;
    const metadata = value.metadata;
    if (!isPlainObject(metadata)) return reader.fail([...path, 'metadata'], 'expected a mapping');
    for (const key of ['name', 'namespace', 'generateName'] as const) {
      if (metadata[key] !== undefined && typeof metadata[key] !== 'string') reader.fail([...path, 'metadata', key], 'expected a string');
    }
    for (const key of ['labels', 'annotations'] as const) {
      const problem = stringMapProblem(metadata[key]);
      if (problem !== null) reader.fail([...path, 'metadata', key], problem);
    }
    if (value.kind === 'ConfigMap' && value.apiVersion === 'v1') {
      const problem = stringMapProblem(value.data);
      if (problem !== null) reader.fail([...path, 'data'], problem);
    }
    if (reader.issues.length > before) return undefined;
    const obj = value as unknown as KubeObject;
    if (value.apiVersion === SERVING_V1 && (value.kind === 'Service' || value.kind === 'Configuration')) {
      this.#checkKnativeWorkload(place, value);
      if (reader.issues.length > before) return undefined;
    }
    const namespace = type.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
    if (namespace !== undefined && !this.#ensureNamespace({ reader, path: [...path, 'metadata', 'namespace'] }, namespace)) return undefined;
    const stored = this.#write(place, type, obj, namespace);
    if (stored !== undefined && type.kind === 'ConfigMap' && namespace === KNATIVE_NAMESPACE) this.checkKnativeConfig(place, ['data'], stored.metadata.name ?? '', (stored.data ?? {}) as Record<string, string>);
    return stored;
  }

  /** Whether Knative would accept this data for the named ConfigMap of knative-serving. */
  checkKnativeConfig(place: ManifestPlace, dataPath: FieldPath, name: string, data: Record<string, string>): void {
    try {
      if (name === 'config-autoscaler') parseAutoscalerConfig(data);
      if (name === 'config-deployment') parseDeploymentConfig(data);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const key = Object.hasOwn(data, error.key) ? [error.key] : [];
      place.reader.fail([...place.path, ...dataPath, ...key], `Knative rejects ${name}: ${error.message}`);
    }
  }

  /** The autoscaler configuration the webhook would validate annotations with. */
  #autoscalerConfig(): AutoscalerConfig {
    try {
      return parseAutoscalerConfig(this.configMapData(KNATIVE_NAMESPACE, 'config-autoscaler') ?? {});
    } catch (error) {
      if (error instanceof ConfigError) return DEFAULT_AUTOSCALER_CONFIG;
      throw error;
    }
  }

  #checkKnativeWorkload(place: ManifestPlace, value: Record<string, unknown>): void {
    const { reader, path } = place;
    const config = this.#autoscalerConfig();
    this.#checkAnnotations(place, [...path, 'metadata'], (value.metadata as Record<string, unknown>).annotations, config);
    const spec = value.spec;
    if (!isPlainObject(spec)) return void reader.fail([...path, 'spec'], 'missing field(s): spec.template');
    const template = spec.template;
    if (!isPlainObject(template)) return void reader.fail([...path, 'spec', 'template'], 'missing field(s): spec.template');
    if (template.metadata !== undefined) {
      if (!isPlainObject(template.metadata)) return void reader.fail([...path, 'spec', 'template', 'metadata'], 'expected a mapping');
      const problem = stringMapProblem(template.metadata.annotations);
      if (problem !== null) return void reader.fail([...path, 'spec', 'template', 'metadata', 'annotations'], problem);
      this.#checkAnnotations(place, [...path, 'spec', 'template', 'metadata'], template.metadata.annotations, config);
    }
    const podSpec = template.spec;
    const specPath = [...path, 'spec', 'template', 'spec'];
    if (!isPlainObject(podSpec)) return void reader.fail([...path, 'spec', 'template'], 'missing field(s): spec.template.spec.containers');
    const containers = podSpec.containers;
    if (!Array.isArray(containers) || containers.length === 0) return void reader.fail(specPath, 'missing field(s): spec.template.spec.containers');
    containers.forEach((container, i) => {
      if (!isPlainObject(container)) return void reader.fail([...specPath, 'containers', i], 'expected a mapping');
      if (typeof container.image !== 'string' || container.image === '') {
        reader.fail([...specPath, 'containers', i], `missing field(s): spec.template.spec.containers[${i}].image`);
      }
    });
  }

  #checkAnnotations(place: ManifestPlace, metadataPath: FieldPath, annotations: unknown, config: AutoscalerConfig): void {
    if (!isPlainObject(annotations)) return;
    const error = validateAnnotations(config, annotations as Record<string, string>);
    if (error === null) return;
    for (const leaf of error.merged()) {
      const key = leaf.paths.find((p) => Object.hasOwn(annotations, p));
      const at = key === undefined ? [...metadataPath, 'annotations'] : [...metadataPath, 'annotations', key];
      place.reader.fail(at, `invalid Knative annotation: ${leaf.message}: ${leaf.paths.join(', ')}${leaf.details === '' ? '' : ` (${leaf.details})`}`);
    }
  }

  /** Creates the namespace when missing, as the scenario runner does; false (and an issue) when its name is invalid. */
  #ensureNamespace(place: ManifestPlace, name: string): boolean {
    try {
      this.#api.get(NAMESPACES, name);
      return true;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    try {
      this.#api.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      return true;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const cause = error.status.details?.causes?.[0];
      place.reader.fail(place.path, `invalid namespace: ${cause?.message ?? error.status.message ?? error.message}`);
      return false;
    }
  }

  #write(place: ManifestPlace, type: ResourceType, obj: KubeObject, namespace: string | undefined): KubeObject | undefined {
    const res = resourceIdOf(type);
    const { group } = parseApiVersion(obj.apiVersion);
    try {
      const name = obj.metadata.name;
      let existing: KubeObject | undefined;
      if (typeof name === 'string' && name !== '') {
        try {
          existing = this.#api.get(res, name, { namespace });
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
        }
      }
      if (existing === undefined) return this.#api.create(res, obj, { namespace });
      // kubectl apply over an object it did not create (no last-applied annotation) keeps the fields
      // the manifest leaves out: the manifest merges into what is there (a ConfigMap's other keys stay).
      return this.#api.patch(res, existing.metadata.name ?? '', obj, { namespace, patchType: type.strategicMerge ? 'strategic' : 'merge' });
    } catch (error) {
      // The in-memory API server trusts the types of what it is given, as a real one may after
      // decoding JSON into typed structs; a field of the wrong type is the decoding error a real
      // API server would answer with.
      if (!(error instanceof ApiError)) return place.reader.fail(place.path, `the API server cannot decode ${type.kind}: a field has the wrong type (${(error as Error).message})`);
      const causes = error.status.details?.causes ?? [];
      const where = `${group === '' ? '' : `${group} `}${type.kind}`;
      if (causes.length === 0) return place.reader.fail(place.path, `the API server rejects ${where}: ${error.status.message ?? error.message}`);
      for (const cause of causes) {
        const at = cause.field === undefined || cause.field === '' ? place.path : [...place.path, ...parseFieldPath(cause.field)];
        place.reader.fail(at, `the API server rejects ${where}: ${cause.field ?? ''}: ${cause.message ?? cause.type ?? 'invalid'}`.replace(': : ', ': '));
      }
      return undefined;
    }
  }
}
