// The pure rules of knative/serving pkg/autoscaler/scaling/multiscaler.go: a decider's status at
// creation (createScaler), whether a tick's result must be reported to the KPA
// (scalerRunner.updateLatestScale with sameSign), and whether an activator stat forces an
// immediate tick (Poke).
import type { DeciderSpec } from './decider-spec.js';
import type { ScaleResult } from './decider.js';
import type { Stat } from './stat.js';

export interface DeciderStatus {
  /** -1 until the first valid tick. */
  desiredScale: number;
  /** Negative: the revision cannot absorb the target burst, so the activator stays in the path. */
  excessBurstCapacity: number;
}

/**
 * createScaler: DesiredScale −1; EBC = TBC when TBC is −1 or 0, else
 * int32(initialScale × totalValue − TBC), so a revision starts behind the activator when its
 * initial pods cannot hold the burst capacity. Before pr-6227 (knative/serving 270c395bf9,
 * "Return proper EBC on uniscaler creation", v0.12) a new decider started with EBC 0, which reads
 * as "enough capacity" until its first valid tick.
 */
export function initialDeciderStatus(
  spec: Pick<DeciderSpec, 'targetBurstCapacity' | 'initialScale' | 'totalValue'>,
  fixes: { initialEbcFromCapacity: boolean } = { initialEbcFromCapacity: true },
): DeciderStatus {
  if (!fixes.initialEbcFromCapacity) return { desiredScale: -1, excessBurstCapacity: 0 };
  const tbc = spec.targetBurstCapacity;
  const ebc = tbc === -1 || tbc === 0 ? tbc : Math.trunc(spec.initialScale * spec.totalValue - tbc);
  return { desiredScale: -1, excessBurstCapacity: ebc };
}

/** sameSign: the int32 sign bits agree (0 counts as non-negative). */
export function sameSign(a: number, b: number): boolean {
  return (a < 0) === (b < 0);
}

export interface TickOutcome {
  status: DeciderStatus;
  /** The KPA must be told (Inform): the desired scale changed or the EBC changed sign. */
  changed: boolean;
}

/** tickScaler + updateLatestScale: an invalid result changes nothing; a valid one always stores its EBC. */
export function applyScaleResult(status: Readonly<DeciderStatus>, result: Readonly<ScaleResult>): TickOutcome {
  if (!result.scaleValid) return { status: { ...status }, changed: false };
  const changed = status.desiredScale !== result.desiredPodCount
    || !sameSign(status.excessBurstCapacity, result.excessBurstCapacity);
  return { status: { desiredScale: result.desiredPodCount, excessBurstCapacity: result.excessBurstCapacity }, changed };
}

/** Poke: a revision at zero that sees activator concurrency is scaled now rather than at its next tick. */
export function shouldTickOnPoke(status: Readonly<DeciderStatus>, stat: Pick<Stat, 'averageConcurrentRequests'>): boolean {
  return status.desiredScale === 0 && stat.averageConcurrentRequests !== 0;
}
