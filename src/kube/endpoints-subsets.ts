// The subsets the Endpoints controller wants for a Service (k8s.io/kubernetes
// pkg/controller/endpoint/endpoints_controller.go syncService, podToEndpointAddressForService,
// addEndpointSubset, endpointPortFromServicePort, truncateEndpoints,
// endpointSubsetsEqualIgnoreResourceVersion).

import { deepEqual } from '../apiserver/deep-copy.js';
import type { KubeObject } from '../apiserver/types.js';
import {
  findPort, isIpv6, podIPs, serviceSpec, shouldPodBeInEndpoints, shouldSetHostname, type ServicePort,
} from './endpoint-pods.js';
import { isPodReady } from './pod-status.js';
import { repackSubsets, type EndpointAddress, type EndpointPort, type EndpointSubset } from './repack-subsets.js';

/** maxCapacity: addresses an Endpoints object holds before it is truncated. */
export const MAX_ENDPOINTS_CAPACITY = 1000;

/** The IP family the Service's endpoints use: its first ipFamily, else its ClusterIP's, else the pod's. */
function addressFamily(svc: KubeObject, pod: KubeObject): 'IPv4' | 'IPv6' {
  const spec = serviceSpec(svc);
  if (spec.ipFamilies?.length) return spec.ipFamilies[0] === 'IPv6' ? 'IPv6' : 'IPv4';
  if (spec.clusterIP && spec.clusterIP !== 'None') return isIpv6(spec.clusterIP) ? 'IPv6' : 'IPv4';
  const podIp = pod.status?.podIP as string | undefined;
  return podIp && isIpv6(podIp) ? 'IPv6' : 'IPv4';
}

/** podToEndpointAddressForService: undefined when the pod has no IP of the Service's family. */
export function endpointAddressFor(svc: KubeObject, pod: KubeObject): EndpointAddress | undefined {
  const wantV6 = addressFamily(svc, pod) === 'IPv6';
  const ip = podIPs(pod).find((candidate) => isIpv6(candidate) === wantV6);
  if (ip === undefined) return undefined;
  const address: EndpointAddress = { ip };
  if (shouldSetHostname(pod, svc)) address.hostname = pod.spec.hostname as string;
  address.nodeName = (pod.spec?.nodeName as string | undefined) ?? '';
  address.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  return address;
}

function endpointPort(servicePort: ServicePort, port: number): EndpointPort {
  const out: EndpointPort = { port, protocol: servicePort.protocol ?? 'TCP' };
  if (servicePort.name) out.name = servicePort.name;
  if (servicePort.appProtocol !== undefined) out.appProtocol = servicePort.appProtocol;
  return out;
}

/** addEndpointSubset: a one-address subset, ready unless the pod is not ready and the Service does not publish unready pods. */
function subsetFor(pod: KubeObject, address: EndpointAddress, port: EndpointPort | undefined, publishNotReady: boolean): EndpointSubset {
  const subset: EndpointSubset = publishNotReady || isPodReady(pod) ? { addresses: [address] } : { notReadyAddresses: [address] };
  if (port !== undefined) subset.ports = [port];
  return subset;
}

/** The repacked subsets for `svc` over the pods its selector matches (in any order). */
export function desiredSubsets(svc: KubeObject, pods: readonly KubeObject[]): EndpointSubset[] {
  const spec = serviceSpec(svc);
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = endpointAddressFor(svc, pod);
    if (address === undefined) continue;
    const ports = spec.ports ?? [];
    if (ports.length === 0) {
      // A headless Service may have no ports; any other Service without ports gets no addresses.
      if (spec.clusterIP === 'None') subsets.push(subsetFor(pod, address, undefined, publishNotReady));
      continue;
    }
    for (const servicePort of ports) {
      const port = findPort(pod, servicePort);
      if (port !== undefined) subsets.push(subsetFor(pod, address, endpointPort(servicePort, port), publishNotReady));
    }
  }
  return repackSubsets(subsets);
}

function normalizedAddresses(addresses: readonly EndpointAddress[] | undefined): EndpointAddress[] {
  return (addresses ?? []).map((a) => {
    if (a.targetRef?.resourceVersion === undefined) return a;
    const { resourceVersion: _ignored, ...targetRef } = a.targetRef;
    return { ...a, targetRef };
  });
}

/** endpointSubsetsEqualIgnoreResourceVersion: semantic equality (absent ≡ empty) ignoring targetRef.resourceVersion. */
export function subsetsEqual(a: readonly EndpointSubset[] | undefined, b: readonly EndpointSubset[] | undefined): boolean {
  const norm = (subsets: readonly EndpointSubset[] | undefined): unknown[] => (subsets ?? []).map((s) => ({
    addresses: normalizedAddresses(s.addresses), notReadyAddresses: normalizedAddresses(s.notReadyAddresses), ports: s.ports ?? [],
  }));
  return deepEqual(norm(a), norm(b));
}

export function countAddresses(subsets: readonly EndpointSubset[] | undefined): number {
  let n = 0;
  for (const s of subsets ?? []) n += (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0);
  return n;
}

/**
 * truncateEndpoints: past MAX_ENDPOINTS_CAPACITY, keep ready addresses first and share what is
 * left among subsets in proportion (rounded up, the last subsets getting what remains). Returns
 * whether it truncated; `subsets` is modified in place.
 */
export function truncateEndpoints(subsets: EndpointSubset[], capacity = MAX_ENDPOINTS_CAPACITY): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= capacity) return false;
  const truncateReady = totalReady > capacity;
  const max = truncateReady ? capacity : capacity - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const s of subsets) {
    const inSubset = (truncateReady ? s.addresses?.length : s.notReadyAddresses?.length) ?? 0;
    const toBeAdded = Math.min(canBeAdded, Math.ceil((inSubset / numTotal) * max));
    if (truncateReady) {
      s.addresses = s.addresses?.slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses?.length ?? 0;
    } else {
      s.notReadyAddresses = s.notReadyAddresses?.slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses?.length ?? 0;
    }
    if (s.addresses?.length === 0) delete s.addresses;
    if (s.notReadyAddresses?.length === 0) delete s.notReadyAddresses;
  }
  return true;
}
