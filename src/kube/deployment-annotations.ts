// The annotations a Deployment keeps on itself and its ReplicaSets (k8s.io/kubernetes
// pkg/controller/deployment/util/deployment_util.go): the revision (a rollout's sequence number,
// copied from the new ReplicaSet to the Deployment), the revision history of a ReplicaSet that was
// rolled back to, and the desired and max replicas (spec.replicas and spec.replicas + maxSurge at
// the last scaling) that tell a scaling event from a rollout and weigh proportional scaling.
// Functions named set* mutate the object given (a copy) and report whether they changed it.

import type { KubeObject } from '../apiserver/types.js';
import { maxSurge } from './rolling-fenceposts.js';
import { specReplicas } from './replicaset-status.js';
import { revisionOf } from './replicaset-order.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_CONFIG_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** maxRevHistoryLengthInChars in sync.go. */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;

const SKIPPED = new Set([
  LAST_APPLIED_CONFIG_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO,
]);

const annotationsOf = (obj: KubeObject): Record<string, string> => (obj.metadata.annotations ??= {});

/** SetDeploymentRevision. */
export function setDeploymentRevision(d: KubeObject, revision: string): boolean {
  const annotations = annotationsOf(d);
  if (annotations[REVISION_ANNOTATION] === revision) return false;
  annotations[REVISION_ANNOTATION] = revision;
  return true;
}

/** MaxRevision: the highest parseable revision (0 when none). */
export function maxRevision(replicaSets: readonly KubeObject[]): number {
  let max = 0;
  for (const rs of replicaSets) {
    const v = revisionOf(rs);
    if (!Number.isNaN(v) && v > max) max = v;
  }
  return max;
}

/** Whether some annotation of `source` (not a skipped one) is missing from `target` or differs there. */
function someAnnotationToCopy(source: Readonly<Record<string, string>>, target: Readonly<Record<string, string>>): boolean {
  for (const k in source) if (!SKIPPED.has(k) && target[k] !== source[k]) return true;
  return false;
}

/**
 * copyDeploymentAnnotationsToReplicaSet: all but the skipped ones. The usual case, a ReplicaSet that
 * already has them all, is told by one pass over the Deployment's annotations; only when one is to be
 * copied are they copied in key order.
 */
function copyDeploymentAnnotations(d: KubeObject, rs: KubeObject): boolean {
  const target = annotationsOf(rs);
  const source = d.metadata.annotations;
  if (source === undefined || !someAnnotationToCopy(source, target)) return false;
  let changed = false;
  for (const [k, v] of Object.entries(source).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (SKIPPED.has(k) || target[k] === v) continue;
    target[k] = v;
    changed = true;
  }
  return changed;
}

/** Appends `oldRevision` to the history, dropping the oldest entries beyond `limitChars`. */
function appendRevisionHistory(annotations: Record<string, string>, oldRevision: string, limitChars: number): void {
  const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
  if (history === '') {
    annotations[REVISION_HISTORY_ANNOTATION] = oldRevision;
    return;
  }
  const entries = history.split(',');
  let totalLength = history.length + oldRevision.length + 1;
  let start = 0;
  while (totalLength > limitChars && start < entries.length) totalLength -= entries[start++].length + 1;
  if (totalLength <= limitChars) annotations[REVISION_HISTORY_ANNOTATION] = [...entries.slice(start), oldRevision].join(',');
}

/**
 * SetNewReplicaSetAnnotations: copy the Deployment's annotations, raise the revision to
 * `newRevision` if it is higher (recording the old one in the history when rolling back to an
 * existing ReplicaSet), and for a ReplicaSet about to be created set the replicas annotations.
 */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: string, exists: boolean, limitChars = MAX_REV_HISTORY_LENGTH_IN_CHARS): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = annotationsOf(rs);
  const oldRevision = annotations[REVISION_ANNOTATION];
  let oldValue = 0;
  if (oldRevision !== undefined && oldRevision !== '') {
    if (!/^[+-]?[0-9]+$/.test(oldRevision)) return false;
    oldValue = Number(oldRevision);
  }
  if (!/^[+-]?[0-9]+$/.test(newRevision)) return false;
  if (oldValue < Number(newRevision)) {
    annotations[REVISION_ANNOTATION] = newRevision;
    changed = true;
    if (oldRevision !== undefined) appendRevisionHistory(annotations, oldRevision, limitChars);
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

function intAnnotation(rs: KubeObject, key: string): number | undefined {
  const value = rs.metadata.annotations?.[key];
  return value !== undefined && /^[+-]?[0-9]+$/.test(value) ? Number(value) : undefined;
}

export const getDesiredReplicasAnnotation = (rs: KubeObject): number | undefined => intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
export const getMaxReplicasAnnotation = (rs: KubeObject): number | undefined => intAnnotation(rs, MAX_REPLICAS_ANNOTATION);

/** SetReplicasAnnotations. */
export function setReplicasAnnotations(rs: KubeObject, desiredReplicas: number, maxReplicas: number): boolean {
  const annotations = annotationsOf(rs);
  let changed = false;
  if (annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desiredReplicas)) {
    annotations[DESIRED_REPLICAS_ANNOTATION] = String(desiredReplicas);
    changed = true;
  }
  if (annotations[MAX_REPLICAS_ANNOTATION] !== String(maxReplicas)) {
    annotations[MAX_REPLICAS_ANNOTATION] = String(maxReplicas);
    changed = true;
  }
  return changed;
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: KubeObject, desiredReplicas: number, maxReplicas: number): boolean {
  const annotations = rs.metadata.annotations;
  if (annotations === undefined) return true;
  return annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desiredReplicas) || annotations[MAX_REPLICAS_ANNOTATION] !== String(maxReplicas);
}
