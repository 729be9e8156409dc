// The kinds the simulated cluster serves. Built-ins follow their strategy.go in k8s.io/kubernetes
// pkg/registry (generation rules, status handling, selectable fields, deletion); the Knative kinds
// are custom resources as their CRDs declare them (knative/serving config/core/300-resources/*.yaml,
// knative.dev/networking config/*.yaml): namespaced, a status subresource only, no strategic merge,
// generation bumped on any non-metadata change.
import {
  defaultDeployment, defaultNamespace, defaultPod, defaultReplicaSet, defaultService,
} from './builtin-defaults.js';
import { validatePod, validateWorkload } from './builtin-validation.js';
import { Registry, type ResourceType } from './registry.js';
import type { KubeObject } from './types.js';

type KindOptions = Partial<ResourceType> & Pick<ResourceType, 'kind' | 'plural'>;

function builtin(group: string, version: string, options: KindOptions): ResourceType {
  return {
    group, version,
    singular: options.kind.toLowerCase(),
    listKind: `${options.kind}List`,
    namespaced: true,
    subresources: { status: false },
    generation: 'none',
    allowUnconditionalUpdate: true,
    strategicMerge: true,
    ...options,
  };
}

/** A CRD-backed kind (apiextensions customresource strategy): the defaults CRDs get. */
function customResource(group: string, version: string, options: KindOptions): ResourceType {
  return {
    group, version,
    singular: options.kind.toLowerCase(),
    listKind: `${options.kind}List`,
    namespaced: true,
    subresources: { status: true },
    generation: 'nonMetadata',
    allowUnconditionalUpdate: false,
    strategicMerge: false,
    statusResets: 'allButStatus',
    ...options,
  };
}

type Resources = Record<string, Record<string, number | string> | undefined>;

/** qos.GetPodQOS in brief: no requests or limits → BestEffort; cpu and memory limits equal to requests everywhere → Guaranteed. */
function podQosClass(pod: KubeObject): string {
  const containers = ((pod.spec?.containers ?? []) as { resources?: Resources }[]);
  let any = false;
  let guaranteed = containers.length > 0;
  for (const container of containers) {
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    if (Object.keys(requests).length + Object.keys(limits).length > 0) any = true;
    for (const resource of ['cpu', 'memory']) {
      const limit = limits[resource];
      const request = requests[resource] ?? limit;
      if (limit === undefined || String(limit) !== String(request)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** pod strategy PrepareForCreate: status starts Pending with the computed QoS class. */
function preparePodForCreate(pod: KubeObject): void {
  pod.status = { phase: 'Pending', qosClass: podQosClass(pod) };
}

/** namespace strategy PrepareForCreate: Active, and the `kubernetes` finalizer in spec. */
function prepareNamespaceForCreate(ns: KubeObject): void {
  ns.status = { phase: 'Active' };
  const spec = (ns.spec ??= {}) as { finalizers?: string[] };
  const finalizers = spec.finalizers ?? [];
  if (!finalizers.includes('kubernetes')) finalizers.push('kubernetes');
  spec.finalizers = finalizers;
}

/** namespace strategy PrepareForUpdate: spec.finalizers only change through /finalize. */
function prepareNamespaceForUpdate(ns: KubeObject, old: KubeObject): void {
  const finalizers = (old.spec as { finalizers?: string[] } | undefined)?.finalizers;
  if (finalizers === undefined) {
    if (ns.spec) delete (ns.spec as { finalizers?: string[] }).finalizers;
  } else {
    ns.spec = { ...(ns.spec ?? {}), finalizers };
  }
}

function coreKinds(): ResourceType[] {
  return [
    builtin('', 'v1', {
      kind: 'Namespace', plural: 'namespaces', shortNames: ['ns'], namespaced: false, nameRule: 'dns1123Label',
      subresources: { status: true, finalize: true }, statusResets: ['spec'], selectableFields: ['status.phase'],
      defaults: defaultNamespace, prepareForCreate: prepareNamespaceForCreate, prepareForUpdate: prepareNamespaceForUpdate,
      returnDeletedObject: true,
    }),
    builtin('', 'v1', {
      kind: 'Pod', plural: 'pods', shortNames: ['po'], categories: ['all'], subresources: { status: true },
      statusResets: ['spec', 'metadata.ownerReferences'], gracefulDelete: true, returnDeletedObject: true,
      selectableFields: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName',
        'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
      defaults: defaultPod, prepareForCreate: preparePodForCreate, validate: validatePod,
    }),
    builtin('', 'v1', {
      kind: 'Service', plural: 'services', shortNames: ['svc'], categories: ['all'], nameRule: 'dns1035Label',
      subresources: { status: true }, statusResets: ['spec'], defaults: defaultService,
      selectableFields: ['spec.clusterIP', 'spec.type'],
    }),
    builtin('', 'v1', { kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', shortNames: ['ep'] }),
    builtin('', 'v1', { kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'] }),
    builtin('', 'v1', { kind: 'Secret', plural: 'secrets', selectableFields: ['type'] }),
    builtin('', 'v1', {
      kind: 'Node', plural: 'nodes', shortNames: ['no'], namespaced: false, subresources: { status: true },
      statusResets: ['spec'], keepStatusOnCreate: true, selectableFields: ['spec.unschedulable'],
    }),
    builtin('', 'v1', {
      kind: 'Event', plural: 'events', shortNames: ['ev'], strategicMerge: true,
      selectableFields: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
        'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason',
        'reportingComponent', 'source', 'type'],
      selectableFieldPaths: { source: 'source.component' },
    }),
    builtin('', 'v1', { kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'] }),
  ];
}

function otherBuiltinKinds(): ResourceType[] {
  return [
    builtin('apps', 'v1', {
      kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'],
      subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
      generation: 'specAndAnnotations', statusResets: ['spec', 'metadata.labels'],
      defaults: defaultDeployment, validate: validateWorkload,
    }),
    builtin('apps', 'v1', {
      kind: 'ReplicaSet', plural: 'replicasets', shortNames: ['rs'], categories: ['all'],
      subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' } },
      generation: 'spec', statusResets: ['spec'], selectableFields: ['status.replicas'],
      defaults: defaultReplicaSet, validate: validateWorkload,
    }),
    builtin('discovery.k8s.io', 'v1', { kind: 'EndpointSlice', plural: 'endpointslices', generation: 'nonMetadataOrLabels' }),
    builtin('coordination.k8s.io', 'v1', { kind: 'Lease', plural: 'leases' }),
  ];
}

function knativeKinds(): ResourceType[] {
  const serving = 'serving.knative.dev';
  const autoscaling = 'autoscaling.internal.knative.dev';
  const networking = 'networking.internal.knative.dev';
  const servingCategories = ['all', 'knative', 'serving'];
  return [
    customResource(serving, 'v1', { kind: 'Service', plural: 'services', shortNames: ['kservice', 'ksvc'], categories: servingCategories }),
    customResource(serving, 'v1', { kind: 'Configuration', plural: 'configurations', shortNames: ['config', 'cfg'], categories: servingCategories }),
    customResource(serving, 'v1', { kind: 'Route', plural: 'routes', shortNames: ['rt'], categories: servingCategories }),
    customResource(serving, 'v1', { kind: 'Revision', plural: 'revisions', shortNames: ['rev'], categories: servingCategories }),
    customResource(autoscaling, 'v1alpha1', { kind: 'PodAutoscaler', plural: 'podautoscalers', shortNames: ['kpa', 'pa'], categories: ['knative-internal', 'autoscaling'] }),
    customResource(autoscaling, 'v1alpha1', { kind: 'Metric', plural: 'metrics', categories: ['knative-internal', 'autoscaling'] }),
    customResource(networking, 'v1alpha1', { kind: 'ServerlessService', plural: 'serverlessservices', shortNames: ['sks'], categories: ['knative-internal', 'networking'] }),
    customResource(networking, 'v1alpha1', { kind: 'Ingress', plural: 'ingresses', shortNames: ['kingress', 'king'], categories: ['knative-internal', 'networking'] }),
  ];
}

/** Every kind the simulated cluster serves, in registration (and discovery) order. */
export function builtinKinds(): ResourceType[] {
  return [...coreKinds(), ...otherBuiltinKinds(), ...knativeKinds()];
}

/** A registry holding builtinKinds(). */
export function registerBuiltinKinds(registry: Registry = new Registry()): Registry {
  for (const type of builtinKinds()) registry.register(type);
  return registry;
}
