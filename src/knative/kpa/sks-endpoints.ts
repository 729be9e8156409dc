// The ServerlessService reconciler's public-endpoints decisions (knative/serving
// pkg/reconciler/serverlessservice/serverlessservice.go reconcilePublicEndpoints, subsetEndpoints;
// resources/services.go FilterSubsetPorts, targetPort; pkg/resources/endpoints.go
// ReadyAddressCount; knative/networking serverlessservice_lifecycle.go IsReady):
//
//   mode = spec.mode; no ready private endpoints → Proxy; no ready activator endpoints → Serve
//   source = Serve ? private endpoints : ChooseSubset(activator endpoints, numActivators, sks name)
//   public subsets = source with only the target port and 8112 kept
//   EndpointsPopulated = private ready > 0 ? True : Unknown("NoHealthyBackends")
//   ActivatorEndpointsPopulated = (private ready == 0 || spec.mode == Proxy) ? True : False

import { chooseSubset } from '../hash/choose-subset.js';
import type { EndpointSubset } from './endpoints-types.js';
import type { ConditionValue } from './condition-transition.js';
import type { ConditionStatus, SksMode } from './pa-types.js';

/** networking.BackendHTTPPort / BackendHTTP2Port / BackendHTTPSPort. */
export const BACKEND_HTTP_PORT = 8012;
export const BACKEND_HTTP2_PORT = 8013;
export const BACKEND_HTTPS_PORT = 8112;

export type ProtocolType = 'http1' | 'h2c';

export const ENDPOINTS_READY: Readonly<ConditionValue> = Object.freeze({ status: 'True' });
export const ENDPOINTS_NO_HEALTHY_BACKENDS: Readonly<ConditionValue> = Object.freeze({ status: 'Unknown', reason: 'NoHealthyBackends', message: 'K8s Service is not ready' });
const ACTIVATOR_BACKED = { reason: 'ActivatorEndpointsPopulated', message: 'Revision is backed by Activator' };

/** targetPort: 8013 for h2c, 8012 otherwise. */
export function targetPortFor(protocol: ProtocolType): number {
  return protocol === 'h2c' ? BACKEND_HTTP2_PORT : BACKEND_HTTP_PORT;
}

/** ReadyAddressCount. */
export function readyAddressCount(subsets: readonly EndpointSubset[] | undefined): number {
  let n = 0;
  for (const s of subsets ?? []) n += s.addresses?.length ?? 0;
  return n;
}

/** filterSubsetPorts: copies of the subsets keeping only `targetPort` and 8112; undefined for none. */
export function filterSubsetPorts(targetPort: number, subsets: readonly EndpointSubset[] | undefined): EndpointSubset[] | undefined {
  if (!subsets || subsets.length === 0) return undefined;
  return subsets.map((s) => {
    const ports = (s.ports ?? []).filter((p) => p.port === BACKEND_HTTPS_PORT || p.port === targetPort);
    const copy: EndpointSubset = { ...s };
    if (ports.length > 0) copy.ports = ports;
    else delete copy.ports;
    return copy;
  });
}

/**
 * subsetEndpoints: the activator subsets cut down to `n` addresses chosen by ChooseSubset for
 * `target`, keeping subset and address order and dropping emptied subsets. n = 0, no subsets, or
 * no more addresses than n returns the input itself.
 */
export function subsetEndpoints(subsets: readonly EndpointSubset[], target: string, n: number): readonly EndpointSubset[] {
  if (subsets.length === 0 || n === 0) return subsets;
  const ips = new Set<string>();
  for (const s of subsets) for (const a of s.addresses ?? []) ips.add(a.ip);
  if (ips.size <= n) return subsets;
  const chosen = new Set(chooseSubset(ips, n, target));
  const out: EndpointSubset[] = [];
  for (const s of subsets) {
    const kept = (s.addresses ?? []).filter((a) => chosen.has(a.ip));
    if (kept.length > 0) out.push({ ...s, addresses: kept });
  }
  return out;
}

export interface PublicEndpointsDecision {
  effectiveMode: SksMode;
  source: 'private' | 'activator';
  /** The public Endpoints' subsets. */
  subsets: EndpointSubset[] | undefined;
  endpointsPopulated: Readonly<ConditionValue>;
  activatorEndpointsPopulated: ConditionValue;
}

export function effectiveSksMode(specMode: SksMode, privateReady: number, activatorReady: number): SksMode {
  let mode = specMode;
  if (privateReady === 0) mode = 'Proxy';
  if (activatorReady === 0) mode = 'Serve';
  return mode;
}

/** reconcilePublicEndpoints's decisions, for an SKS named `sksName`. */
export function decidePublicEndpoints(options: {
  sksName: string;
  specMode: SksMode;
  numActivators: number;
  protocol: ProtocolType;
  privateSubsets?: readonly EndpointSubset[];
  activatorSubsets?: readonly EndpointSubset[];
}): PublicEndpointsDecision {
  const privateReady = readyAddressCount(options.privateSubsets);
  const mode = effectiveSksMode(options.specMode, privateReady, readyAddressCount(options.activatorSubsets));
  const source = mode === 'Serve' ? options.privateSubsets : subsetEndpoints(options.activatorSubsets ?? [], options.sksName, options.numActivators);
  const backedByActivator = privateReady === 0 || options.specMode === 'Proxy';
  return {
    effectiveMode: mode,
    source: mode === 'Serve' ? 'private' : 'activator',
    subsets: filterSubsetPorts(targetPortFor(options.protocol), source),
    endpointsPopulated: privateReady > 0 ? ENDPOINTS_READY : ENDPOINTS_NO_HEALTHY_BACKENDS,
    activatorEndpointsPopulated: { status: backedByActivator ? 'True' : 'False', ...ACTIVATOR_BACKED },
  };
}

/** ServerlessService.IsReady: Ready is True and the status has observed the current generation. */
export function sksIsReady(options: { generation: number; observedGeneration: number; ready: ConditionStatus | undefined }): boolean {
  return options.observedGeneration === options.generation && options.ready === 'True';
}
