// The Services and Endpoints of a ServerlessService (knative/serving pkg/reconciler/
// serverlessservice/resources/services.go, names/names.go): the private Service `<sks>-private`
// selects the revision's pods (the selector of the scale target) on 80 → 8012 (8013 for h2c),
// 443 → 8112, 9090 and 9091 (by port name) and the target port itself; the public Service `<sks>`
// has no selector, 80 (81 for h2c) → the target port and 443 → 8112, and its Endpoints are written
// by the reconciler. All carry the SKS's labels plus serverlessservice and serviceType, and are
// controlled by the SKS.

import type { KubeObject } from '../../apiserver/types.js';
import { LABELS } from '../apis/serving-labels.js';
import type { EndpointSubset } from '../kpa/endpoints-types.js';
import { BACKEND_HTTPS_PORT, targetPortFor, type ProtocolType } from '../kpa/sks-endpoints.js';
import { childName } from './child-name.js';
import { controllerRef } from './owner-refs.js';

export const privateServiceName = (sksName: string): string => childName(sksName, '-private');

export function sksProtocol(sks: KubeObject): ProtocolType {
  return sks.spec?.protocolType === 'h2c' ? 'h2c' : 'http1';
}

function metadata(sks: KubeObject, name: string, type: 'Public' | 'Private'): KubeObject['metadata'] {
  return {
    name,
    namespace: sks.metadata.namespace,
    labels: { ...(sks.metadata.labels ?? {}), [LABELS.sks]: sks.metadata.name!, [LABELS.serviceType]: type },
    annotations: { ...(sks.metadata.annotations ?? {}) },
    ownerReferences: [controllerRef(sks)],
  };
}

function servingPort(protocol: ProtocolType, port: number): Record<string, unknown> {
  const p: Record<string, unknown> = { name: protocol === 'h2c' ? 'http2' : 'http', protocol: 'TCP', port, targetPort: targetPortFor(protocol) };
  if (protocol === 'h2c') p.appProtocol = 'kubernetes.io/h2c';
  return p;
}

const HTTPS_PORT = { name: 'https', protocol: 'TCP', port: 443, targetPort: BACKEND_HTTPS_PORT };

export function makePublicServicePorts(sks: KubeObject): Record<string, unknown>[] {
  const protocol = sksProtocol(sks);
  return [servingPort(protocol, protocol === 'h2c' ? 81 : 80), HTTPS_PORT];
}

export function makePublicService(sks: KubeObject): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: metadata(sks, sks.metadata.name!, 'Public'), spec: { ports: makePublicServicePorts(sks) } };
}

export function makePrivateServiceSpec(sks: KubeObject, selector: Record<string, string>): { ports: Record<string, unknown>[]; selector: Record<string, string> } {
  const protocol = sksProtocol(sks);
  const target = targetPortFor(protocol);
  return {
    ports: [
      servingPort(protocol, 80),
      HTTPS_PORT,
      { name: 'http-autometric', protocol: 'TCP', port: 9090, targetPort: 'http-autometric' },
      { name: 'http-usermetric', protocol: 'TCP', port: 9091, targetPort: 'http-usermetric' },
      { name: `${protocol === 'h2c' ? 'http2' : 'http'}-istio`, protocol: 'TCP', port: target, targetPort: target },
    ],
    selector,
  };
}

export function makePrivateService(sks: KubeObject, selector: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: metadata(sks, privateServiceName(sks.metadata.name!), 'Private'), spec: makePrivateServiceSpec(sks, selector) };
}

export function makePublicEndpoints(sks: KubeObject, subsets: EndpointSubset[] | undefined): KubeObject {
  const eps: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: metadata(sks, sks.metadata.name!, 'Public') };
  if (subsets !== undefined) eps.subsets = subsets;
  return eps;
}
