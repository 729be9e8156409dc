// What the EndpointSlice controller writes for one Service (k8s.io/endpointslice reconciler.go
// Reconcile, reconcileByAddressType, reconcileByPortMapping, finalize's create-to-update
// recycling; utils.go getSliceToFill). Pure: it plans the creates, updates and deletes, the
// controller sends them. Per address type and per distinct port set of the pods:
// 1. existing slices keep the endpoints still wanted (updated in place when their conditions,
//    node or zone moved), lose the others, and take the Service's labels;
// 2. slices already being updated are filled up, fullest first, to maxEndpointsPerSlice;
// 3. what is left goes into the unchanged slice it fits best, else into new slices;
// slices of unwanted port sets or address types, or not owned by this Service, are deleted; a
// Service with nothing to list keeps one empty placeholder slice; a slice about to be deleted is
// reused (renamed update) instead of creating another. Upstream picks endpoints from Go maps in
// random order; we take them in pod order and walk slices by name, so a plan is deterministic.

import { deepCopy } from '../apiserver/deep-copy.js';
import type { KubeObject } from '../apiserver/types.js';
import { serviceSpec, shouldPodBeInEndpoints } from './endpoint-pods.js';
import {
  addressTypesFor, endpointFor, endpointKey, endpointPortsFor, endpointsEqualBeyondKey, newSlice, ownedBy, portMapKey,
  samePlaceholder, sliceLabelsFor, type AddressType, type SliceEndpoint, type SlicePort,
} from './endpointslice-endpoints.js';

export interface SlicePlanInput {
  service: KubeObject;
  /** Pods the Service selects, in a defined order. */
  pods: readonly KubeObject[];
  /** The Service's slices managed by this controller, not being deleted. */
  existing: readonly KubeObject[];
  node: (name: string) => KubeObject | undefined;
  maxEndpointsPerSlice: number;
  controllerName: string;
}

export interface SlicePlan {
  create: KubeObject[];
  update: KubeObject[];
  delete: KubeObject[];
  /** Pods skipped for a missing node: the sync reports an error so it is retried. */
  errors: string[];
}

interface PortGroup {
  ports: SlicePort[];
  /** endpointKey → endpoint, in pod order. */
  desired: Map<string, SliceEndpoint>;
}

const byName = (a: KubeObject, b: KubeObject): number => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0);

/** Reconcile: the plan over every address type the Service supports. */
export function planEndpointSlices(input: SlicePlanInput): SlicePlan {
  const types = addressTypesFor(input.service);
  const plan: SlicePlan = { create: [], update: [], delete: [], errors: [] };
  const unsupported = input.existing.filter((s) => !types.includes(s.addressType as AddressType));
  for (const addressType of types) {
    const existing = input.existing.filter((s) => s.addressType === addressType);
    const part = planForAddressType(input, existing, addressType);
    plan.create.push(...part.create);
    plan.update.push(...part.update);
    plan.delete.push(...part.delete);
    plan.errors.push(...part.errors);
  }
  plan.delete.push(...unsupported);
  return recycleDeletes(input.service, plan);
}

function desiredGroups(input: SlicePlanInput, addressType: AddressType, errors: string[]): Map<string, PortGroup> {
  const { service } = input;
  const groups = new Map<string, PortGroup>();
  for (const pod of input.pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPortsFor(service, pod);
    const key = portMapKey(ports);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { ports, desired: new Map() }));
    const nodeName = (pod.spec?.nodeName as string | undefined) ?? '';
    const node = input.node(nodeName);
    if (node === undefined && serviceSpec(service).publishNotReadyAddresses !== true) {
      errors.push(`skipping Pod ${pod.metadata.name} for Service ${service.metadata.namespace}/${service.metadata.name}: Node ${nodeName} Not Found`);
      continue;
    }
    const ep = endpointFor(pod, node, service, addressType);
    if (ep.addresses.length > 0) group.desired.set(endpointKey(ep), ep);
  }
  return groups;
}

/** reconcileByAddressType. */
function planForAddressType(input: SlicePlanInput, existing: readonly KubeObject[], addressType: AddressType): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [], errors: [] };
  const existingByPorts = new Map<string, KubeObject[]>();
  for (const slice of [...existing].sort(byName)) {
    if (!ownedBy(slice, input.service)) {
      plan.delete.push(slice);
      continue;
    }
    const key = portMapKey(slice.ports as SlicePort[] | undefined);
    existingByPorts.set(key, [...(existingByPorts.get(key) ?? []), slice]);
  }
  const groups = desiredGroups(input, addressType, plan.errors);
  for (const [key, group] of groups) {
    const part = planForPorts(input, existingByPorts.get(key) ?? [], group, addressType);
    plan.create.push(...part.create);
    plan.update.push(...part.update);
    plan.delete.push(...part.delete);
  }
  for (const [key, slices] of existingByPorts) if (!groups.has(key)) plan.delete.push(...slices);
  if (existing.length === plan.delete.length && plan.create.length === 0) {
    const placeholder = newSlice(input.service, [], addressType, input.controllerName);
    if (plan.delete.length === 1 && samePlaceholder(plan.delete[0], placeholder)) plan.delete = [];
    else plan.create.push(placeholder);
  }
  return plan;
}

interface PortPlanState {
  slicesByName: Map<string, KubeObject>;
  toUpdate: Set<string>;
  toDelete: Set<string>;
  unchanged: Set<string>;
}

/** reconcileByPortMapping. `group.desired` is consumed. */
function planForPorts(input: SlicePlanInput, existing: readonly KubeObject[], group: PortGroup, addressType: AddressType): SlicePlan {
  const state: PortPlanState = { slicesByName: new Map(), toUpdate: new Set(), toDelete: new Set(), unchanged: new Set() };
  keepWantedEndpoints(input, existing, group.desired, state);
  const max = input.maxEndpointsPerSlice;
  const take = (slice: KubeObject): void => {
    const endpoints = slice.endpoints as SliceEndpoint[];
    for (const [key, ep] of group.desired) {
      if (endpoints.length >= max) break;
      endpoints.push(ep);
      group.desired.delete(key);
    }
  };
  if (group.desired.size > 0 && state.toUpdate.size > 0) {
    const fullestFirst = [...state.toUpdate].map((n) => state.slicesByName.get(n)!)
      .sort((a, b) => (b.endpoints as unknown[]).length - (a.endpoints as unknown[]).length);
    for (const slice of fullestFirst) take(slice);
  }
  const create: KubeObject[] = [];
  while (group.desired.size > 0) {
    let slice = group.desired.size < max ? sliceToFill([...state.unchanged].map((n) => state.slicesByName.get(n)!), group.desired.size, max) : undefined;
    if (slice === undefined) {
      slice = newSlice(input.service, group.ports, addressType, input.controllerName);
      create.push(slice);
    } else {
      slice = deepCopy(slice);
      state.slicesByName.set(slice.metadata.name!, slice);
      state.toUpdate.add(slice.metadata.name!);
      state.unchanged.delete(slice.metadata.name!);
    }
    take(slice);
  }
  const named = (names: Set<string>): KubeObject[] => [...names].map((n) => state.slicesByName.get(n)!);
  return { create, update: named(state.toUpdate), delete: named(state.toDelete), errors: [] };
}

/** Step 1: each existing slice keeps its still-desired endpoints (in their desired form) and the Service's labels. */
function keepWantedEndpoints(input: SlicePlanInput, existing: readonly KubeObject[], desired: Map<string, SliceEndpoint>, state: PortPlanState): void {
  for (const slice of existing) {
    const name = slice.metadata.name!;
    state.slicesByName.set(name, slice);
    const current = (slice.endpoints ?? []) as SliceEndpoint[];
    const kept: SliceEndpoint[] = [];
    let endpointUpdated = false;
    for (const ep of current) {
      const want = desired.get(endpointKey(ep));
      if (want === undefined) continue;
      kept.push(want);
      if (!endpointsEqualBeyondKey(want, ep)) endpointUpdated = true;
      desired.delete(endpointKey(ep));
    }
    const { labels, changed } = sliceLabelsFor(slice, input.service, input.controllerName);
    if (endpointUpdated || kept.length !== current.length) {
      if (kept.length === 0) {
        state.toDelete.add(name);
        continue;
      }
      state.slicesByName.set(name, { ...deepCopy(slice), endpoints: kept, metadata: { ...deepCopy(slice.metadata), labels } });
      state.toUpdate.add(name);
    } else if (changed) {
      state.slicesByName.set(name, { ...deepCopy(slice), metadata: { ...deepCopy(slice.metadata), labels } });
      state.toUpdate.add(name);
    } else {
      state.unchanged.add(name);
    }
  }
}

/** getSliceToFill: the unchanged slice that `count` more endpoints bring closest to full. */
function sliceToFill(slices: readonly KubeObject[], count: number, max: number): KubeObject | undefined {
  let closestDiff = max;
  let closest: KubeObject | undefined;
  for (const slice of slices) {
    const diff = max - (count + (slice.endpoints as unknown[] | undefined ?? []).length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = slice;
      if (diff === 0) break;
    }
  }
  return closest;
}

/** finalize, first part: a create takes the name of a slice about to be deleted (same type, ours) and becomes an update. */
function recycleDeletes(service: KubeObject, plan: SlicePlan): SlicePlan {
  const create = [...plan.create];
  const update = [...plan.update];
  const remaining = [...plan.delete];
  for (let i = 0; i < remaining.length && create.length > 0;) {
    const doomed = remaining[i];
    const slice = create[create.length - 1];
    if (doomed.addressType === slice.addressType && ownedBy(doomed, service)) {
      slice.metadata.name = doomed.metadata.name;
      create.pop();
      update.push(slice);
      remaining.splice(i, 1);
    } else {
      i++;
    }
  }
  return { create, update, delete: remaining, errors: plan.errors };
}
