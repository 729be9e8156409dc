// The package entry: the simulation kernel, the in-memory API server and the controller runtime.
export * from './sim/index.js';
export * from './client/index.js';
export { ApiServer, type ApiServerDeps, type ApiServerOptions, type CommitEvent, type DeleteOptions, type GetOptions, type ListOptions, type PatchOptions, type WatchOptions, type WriteOptions } from './apiserver/api-server.js';
export { ApiError, isApiError, isAlreadyExists, isConflict, isGone, isNotFound } from './apiserver/api-error.js';
export { Registry, type ResourceType } from './apiserver/registry.js';
export { deepCopy, deepEqual, deepFreeze } from './apiserver/deep-copy.js';
export { LabelSelector } from './apiserver/label-selector.js';
export { FieldSelector } from './apiserver/field-selector.js';
export type { KubeObject, KubeList, ObjectMeta, OwnerReference, ResourceId, Status, WatchEvent } from './apiserver/types.js';
export { setupGarbageCollector } from './kube/garbage-collector.js';

// Kubernetes models.
export { installKube, type InstallKubeOptions, type Kube } from './kube/install-kube.js';
export { defaultNodes, installKubeNodes, type NodeConfig } from './kube/install-nodes.js';
export { PodRuntime, type PodBehaviour, type ProbeKind, type ProbeOutcome } from './kube/pod-runtime.js';
export * as podFaults from './kube/pod-faults.js';

// Knative Serving: the installation, the release profiles, and the pure pieces (ported with
// Knative's own table tests) under a namespace each, so they can be checked against upstream.
export { installServing, type InstallServingOptions, type Serving } from './knative/install/install-serving.js';
export { KnativeProfile, allReleases, parseRelease, type Release, type UpstreamFix } from './knative/versions.js';
export * as autoscaler from './knative/autoscaler/index.js';
export * as kpa from './knative/kpa/index.js';
export * as activator from './knative/activator/index.js';
export * as queue from './knative/queue/index.js';
export { chooseSubset } from './knative/hash/choose-subset.js';

// Data plane and workloads.
export { startWorkload, type Load, type Phase, type WorkloadOptions } from './dataplane/workload.js';
export type { RequestOutcome, SimRequest } from './dataplane/request.js';
export type { Distribution } from './dataplane/distribution.js';
