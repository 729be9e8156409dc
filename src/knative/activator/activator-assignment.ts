// How an activator learns its place in a revision's activator subset (knative/serving
// pkg/activator/net/throttler.go handlePubEpsUpdate, helpers.go healthyAddresses): from the
// revision's public Endpoints, the ready IPs on the revision's port name, sorted; the number of
// them and this activator's index. If this activator is not among them nothing changes (until it
// is threaded in, its index stays −1 and it uses every pod).

import { sortGoStrings } from '../hash/go-string-order.js';
import type { EndpointSubset } from '../kpa/endpoints-types.js';
import { inferIndex } from './throttler-capacity.js';

export interface ActivatorAssignment {
  numActivators: number;
  activatorIndex: number;
}

/** healthyAddresses: ready IPs of the subsets that carry a port named `portName`. */
export function healthyAddresses(subsets: readonly EndpointSubset[] | undefined, portName: string): Set<string> {
  const ready = new Set<string>();
  for (const subset of subsets ?? []) {
    if (!(subset.ports ?? []).some((p) => p.name === portName)) continue;
    for (const address of subset.addresses ?? []) ready.add(address.ip);
  }
  return ready;
}

/** The new (numActivators, activatorIndex), or undefined when it is unchanged or this activator is absent. */
export function activatorAssignment(options: {
  publicSubsets: readonly EndpointSubset[] | undefined;
  portName: string;
  selfIp: string;
  current: ActivatorAssignment;
}): ActivatorAssignment | undefined {
  const ips = healthyAddresses(options.publicSubsets, options.portName);
  if (!ips.has(options.selfIp)) return undefined;
  const sorted = sortGoStrings(ips);
  const next = { numActivators: sorted.length, activatorIndex: inferIndex(sorted, options.selfIp) };
  const { current } = options;
  if (next.activatorIndex === -1) return undefined;
  if (next.numActivators === current.numActivators && next.activatorIndex === current.activatorIndex) return undefined;
  return next;
}
