// Which pods back a Service and on which ports: what the Endpoints and EndpointSlice controllers
// share, after k8s.io/endpointslice util/controller_utils.go (ShouldPodBeInEndpoints,
// ShouldSetHostname, podEndpointsChanged, GetPodUpdateProjectionKey, GetServicesToUpdate,
// determineNeededServiceUpdates) and utils.go / pkg/api/v1/pod/util.go FindPort.

import type { KubeObject } from '../apiserver/types.js';
import type { Informer } from '../client/informer.js';
import { objectKey } from '../client/informer.js';
import { deepEqual } from '../apiserver/deep-copy.js';
import { isPodReady, isPodTerminal } from './pod-status.js';

export interface ServicePort {
  name?: string;
  protocol?: string;
  appProtocol?: string;
  port: number;
  targetPort?: number | string;
}

export interface ServiceSpec {
  type?: string;
  selector?: Record<string, string>;
  clusterIP?: string;
  ipFamilies?: string[];
  ports?: ServicePort[];
  publishNotReadyAddresses?: boolean;
}

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

interface Container {
  ports?: ContainerPort[];
  restartPolicy?: string;
}

export const serviceSpec = (svc: KubeObject): ServiceSpec => (svc.spec ?? {}) as ServiceSpec;

/**
 * The Service's selector, or undefined when the controllers leave it alone. A selector with no
 * keys counts as none: upstream stores Services as protobuf, where an empty map does not survive
 * the round trip, so every client (and these controllers) reads such a Service back without a
 * selector. Our store keeps JSON, hence the explicit rule.
 */
export function serviceSelector(svc: KubeObject): Record<string, string> | undefined {
  const selector = serviceSpec(svc).selector;
  return selector !== undefined && selector !== null && Object.keys(selector).length > 0 ? selector : undefined;
}

/** labels.Set(selector).AsSelector().Matches(labels). */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [key, value] of Object.entries(selector)) if (labels?.[key] !== value) return false;
  return true;
}

/**
 * status.podIPs, or [status.podIP] when only that is set: the API server keeps the two in step
 * (core/v1 conversion of PodStatus), ours does not, so readers normalize.
 */
export function podIPs(pod: KubeObject): string[] {
  const ips = (pod.status?.podIPs as { ip: string }[] | undefined)?.map((p) => p.ip).filter((ip) => ip) ?? [];
  if (ips.length > 0) return ips;
  const ip = pod.status?.podIP as string | undefined;
  return ip ? [ip] : [];
}

export const isIpv6 = (ip: string): boolean => ip.includes(':');

/** ShouldPodBeInEndpoints: not terminal, has an IP, and not being deleted unless terminating pods count. */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (podIPs(pod).length === 0) return false;
  return includeTerminating || pod.metadata.deletionTimestamp === undefined;
}

/** ShouldSetHostname: spec.hostname set and spec.subdomain naming this Service in its namespace. */
export function shouldSetHostname(pod: KubeObject, svc: KubeObject): boolean {
  return Boolean(pod.spec?.hostname) && pod.spec?.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

/**
 * FindPort: a numeric targetPort as is; a named one looked up among the containers' ports (then
 * the sidecars': init containers with restartPolicy Always) with the Service port's protocol.
 * Undefined when the pod does not expose the name. Protocols default to TCP, as the API defaults them.
 */
export function findPort(pod: KubeObject, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  const protocol = servicePort.protocol ?? 'TCP';
  const containers = (pod.spec?.containers ?? []) as Container[];
  const sidecars = ((pod.spec?.initContainers ?? []) as Container[]).filter((c) => c.restartPolicy === 'Always');
  for (const container of [...containers, ...sidecars]) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

export interface PodEndpointsChange {
  /** The pod changed in a way that may change existing endpoints. */
  podChanged: boolean;
  /** The pod changed in a way that may change which Services select it. */
  labelsChanged: boolean;
}

/**
 * podEndpointsChanged. Upstream compares the deletionTimestamp *pointers*, which differ between any
 * two decoded objects, so every update of a pod being deleted counts as a change; so here.
 * nodeName is ignored: it is set before the pod has an IP.
 */
export function podEndpointsChanged(oldPod: KubeObject, newPod: KubeObject): PodEndpointsChange {
  const labelsChanged = !deepEqual(oldPod.metadata.labels ?? {}, newPod.metadata.labels ?? {}) ||
    oldPod.spec?.hostname !== newPod.spec?.hostname || oldPod.spec?.subdomain !== newPod.spec?.subdomain;
  const deletionChanged = oldPod.metadata.deletionTimestamp !== undefined || newPod.metadata.deletionTimestamp !== undefined;
  const podChanged = deletionChanged || isPodReady(oldPod) !== isPodReady(newPod) || !deepEqual(podIPs(oldPod), podIPs(newPod));
  return { podChanged, labelsChanged };
}

/** determineNeededServiceUpdates: the union when the pod changed, else the symmetric difference. */
export function determineNeededServiceUpdates(oldServices: readonly string[], newServices: readonly string[], podChanged: boolean): string[] {
  const union = [...new Set([...newServices, ...oldServices])];
  if (podChanged) return union.sort();
  return union.filter((key) => oldServices.includes(key) !== newServices.includes(key)).sort();
}

/** getServicesForPod: keys of the Services in `namespace` whose selector matches `labels`. */
export function servicesSelecting(services: Informer, namespace: string | undefined, labels: Record<string, string> | undefined): string[] {
  const keys: string[] = [];
  for (const svc of services.list(namespace ?? '')) {
    const selector = serviceSelector(svc);
    if (selector !== undefined && selectorMatches(selector, labels)) keys.push(objectKey(svc));
  }
  return keys;
}

/** GetServicesToUpdateOnPodChange: nothing for a resync or an irrelevant change. */
export function servicesToUpdateOnPodChange(services: Informer, oldPod: KubeObject, newPod: KubeObject): string[] {
  if (oldPod.metadata.resourceVersion === newPod.metadata.resourceVersion) return [];
  const { podChanged, labelsChanged } = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return [];
  const current = servicesSelecting(services, newPod.metadata.namespace, newPod.metadata.labels);
  if (!labelsChanged) return current;
  const previous = servicesSelecting(services, oldPod.metadata.namespace, oldPod.metadata.labels);
  return determineNeededServiceUpdates(previous, current, podChanged);
}
