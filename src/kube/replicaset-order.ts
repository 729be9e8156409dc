// Orders and filters of ReplicaSets the Deployment controller relies on (k8s.io/kubernetes
// pkg/controller/controller_utils.go ReplicaSetsByCreationTimestamp, ReplicaSetsBySizeOlder,
// ReplicaSetsBySizeNewer, FilterActiveReplicaSets; deployment/util ReplicaSetsByRevision). Every
// order ends on the name, so it is total.

import type { KubeObject } from '../apiserver/types.js';
import { parseSimTime } from '../sim/time-format.js';
import { specReplicas } from './replicaset-status.js';

const creationMs = (obj: KubeObject): number => (obj.metadata.creationTimestamp ? parseSimTime(obj.metadata.creationTimestamp) : Number.NEGATIVE_INFINITY);
const byName = (a: KubeObject, b: KubeObject): number => {
  const [x, y] = [a.metadata.name ?? '', b.metadata.name ?? ''];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Oldest first, then by name. */
export function byCreationTimestamp(a: KubeObject, b: KubeObject): number {
  return creationMs(a) - creationMs(b) || byName(a, b);
}

/** Largest first; among equals, oldest first (used when scaling down). */
export function bySizeOlder(a: KubeObject, b: KubeObject): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(a, b);
}

/** Largest first; among equals, newest first (used when scaling up). */
export function bySizeNewer(a: KubeObject, b: KubeObject): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(b, a);
}

/** deployment.kubernetes.io/revision as a number: 0 when absent, NaN when it does not parse. */
export function revisionOf(obj: KubeObject): number {
  const text = obj.metadata.annotations?.['deployment.kubernetes.io/revision'];
  if (text === undefined) return 0;
  return /^[+-]?[0-9]+$/.test(text) ? Number(text) : Number.NaN;
}

/** Lowest revision first; unparseable or equal revisions fall back to creation order. */
export function byRevision(a: KubeObject, b: KubeObject): number {
  const [ra, rb] = [revisionOf(a), revisionOf(b)];
  if (Number.isNaN(ra) || Number.isNaN(rb) || ra === rb) return byCreationTimestamp(a, b);
  return ra - rb;
}

/** FilterActiveReplicaSets: those that have (or ought to have) pods. */
export function filterActiveReplicaSets(replicaSets: readonly (KubeObject | undefined)[]): KubeObject[] {
  return replicaSets.filter((rs): rs is KubeObject => rs !== undefined && specReplicas(rs) > 0);
}
