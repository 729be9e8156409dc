// Building blocks of EndpointSlices for a Service (k8s.io/endpointslice utils.go podToEndpoint,
// getEndpointPorts, getEndpointAddresses, newEndpointSlice, setEndpointSliceLabels, ownedBy,
// getAddressTypesForService; util/endpointset.go hashEndpoint; util/controller_utils.go
// NewPortMapKey, EndpointsEqualBeyondHash).

import { deepEqual } from '../apiserver/deep-copy.js';
import type { KubeObject } from '../apiserver/types.js';
import { findPort, isIpv6, podIPs, serviceSpec, shouldSetHostname } from './endpoint-pods.js';
import { SERVICE_NAME_LABEL } from './endpointslice-tracker.js';
import { isPodReady } from './pod-status.js';
import type { ObjectReference } from './repack-subsets.js';

export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export type AddressType = 'IPv4' | 'IPv6';

export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  targetRef: ObjectReference;
  nodeName?: string;
  zone?: string;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const portKey = (p: SlicePort): string => JSON.stringify([p.name, p.port, p.protocol, p.appProtocol ?? null]);

/** Ports in the canonical order (upstream: by hash) and the key of the set (NewPortMapKey). */
export function portMapKey(ports: readonly SlicePort[] | undefined): string {
  return JSON.stringify((ports ?? []).map(portKey).sort(compare));
}

/** hashEndpoint: addresses, hostname and the pod's namespace/name identify an endpoint. */
export function endpointKey(ep: SliceEndpoint): string {
  return JSON.stringify([[...ep.addresses].sort(compare), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

/** EndpointsEqualBeyondHash: node, zone, conditions and targetRef (but its resourceVersion). */
export function endpointsEqualBeyondKey(a: SliceEndpoint, b: SliceEndpoint): boolean {
  const ref = (r: ObjectReference | undefined): unknown => (r === undefined ? undefined : { ...r, resourceVersion: undefined });
  return a.nodeName === b.nodeName && a.zone === b.zone && deepEqual(a.conditions, b.conditions) && deepEqual(ref(a.targetRef), ref(b.targetRef));
}

/** getAddressTypesForService: from ipFamilies, else the ClusterIP's family, else both (headless). */
export function addressTypesFor(service: KubeObject): AddressType[] {
  const spec = serviceSpec(service);
  const families = (spec.ipFamilies ?? []).filter((f): f is AddressType => f === 'IPv4' || f === 'IPv6');
  if (families.length > 0) return [...new Set(families)];
  if (spec.clusterIP && spec.clusterIP !== 'None') return [isIpv6(spec.clusterIP) ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

/** getEndpointPorts: the Service's ports as the pod serves them; a headless Service may have none. */
export function endpointPortsFor(service: KubeObject, pod: KubeObject): SlicePort[] {
  const spec = serviceSpec(service);
  const out: SlicePort[] = [];
  for (const servicePort of spec.ports ?? []) {
    const port = findPort(pod, servicePort);
    if (port === undefined) continue;
    const p: SlicePort = { name: servicePort.name ?? '', port, protocol: servicePort.protocol ?? 'TCP' };
    if (servicePort.appProtocol !== undefined) p.appProtocol = servicePort.appProtocol;
    out.push(p);
  }
  return out.sort((a, b) => compare(portKey(a), portKey(b)));
}

/**
 * podToEndpoint: serving is readiness; terminating is a deletionTimestamp; ready is serving and
 * not terminating (or publishNotReadyAddresses), so a terminating pod stays listed, not ready.
 */
export function endpointFor(pod: KubeObject, node: KubeObject | undefined, service: KubeObject, addressType: AddressType): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const ready = serviceSpec(service).publishNotReadyAddresses === true || (serving && !terminating);
  const ep: SliceEndpoint = {
    addresses: podIPs(pod).filter((ip) => isIpv6(ip) === (addressType === 'IPv6')),
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  if (shouldSetHostname(pod, service)) ep.hostname = pod.spec.hostname as string;
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName as string;
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  return ep;
}

const isReservedLabel = (key: string): boolean => key === SERVICE_NAME_LABEL || key === MANAGED_BY_LABEL || key === HEADLESS_LABEL;

const isServiceIpSet = (service: KubeObject): boolean => {
  const ip = serviceSpec(service).clusterIP;
  return ip !== undefined && ip !== '' && ip !== 'None';
};

/** setEndpointSliceLabels: the Service's labels plus the reserved ones; `changed` compares the non-reserved. */
export function sliceLabelsFor(slice: KubeObject, service: KubeObject, controllerName: string): { labels: Record<string, string>; changed: boolean } {
  const own = (labels: Record<string, string> | undefined): Record<string, string> =>
    Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => !isReservedLabel(k)));
  const labels = own(service.metadata.labels);
  const changed = !deepEqual(own(slice.metadata.labels), labels);
  if (!isServiceIpSet(service)) labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = service.metadata.name!;
  labels[MANAGED_BY_LABEL] = controllerName;
  return { labels, changed };
}

/** newEndpointSlice: generateName `<service>-`, owned by (controller of) the Service, no endpoints yet. */
export function newSlice(service: KubeObject, ports: SlicePort[], addressType: AddressType, controllerName: string): KubeObject {
  const slice: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: {
      generateName: `${service.metadata.name}-`, namespace: service.metadata.namespace, labels: {},
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: service.metadata.name!, uid: service.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType, endpoints: [], ports,
  };
  slice.metadata.labels = sliceLabelsFor(slice, service, controllerName).labels;
  return slice;
}

/** ownedBy: an ownerReference to this very Service (by uid). */
export function ownedBy(slice: KubeObject, service: KubeObject): boolean {
  return (slice.metadata.ownerReferences ?? []).some((r) => r.uid === service.metadata.uid && r.kind === 'Service' && r.apiVersion === 'v1');
}

/** placeholderSliceCompare: namespace, labels, address type, ports and endpoints (absent ≡ empty). */
export function samePlaceholder(a: KubeObject, b: KubeObject): boolean {
  return a.metadata.namespace === b.metadata.namespace && deepEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {}) &&
    a.addressType === b.addressType && deepEqual(a.ports ?? [], b.ports ?? []) && deepEqual(a.endpoints ?? [], b.endpoints ?? []);
}
