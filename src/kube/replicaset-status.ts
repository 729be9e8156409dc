// ReplicaSet status as the ReplicaSet controller computes it (k8s.io/kubernetes
// pkg/controller/replicaset/replica_set_utils.go calculateStatus, updateReplicaSetStatus's
// steady-state check, and the ReplicaSet condition helpers).
// - replicas: active pods claimed; fullyLabeledReplicas: those carrying every template label;
//   readyReplicas: Ready; availableReplicas: Ready for at least minReadySeconds.
// - ReplicaFailure (True, reason FailedCreate or FailedDelete, message = the error) is added when
//   manageReplicas failed and there is none yet, and removed once manageReplicas succeeds. An
//   existing condition is not rewritten while the failure persists.
// Counters upstream serializes with omitempty are left out when zero.

import { deepCopy, deepEqual } from '../apiserver/deep-copy.js';
import type { KubeObject } from '../apiserver/types.js';
import { formatSimTime } from '../sim/time-format.js';
import { isPodAvailable, isPodReady } from './pod-status.js';

export const REPLICA_FAILURE = 'ReplicaFailure';
export const FAILED_CREATE_REASON = 'FailedCreate';
export const FAILED_DELETE_REASON = 'FailedDelete';

export interface ReplicaSetCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

export const specReplicas = (obj: KubeObject): number => (obj.spec?.replicas as number | undefined) ?? 1;
const count = (status: Partial<ReplicaSetStatus> | undefined, field: keyof ReplicaSetStatus): number => (status?.[field] as number | undefined) ?? 0;

export function getReplicaSetCondition(status: Partial<ReplicaSetStatus> | undefined, type: string): ReplicaSetCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** SetCondition: replaces the condition of that type unless status and reason are unchanged. */
export function setReplicaSetCondition(status: Partial<ReplicaSetStatus>, condition: ReplicaSetCondition): void {
  const current = getReplicaSetCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), condition];
}

export function removeReplicaSetCondition(status: Partial<ReplicaSetStatus>, type: string): void {
  const kept = (status.conditions ?? []).filter((c) => c.type !== type);
  if (kept.length > 0) status.conditions = kept;
  else delete status.conditions;
}

/** labels.Set(template labels).AsSelector().Matches(pod labels). */
function hasTemplateLabels(pod: KubeObject, templateLabels: Record<string, string>): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(templateLabels).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

function putCount(status: Partial<ReplicaSetStatus>, field: 'fullyLabeledReplicas' | 'readyReplicas' | 'availableReplicas', value: number): void {
  if (value === 0) delete status[field];
  else status[field] = value;
}

/** calculateStatus(rs, filteredPods, manageReplicasErr) at `nowMs`. */
export function calculateReplicaSetStatus(rs: KubeObject, filteredPods: readonly KubeObject[], manageError: unknown, nowMs: number): ReplicaSetStatus {
  const newStatus: Partial<ReplicaSetStatus> = deepCopy((rs.status ?? {}) as Partial<ReplicaSetStatus>);
  const templateLabels = (rs.spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
  const minReadySeconds = (rs.spec?.minReadySeconds as number | undefined) ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of filteredPods) {
    if (hasTemplateLabels(pod, templateLabels)) fullyLabeled++;
    if (!isPodReady(pod)) continue;
    ready++;
    if (isPodAvailable(pod, minReadySeconds, nowMs)) available++;
  }
  const failure = getReplicaSetCondition(rs.status as ReplicaSetStatus | undefined, REPLICA_FAILURE);
  if (manageError !== undefined && failure === undefined) {
    const diff = filteredPods.length - specReplicas(rs);
    const reason = diff < 0 ? FAILED_CREATE_REASON : diff > 0 ? FAILED_DELETE_REASON : '';
    setReplicaSetCondition(newStatus, { type: REPLICA_FAILURE, status: 'True', lastTransitionTime: formatSimTime(nowMs), reason, message: errorMessage(manageError) });
  } else if (manageError === undefined && failure !== undefined) {
    removeReplicaSetCondition(newStatus, REPLICA_FAILURE);
  }
  newStatus.replicas = filteredPods.length;
  putCount(newStatus, 'fullyLabeledReplicas', fullyLabeled);
  putCount(newStatus, 'readyReplicas', ready);
  putCount(newStatus, 'availableReplicas', available);
  return newStatus as ReplicaSetStatus;
}

/** updateReplicaSetStatus's steady state: nothing to write. */
export function replicaSetStatusUnchanged(rs: KubeObject, newStatus: ReplicaSetStatus): boolean {
  const old = rs.status as Partial<ReplicaSetStatus> | undefined;
  return count(old, 'replicas') === newStatus.replicas
    && count(old, 'fullyLabeledReplicas') === count(newStatus, 'fullyLabeledReplicas')
    && count(old, 'readyReplicas') === count(newStatus, 'readyReplicas')
    && count(old, 'availableReplicas') === count(newStatus, 'availableReplicas')
    && (rs.metadata.generation ?? 0) === count(old, 'observedGeneration')
    && deepEqual(old?.conditions ?? [], newStatus.conditions ?? []);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
