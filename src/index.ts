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
