// The activator throttler's capacity arithmetic (knative/serving pkg/activator/net/throttler.go
// pickIndices, assignSlice, calculateCapacity, inferIndex, updateCapacity): which pods this
// activator sends to, and how many requests its revision breaker lets through.

import { MAX_BREAKER_CAPACITY } from '../queue/breaker.js';
import { compareGoStrings } from '../hash/go-string-order.js';

export interface SliceIndices {
  begin: number;
  end: number;
  remnants: number;
}

/** pickIndices: this activator's [begin, end) among the trackers, and the remainder N mod A. */
export function pickIndices(numTrackers: number, selfIndex: number, numActivators: number): SliceIndices {
  if (numActivators > numTrackers) {
    const begin = selfIndex % numTrackers;
    return { begin, end: begin + 1, remnants: 0 };
  }
  const size = Math.trunc(numTrackers / numActivators);
  const begin = selfIndex * size;
  return { begin, end: begin + size, remnants: numTrackers % numActivators };
}

/**
 * assignSlice: the trackers (sorted by dest) this activator uses. All of them while the index is
 * unknown (−1), with at most one tracker, or with a single activator; one tracker when there are
 * more activators than trackers; otherwise an equal slice plus one of the N mod A trailing ones.
 */
export function assignSlice<T>(sortedTrackers: readonly T[], activatorIndex: number, numActivators: number): T[] {
  const n = sortedTrackers.length;
  if (activatorIndex === -1 || n <= 1 || numActivators === 1) return sortedTrackers.slice();
  const { begin, end, remnants } = pickIndices(n, activatorIndex, numActivators);
  const assigned = sortedTrackers.slice(begin, end);
  if (remnants > 0 && activatorIndex < remnants) assigned.push(sortedTrackers[n - remnants + activatorIndex]);
  return assigned;
}

export interface CapacityInputs {
  containerConcurrency: number;
  /** Ready backends reported by the revision backends manager (0 when there is nothing to target). */
  backendCount: number;
  /** Trackers assigned to this activator; 0 when routing through the private ClusterIP. */
  numTrackers: number;
  /** Activators in the revision's public endpoints (0 until known). */
  activatorCount: number;
}

/**
 * calculateCapacity. Pod addressing (numTrackers > 0): CC per assigned tracker. ClusterIP
 * addressing: CC·backends shared among the activators, at least 1. With backends and CC 0 (or an
 * overflow) the capacity is MaxInt32, which the infinite breaker reads as "open".
 */
export function calculateCapacity(inputs: CapacityInputs): number {
  const { containerConcurrency: cc, backendCount, numTrackers, activatorCount } = inputs;
  let capacity: number;
  if (numTrackers > 0) {
    capacity = cc * numTrackers;
  } else {
    capacity = cc * backendCount;
    if (capacity > 0) capacity = Math.max(1, Math.trunc(capacity / Math.max(1, activatorCount)));
  }
  if (backendCount > 0 && (cc === 0 || capacity > MAX_BREAKER_CAPACITY)) capacity = MAX_BREAKER_CAPACITY;
  return capacity;
}

/** inferIndex: this activator's position among the sorted activator IPs, or −1 if absent. */
export function inferIndex(sortedIps: readonly string[], selfIp: string): number {
  let lo = 0;
  let hi = sortedIps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareGoStrings(sortedIps[mid], selfIp) >= 0) hi = mid;
    else lo = mid + 1;
  }
  return lo < sortedIps.length && sortedIps[lo] === selfIp ? lo : -1;
}

export interface CapacityUpdate<T> {
  assigned: T[];
  capacity: number;
}

/**
 * updateCapacity for pod trackers already sorted by dest (or none, with `usingClusterIp`):
 * CC > 0 assigns a slice, CC = 0 takes every tracker. The caller resets each tracker's capacity to
 * CC first (resetTrackers) and applies `capacity` to the revision breaker.
 */
export function updateCapacity<T>(options: {
  containerConcurrency: number;
  sortedTrackers: readonly T[];
  usingClusterIp: boolean;
  backendCount: number;
  activatorIndex: number;
  numActivators: number;
}): CapacityUpdate<T> {
  const { containerConcurrency: cc, sortedTrackers, activatorIndex, numActivators } = options;
  const assigned = options.usingClusterIp ? [] : cc > 0 ? assignSlice(sortedTrackers, activatorIndex, numActivators) : sortedTrackers.slice();
  const capacity = calculateCapacity({
    containerConcurrency: cc,
    backendCount: options.backendCount,
    numTrackers: assigned.length,
    activatorCount: numActivators,
  });
  return { assigned, capacity };
}
