// Deployment status and rollout progress (k8s.io/kubernetes pkg/controller/deployment/sync.go
// calculateStatus; progress.go syncRolloutStatus, getReplicaFailures, requeueStuckDeployment), as
// pure functions of the Deployment, its ReplicaSets and the virtual time.
// - Available is True once availableReplicas >= replicas - maxUnavailable.
// - Progressing (only with a progress deadline): NewReplicaSetAvailable once the rollout is
//   complete; ReplicaSetUpdated, with a fresh lastUpdateTime, whenever more pods are updated,
//   ready or available or fewer are old; ProgressDeadlineExceeded (False) once lastUpdateTime is
//   older than progressDeadlineSeconds. A completed rollout is not re-estimated.
// - ReplicaFailure is copied from the new ReplicaSet (else from any ReplicaSet) and removed when
//   none has one.

import { deepEqual } from '../apiserver/deep-copy.js';
import type { KubeObject } from '../apiserver/types.js';
import { parseSimTime } from '../sim/time-format.js';
import {
  AVAILABLE, getDeploymentCondition, MINIMUM_REPLICAS_AVAILABLE, MINIMUM_REPLICAS_UNAVAILABLE, NEW_RS_AVAILABLE_REASON, newDeploymentCondition,
  PROGRESSING, REPLICA_FAILURE, REPLICA_SET_UPDATED_REASON, removeDeploymentCondition, replicaSetToDeploymentCondition, setDeploymentCondition,
  TIMED_OUT_REASON, type DeploymentCondition, type DeploymentStatus,
} from './deployment-conditions.js';
import {
  deploymentComplete, deploymentProgressing, deploymentTimedOut, getActualReplicaCountForReplicaSets, getAvailableReplicaCountForReplicaSets,
  getReadyReplicaCountForReplicaSets, getReplicaCountForReplicaSets, hasProgressDeadline,
} from './deployment-util.js';
import type { ReplicaSetCondition } from './replicaset-status.js';
import { specReplicas } from './replicaset-status.js';
import { maxUnavailable } from './rolling-fenceposts.js';

type Counter = Exclude<keyof DeploymentStatus, 'conditions'>;
const COUNTERS: readonly Counter[] = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'];

/** The status as upstream serializes it: zero counters (omitempty) and empty conditions left out. */
export function compactDeploymentStatus(status: DeploymentStatus | undefined): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const field of COUNTERS) {
    const value = status?.[field];
    if (value !== undefined && (value !== 0 || field === 'collisionCount')) out[field] = value;
  }
  if (status?.conditions && status.conditions.length > 0) out.conditions = status.conditions.map((c) => ({ ...c }));
  return out;
}

export function sameDeploymentStatus(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return deepEqual(compactDeploymentStatus(a), compactDeploymentStatus(b));
}

/** calculateStatus(allRSs, newRS, deployment). */
export function calculateDeploymentStatus(allRSs: readonly (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject, nowMs: number): DeploymentStatus {
  const old = (d.status ?? {}) as DeploymentStatus;
  const availableReplicas = getAvailableReplicaCountForReplicaSets(allRSs);
  const unavailableReplicas = Math.max(0, getReplicaCountForReplicaSets(allRSs) - availableReplicas);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: getActualReplicaCountForReplicaSets(allRSs),
    updatedReplicas: getActualReplicaCountForReplicaSets([newRS]),
    readyReplicas: getReadyReplicaCountForReplicaSets(allRSs),
    availableReplicas,
    unavailableReplicas,
    collisionCount: old.collisionCount,
    conditions: (old.conditions ?? []).map((c) => ({ ...c })),
  };
  if (availableReplicas >= specReplicas(d) - maxUnavailable(d)) {
    setDeploymentCondition(status, newDeploymentCondition(AVAILABLE, 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', nowMs));
  } else {
    setDeploymentCondition(status, newDeploymentCondition(AVAILABLE, 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', nowMs));
  }
  return compactDeploymentStatus(status);
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions, else any ReplicaSet's. */
export function getReplicaFailures(allRSs: readonly (KubeObject | undefined)[], newRS: KubeObject | undefined): DeploymentCondition[] {
  const failures = (rs: KubeObject | undefined): DeploymentCondition[] =>
    ((rs?.status?.conditions ?? []) as ReplicaSetCondition[]).filter((c) => c.type === REPLICA_FAILURE).map(replicaSetToDeploymentCondition);
  const own = failures(newRS);
  return own.length > 0 ? own : allRSs.flatMap(failures);
}

const progressSubject = (d: KubeObject, newRS: KubeObject | undefined): string =>
  newRS ? `ReplicaSet ${JSON.stringify(newRS.metadata.name)}` : `Deployment ${JSON.stringify(d.metadata.name)}`;

/** The status syncRolloutStatus would write. */
export function computeRolloutStatus(allRSs: readonly (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject, nowMs: number): DeploymentStatus {
  const status = calculateDeploymentStatus(allRSs, newRS, d, nowMs);
  if (!hasProgressDeadline(d)) removeDeploymentCondition(status, PROGRESSING);
  const current = getDeploymentCondition(d.status as DeploymentStatus | undefined, PROGRESSING);
  const complete = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === NEW_RS_AVAILABLE_REASON;
  if (hasProgressDeadline(d) && !complete) {
    const subject = progressSubject(d, newRS);
    if (deploymentComplete(d, status)) {
      setDeploymentCondition(status, newDeploymentCondition(PROGRESSING, 'True', NEW_RS_AVAILABLE_REASON, `${subject} has successfully progressed.`, nowMs));
    } else if (deploymentProgressing(d, status)) {
      const condition = newDeploymentCondition(PROGRESSING, 'True', REPLICA_SET_UPDATED_REASON, `${subject} is progressing.`, nowMs);
      if (current !== undefined) {
        if (current.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
        removeDeploymentCondition(status, PROGRESSING);
      }
      setDeploymentCondition(status, condition);
    } else if (deploymentTimedOut(d, status, nowMs)) {
      setDeploymentCondition(status, newDeploymentCondition(PROGRESSING, 'False', TIMED_OUT_REASON, `${subject} has timed out progressing.`, nowMs));
    }
  }
  const failures = getReplicaFailures(allRSs, newRS);
  if (failures.length > 0) setDeploymentCondition(status, failures[0]);
  else removeDeploymentCondition(status, REPLICA_FAILURE);
  return status;
}

/**
 * requeueStuckDeployment: when to look at a rollout again for its progress deadline. -1: no need;
 * 0: at once (upstream: a rate-limited requeue); otherwise the ms left until the deadline
 * (upstream requeues one second after it).
 */
export function requeueStuckDeploymentMs(d: KubeObject, newStatus: DeploymentStatus, nowMs: number): number {
  const current = getDeploymentCondition(d.status as DeploymentStatus | undefined, PROGRESSING);
  if (!hasProgressDeadline(d) || current === undefined) return -1;
  if (deploymentComplete(d, newStatus) || current.reason === TIMED_OUT_REASON) return -1;
  const fromMs = current.lastUpdateTime ? parseSimTime(current.lastUpdateTime) : Number.NEGATIVE_INFINITY;
  const afterMs = fromMs + (d.spec.progressDeadlineSeconds as number) * 1000 - nowMs;
  return afterMs < 1000 ? 0 : afterMs;
}
