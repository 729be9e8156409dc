// Resource ids of the built-in kinds the Kubernetes models read and write.

import type { ResourceId } from '../apiserver/types.js';

const core = (resource: string): ResourceId => ({ group: '', version: 'v1', resource });

export const NAMESPACES = core('namespaces');
export const PODS = core('pods');
export const NODES = core('nodes');
export const SERVICES = core('services');
export const ENDPOINTS = core('endpoints');
export const CONFIGMAPS = core('configmaps');
export const SECRETS = core('secrets');
export const EVENTS = core('events');
export const DEPLOYMENTS: ResourceId = { group: 'apps', version: 'v1', resource: 'deployments' };
export const REPLICASETS: ResourceId = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const ENDPOINTSLICES: ResourceId = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
export { LEASES } from '../client/leader-elector.js';
