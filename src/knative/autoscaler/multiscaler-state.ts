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
  /**
   * Before pr-11375 (knative/serving 3afc6e4f0b, v0.24) the decider computed the activators the
   * revision gets and the KPA read them from here: 0 ("all activators") until the first valid tick.
   * Since then the KPA computes them itself and this is left out (read as 0).
   */
  numActivators?: number;
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

/**
 * tickScaler + updateLatestScale: an invalid result changes nothing; a valid one always stores its
 * EBC. With `deciderSizesActivators` (releases before pr-11375) it also stores the result's
 * activator count, and a changed count is reported too.
 */
export function applyScaleResult(
  status: Readonly<DeciderStatus>, result: Readonly<ScaleResult>,
  options: { deciderSizesActivators: boolean } = { deciderSizesActivators: false },
): TickOutcome {
  if (!result.scaleValid) return { status: { ...status }, changed: false };
  const next: DeciderStatus = { desiredScale: result.desiredPodCount, excessBurstCapacity: result.excessBurstCapacity };
  let changed = status.desiredScale !== result.desiredPodCount || !sameSign(status.excessBurstCapacity, result.excessBurstCapacity);
  if (options.deciderSizesActivators) {
    next.numActivators = result.numActivators ?? status.numActivators ?? 0;
    changed ||= next.numActivators !== (status.numActivators ?? 0);
  }
  return { status: next, changed };
}

/** Poke: a revision at zero that sees activator concurrency is scaled now rather than at its next tick. */
export function shouldTickOnPoke(status: Readonly<DeciderStatus>, stat: Pick<Stat, 'averageConcurrentRequests'>): boolean {
  return status.desiredScale === 0 && stat.averageConcurrentRequests !== 0;
}
