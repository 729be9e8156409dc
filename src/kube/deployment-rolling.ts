// The scaling decisions of a RollingUpdate rollout (k8s.io/kubernetes
// pkg/controller/deployment/rolling.go reconcileNewReplicaSet, reconcileOldReplicaSets,
// cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate), as pure plans: lists of
// (ReplicaSet, new size) the controller then applies in order, stopping at the first failed write.
// Upstream interleaves the decisions with the writes; the plans reproduce what it would decide,
// given that each write succeeds and returns the ReplicaSet with its new size.
// - The new ReplicaSet grows up to spec.replicas + maxSurge pods in total (NewRSNewReplicas), or
//   shrinks to spec.replicas.
// - Old ReplicaSets shrink by at most allPods - minAvailable - newRSUnavailable: first their
//   unhealthy replicas (spec - available, oldest ReplicaSet first), then available ones down to
//   minAvailable available pods in total.

import type { KubeObject } from '../apiserver/types.js';
import { getAvailableReplicaCountForReplicaSets, getReplicaCountForReplicaSets, newRSNewReplicas } from './deployment-util.js';
import { byCreationTimestamp } from './replicaset-order.js';
import { specReplicas } from './replicaset-status.js';
import { maxUnavailable } from './rolling-fenceposts.js';

export interface ScaleStep {
  rs: KubeObject;
  replicas: number;
}

export interface OldScalePlan {
  steps: ScaleStep[];
  /** Replicas removed by the steps. */
  scaledDown: number;
  /** The old ReplicaSets as they are after the steps (sorted oldest first). */
  oldRSs: KubeObject[];
  /** Upstream's "invalid request to scale down" error: the steps before it still apply. */
  error?: Error;
}

const available = (rs: KubeObject): number => (rs.status?.availableReplicas as number | undefined) ?? 0;
const resized = (rs: KubeObject, replicas: number): KubeObject => ({ ...rs, spec: { ...rs.spec, replicas } });

/** reconcileNewReplicaSet: the new ReplicaSet's next size, or undefined when it stays. */
export function planNewReplicaSet(allRSs: readonly (KubeObject | undefined)[], newRS: KubeObject, d: KubeObject): number | undefined {
  const current = specReplicas(newRS);
  if (current === specReplicas(d)) return undefined;
  const next = current > specReplicas(d) ? specReplicas(d) : newRSNewReplicas(d, allRSs, newRS);
  return next === current ? undefined : next;
}

/** cleanupUnhealthyReplicas: scale old ReplicaSets down by their unavailable replicas, oldest first. */
export function planCleanupUnhealthyReplicas(oldRSs: readonly KubeObject[], maxCleanupCount: number): OldScalePlan {
  const sorted = [...oldRSs].sort(byCreationTimestamp);
  const plan: OldScalePlan = { steps: [], scaledDown: 0, oldRSs: sorted };
  for (let i = 0; i < sorted.length; i++) {
    const rs = sorted[i];
    if (plan.scaledDown >= maxCleanupCount) break;
    const replicas = specReplicas(rs);
    if (replicas === 0 || replicas === available(rs)) continue;
    const count = Math.min(maxCleanupCount - plan.scaledDown, replicas - available(rs));
    const next = replicas - count;
    if (next > replicas) {
      plan.error = new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${replicas} -> ${next}`);
      return plan;
    }
    plan.steps.push({ rs, replicas: next });
    plan.scaledDown += count;
    sorted[i] = resized(rs, next);
  }
  return plan;
}

/** scaleDownOldReplicaSetsForRollingUpdate: remove available old pods beyond minAvailable, oldest first. */
export function planScaleDownOldReplicaSets(allRSs: readonly (KubeObject | undefined)[], oldRSs: readonly KubeObject[], d: KubeObject): OldScalePlan {
  const sorted = [...oldRSs].sort(byCreationTimestamp);
  const plan: OldScalePlan = { steps: [], scaledDown: 0, oldRSs: sorted };
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const availablePods = getAvailableReplicaCountForReplicaSets(allRSs);
  if (availablePods <= minAvailable) return plan;
  const total = availablePods - minAvailable;
  for (let i = 0; i < sorted.length; i++) {
    const rs = sorted[i];
    if (plan.scaledDown >= total) break;
    const replicas = specReplicas(rs);
    if (replicas === 0) continue;
    const count = Math.min(replicas, total - plan.scaledDown);
    const next = replicas - count;
    if (next > replicas) {
      plan.error = new Error(`when scaling down old RS, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${replicas} -> ${next}`);
      return plan;
    }
    plan.steps.push({ rs, replicas: next });
    plan.scaledDown += count;
    sorted[i] = resized(rs, next);
  }
  return plan;
}

export interface ReconcileOldPlan {
  cleanup: OldScalePlan;
  scaleDown: OldScalePlan;
}

/** reconcileOldReplicaSets: undefined when no old pod may go; else the cleanup, then the scale-down. */
export function planOldReplicaSets(allRSs: readonly (KubeObject | undefined)[], oldRSs: readonly KubeObject[], newRS: KubeObject, d: KubeObject): ReconcileOldPlan | undefined {
  if (getReplicaCountForReplicaSets(oldRSs) === 0) return undefined;
  const allPods = getReplicaCountForReplicaSets(allRSs);
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newRSUnavailable = specReplicas(newRS) - available(newRS);
  const maxScaledDown = allPods - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return undefined;
  const cleanup = planCleanupUnhealthyReplicas(oldRSs, maxScaledDown);
  const scaleDown = cleanup.error
    ? { steps: [], scaledDown: 0, oldRSs: cleanup.oldRSs }
    : planScaleDownOldReplicaSets([...cleanup.oldRSs, newRS], cleanup.oldRSs, d);
  return { cleanup, scaleDown };
}
