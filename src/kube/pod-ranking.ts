// Which pods a ReplicaSet deletes first when it has too many (k8s.io/kubernetes
// pkg/controller/controller_utils.go ActivePods and ActivePodsWithRanks, with the PodDeletionCost
// and LogarithmicScaleDown feature gates on, as they are by default; and
// pkg/controller/replicaset/replica_set.go getPodsToDelete, getPodsRankedByRelatedPodsOnSameNode).
// A pod is deleted earlier when it is, in turn:
//   1. unassigned (no nodeName) rather than assigned;
//   2. Pending rather than Unknown rather than Running;
//   3. not ready rather than ready;
//   4. of lower controller.kubernetes.io/pod-deletion-cost;
//   5. on a node with more active pods of the same owner (its rank);
//   6. ready for less time (both ready; compared on a log2 scale of age, ties by UID);
//   7. restarted more (its most restarted container);
//   8. created more recently (log2 scale of age, ties by UID).
// Upstream leaves pods equal under all rules in sort.Sort's (unstable) order; we break that tie by
// name, then UID, so the order is total.

import type { KubeObject } from '../apiserver/types.js';
import { parseSimTime } from '../sim/time-format.js';
import { isPodActive, isPodReady, podCondition } from './pod-status.js';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

export interface RankedPod {
  pod: KubeObject;
  /** Active pods of the same owner on this pod's node (ActivePodsWithRanks.Rank). */
  rank: number;
}

const nodeName = (pod: KubeObject): string => (pod.spec?.nodeName as string | undefined) ?? '';
const phaseOrdinal = (pod: KubeObject): number => PHASE_ORDINAL[(pod.status?.phase as string | undefined) ?? ''] ?? 0;
const timeMs = (text: unknown): number | undefined => (typeof text === 'string' && text !== '' ? parseSimTime(text) : undefined);

/** podReadyTime: the Ready condition's lastTransitionTime, when the pod is ready. */
function readySinceMs(pod: KubeObject): number | undefined {
  return isPodReady(pod) ? timeMs(podCondition(pod, 'Ready')?.lastTransitionTime) : undefined;
}

function maxContainerRestarts(pod: KubeObject): number {
  const statuses = (pod.status?.containerStatuses ?? []) as { restartCount?: number }[];
  return statuses.reduce((max, s) => Math.max(max, s.restartCount ?? 0), 0);
}

/** helper.GetDeletionCostFromPodAnnotations: an int32 without a plus sign or leading zeros; 0 otherwise. */
export function podDeletionCost(pod: KubeObject): number {
  const value = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (value === undefined || !/^(0|-[0-9]+|[1-9][0-9]*)$/.test(value)) return 0;
  const n = Number(value);
  return Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

/** afterOrZero: t1 after t2, where a missing time counts as after any other. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** logarithmicRankDiff: floor(log2(age in ns)) of each time, compared. */
function logarithmicRankDiff(t1: number, t2: number, nowMs: number): number {
  const rank = (t: number): number => {
    const ageNs = (nowMs - t) * 1e6;
    return ageNs > 0 ? Math.floor(Math.log2(ageNs)) : -1;
  };
  return rank(t1) - rank(t2);
}

/** The time rules (6 and 8): plain order without `nowMs`, log-scale order with it. */
function newerFirst(a: KubeObject, b: KubeObject, ta: number | undefined, tb: number | undefined, nowMs: number | undefined): boolean {
  if (nowMs === undefined || ta === undefined || tb === undefined) return afterOrZero(ta, tb);
  const diff = logarithmicRankDiff(ta, tb, nowMs);
  if (diff === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
  return diff < 0;
}

/** ActivePodsWithRanks.Less: true when `a` should be deleted before `b`. */
export function deleteBefore(a: RankedPod, b: RankedPod, nowMs?: number): boolean {
  const [pa, pb] = [a.pod, b.pod];
  if (nodeName(pa) !== nodeName(pb) && (nodeName(pa) === '' || nodeName(pb) === '')) return nodeName(pa) === '';
  if (phaseOrdinal(pa) !== phaseOrdinal(pb)) return phaseOrdinal(pa) < phaseOrdinal(pb);
  if (isPodReady(pa) !== isPodReady(pb)) return !isPodReady(pa);
  if (podDeletionCost(pa) !== podDeletionCost(pb)) return podDeletionCost(pa) < podDeletionCost(pb);
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (isPodReady(pa) && isPodReady(pb)) {
    const [ra, rb] = [readySinceMs(pa), readySinceMs(pb)];
    if (ra !== rb) return newerFirst(pa, pb, ra, rb, nowMs);
  }
  if (maxContainerRestarts(pa) !== maxContainerRestarts(pb)) return maxContainerRestarts(pa) > maxContainerRestarts(pb);
  const [ca, cb] = [timeMs(pa.metadata.creationTimestamp), timeMs(pb.metadata.creationTimestamp)];
  if (ca !== cb) return newerFirst(pa, pb, ca, cb, nowMs);
  return false;
}

/** A total order for sorting: deleteBefore, then name, then UID. */
export function compareForDeletion(a: RankedPod, b: RankedPod, nowMs?: number): number {
  if (deleteBefore(a, b, nowMs)) return -1;
  if (deleteBefore(b, a, nowMs)) return 1;
  const [na, nb] = [a.pod.metadata.name ?? '', b.pod.metadata.name ?? ''];
  if (na !== nb) return na < nb ? -1 : 1;
  const [ua, ub] = [a.pod.metadata.uid ?? '', b.pod.metadata.uid ?? ''];
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/** ActivePods (no ranks, no log scale): the order TestSortingActivePods checks. */
export function sortActivePods(pods: readonly KubeObject[]): KubeObject[] {
  return pods.map((pod) => ({ pod, rank: 0 })).sort((a, b) => compareForDeletion(a, b)).map((r) => r.pod);
}

/** getPodsRankedByRelatedPodsOnSameNode: rank = active related pods on the pod's node. */
export function rankByRelatedPodsOnSameNode(podsToRank: readonly KubeObject[], relatedPods: readonly KubeObject[]): RankedPod[] {
  const onNode = new Map<string, number>();
  for (const pod of relatedPods) if (isPodActive(pod)) onNode.set(nodeName(pod), (onNode.get(nodeName(pod)) ?? 0) + 1);
  return podsToRank.map((pod) => ({ pod, rank: onNode.get(nodeName(pod)) ?? 0 }));
}

/** getPodsToDelete: all of them when diff covers them all, else the first `diff` in deletion order. */
export function getPodsToDelete(filteredPods: readonly KubeObject[], relatedPods: readonly KubeObject[], diff: number, nowMs: number): KubeObject[] {
  if (diff >= filteredPods.length) return filteredPods.slice(0, diff);
  const ranked = rankByRelatedPodsOnSameNode(filteredPods, relatedPods);
  ranked.sort((a, b) => compareForDeletion(a, b, nowMs));
  return ranked.slice(0, diff).map((r) => r.pod);
}
