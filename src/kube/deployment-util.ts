// The pure decisions of the Deployment controller (k8s.io/kubernetes
// pkg/controller/deployment/util/deployment_util.go): which ReplicaSet is new and which are old,
// replica sums, when a rollout is complete, progressing or timed out, how far the new ReplicaSet
// may grow, and how a scaling event is shared out proportionally (GetProportion,
// getReplicaSetFraction). Functions take API objects as the caches hold them and never mutate
// them, except findActiveOrLatest, which sorts the array it is given, as upstream does.

import { objectsEqualExcept } from '../apiserver/deep-copy.js';
import { LabelSelector, type StructuredLabelSelector } from '../apiserver/label-selector.js';
import type { KubeObject } from '../apiserver/types.js';
import { parseSimTime } from '../sim/time-format.js';
import { getDesiredReplicasAnnotation, getMaxReplicasAnnotation } from './deployment-annotations.js';
import { getDeploymentCondition, NEW_RS_AVAILABLE_REASON, PROGRESSING, TIMED_OUT_REASON, type DeploymentStatus } from './deployment-conditions.js';
import { POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import { byCreationTimestamp, byRevision, filterActiveReplicaSets } from './replicaset-order.js';
import { specReplicas } from './replicaset-status.js';
import { maxSurge, scaledValueFromIntOrPercent } from './rolling-fenceposts.js';

/** math.MaxInt32: the "no limit" value of progressDeadlineSeconds and revisionHistoryLimit. */
export const MAX_INT32 = 2147483647;

type Counted = 'replicas' | 'readyReplicas' | 'availableReplicas';
const statusCount = (rs: KubeObject, field: Counted): number => (rs.status?.[field] as number | undefined) ?? 0;
const sum = (rss: readonly (KubeObject | undefined)[], f: (rs: KubeObject) => number): number => rss.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);

/** GetReplicaCountForReplicaSets: the sum of spec.replicas. */
export const getReplicaCountForReplicaSets = (rss: readonly (KubeObject | undefined)[]): number => sum(rss, specReplicas);
/** GetActualReplicaCountForReplicaSets: the sum of status.replicas. */
export const getActualReplicaCountForReplicaSets = (rss: readonly (KubeObject | undefined)[]): number => sum(rss, (rs) => statusCount(rs, 'replicas'));
export const getReadyReplicaCountForReplicaSets = (rss: readonly (KubeObject | undefined)[]): number => sum(rss, (rs) => statusCount(rs, 'readyReplicas'));
export const getAvailableReplicaCountForReplicaSets = (rss: readonly (KubeObject | undefined)[]): number => sum(rss, (rs) => statusCount(rs, 'availableReplicas'));

export function hasProgressDeadline(d: KubeObject): boolean {
  const pds = d.spec?.progressDeadlineSeconds as number | undefined;
  return pds !== undefined && pds !== null && pds !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: KubeObject): boolean {
  const limit = d.spec?.revisionHistoryLimit as number | undefined;
  return limit !== undefined && limit !== null && limit !== MAX_INT32;
}

/** DeploymentComplete: all desired replicas updated and available, no old ones, generation observed. */
export function deploymentComplete(d: KubeObject, status: DeploymentStatus): boolean {
  const replicas = specReplicas(d);
  return (status.updatedReplicas ?? 0) === replicas && (status.replicas ?? 0) === replicas
    && (status.availableReplicas ?? 0) === replicas && (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than d.status says. */
export function deploymentProgressing(d: KubeObject, status: DeploymentStatus): boolean {
  const old = (d.status ?? {}) as DeploymentStatus;
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
    || (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** DeploymentTimedOut: the Progressing condition's lastUpdateTime + progressDeadlineSeconds is before now. */
export function deploymentTimedOut(d: KubeObject, status: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getDeploymentCondition(status, PROGRESSING);
  if (condition === undefined || condition.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (condition.reason === TIMED_OUT_REASON) return true;
  const fromMs = condition.lastUpdateTime ? parseSimTime(condition.lastUpdateTime) : Number.NEGATIVE_INFINITY;
  return fromMs + (d.spec.progressDeadlineSeconds as number) * 1000 < nowMs;
}

/** NewRSNewReplicas: how many replicas the new ReplicaSet should have now. */
export function newRSNewReplicas(d: KubeObject, allRSs: readonly (KubeObject | undefined)[], newRS: KubeObject): number {
  const replicas = specReplicas(d);
  switch (d.spec?.strategy?.type) {
    case 'RollingUpdate': {
      const surge = scaledValueFromIntOrPercent(d.spec.strategy.rollingUpdate?.maxSurge, replicas, true);
      const current = getReplicaCountForReplicaSets(allRSs);
      const maxTotal = replicas + surge;
      if (current >= maxTotal) return specReplicas(newRS);
      return specReplicas(newRS) + Math.min(maxTotal - current, replicas - specReplicas(newRS));
    }
    case 'Recreate':
      return replicas;
    default:
      throw new Error(`deployment type ${d.spec?.strategy?.type} isn't supported`);
  }
}

/** IsSaturated: the ReplicaSet has, wants and makes available all the Deployment's replicas. */
export function isSaturated(d: KubeObject, rs: KubeObject | undefined): boolean {
  if (rs === undefined) return false;
  const desired = getDesiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  const replicas = specReplicas(d);
  return specReplicas(rs) === replicas && desired === replicas && statusCount(rs, 'availableReplicas') === replicas;
}

type JsonRecord = Record<string, unknown>;

const asRecord = (value: unknown): JsonRecord => (typeof value === 'object' && value !== null ? value as JsonRecord : {});

/**
 * EqualIgnoreHash: pod templates equal but for the pod-template-hash label. Upstream deep-copies
 * both templates, deletes the label and compares with Semantic.DeepEqual (an empty map equals an
 * absent one); the same comparison here walks the templates without copying them.
 */
export function equalIgnoreHash(t1: unknown, t2: unknown): boolean {
  const a = asRecord(t1);
  const b = asRecord(t2);
  if (!objectsEqualExcept(a, b, 'metadata')) return false;
  const metaA = asRecord(a.metadata);
  const metaB = asRecord(b.metadata);
  return objectsEqualExcept(metaA, metaB, 'labels') && objectsEqualExcept(asRecord(metaA.labels), asRecord(metaB.labels), POD_TEMPLATE_HASH_LABEL);
}

/** How two pod templates are compared: equalIgnoreHash, or a cache of its verdicts. */
export type TemplateEquality = (a: unknown, b: unknown) => boolean;

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(d: KubeObject, rsList: readonly KubeObject[], sameTemplate: TemplateEquality = equalIgnoreHash): KubeObject | undefined {
  return findNewInSorted(d, [...rsList].sort(byCreationTimestamp), sameTemplate);
}

/** FindNewReplicaSet over a list already sorted by creation timestamp (byCreationTimestamp). */
export function findNewInSorted(d: KubeObject, sorted: readonly KubeObject[], sameTemplate: TemplateEquality): KubeObject | undefined {
  return sorted.find((rs) => sameTemplate(rs.spec?.template, d.spec?.template));
}

/** FindOldReplicaSets: `all` the others, and those of them that still want pods (`required`). */
export function findOldReplicaSets(d: KubeObject, rsList: readonly KubeObject[], sameTemplate: TemplateEquality = equalIgnoreHash): { required: KubeObject[]; all: KubeObject[] } {
  const newRS = findNewReplicaSet(d, rsList, sameTemplate);
  const all = rsList.filter((rs) => newRS === undefined || rs.metadata.uid !== newRS.metadata.uid);
  return { required: all.filter((rs) => specReplicas(rs) !== 0), all };
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is; undefined when several are. */
export function findActiveOrLatest(newRS: KubeObject | undefined, oldRSs: KubeObject[]): KubeObject | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  oldRSs.sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActiveReplicaSets([...oldRSs, newRS]);
  if (active.length === 0) return newRS ?? oldRSs[0];
  return active.length === 1 ? active[0] : undefined;
}

/** integer.RoundToInt32: halves away from zero. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/** getReplicaSetFraction: the ReplicaSet's share of the new total, minus its size. */
export function getReplicaSetFraction(rs: KubeObject, d: KubeObject): number {
  if (specReplicas(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = specReplicas(d) + maxSurge(d);
  const annotated = getMaxReplicasAnnotation(rs) ?? ((d.status?.replicas as number | undefined) ?? 0);
  // Upstream never scales proportionally from zero, so `annotated` is not 0 here; stay finite anyway.
  if (annotated === 0) return 0;
  return roundHalfAway((specReplicas(rs) * deploymentReplicas) / annotated) - specReplicas(rs);
}

/** GetProportion: the fraction, capped by what is still left to add (or remove). */
export function getProportion(rs: KubeObject | undefined, d: KubeObject, toAdd: number, added: number): number {
  if (rs === undefined || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** GetDeploymentsForReplicaSet: Deployments whose non-empty selector matches the ReplicaSet's labels. */
export function getDeploymentsForReplicaSet(deployments: readonly KubeObject[], rs: KubeObject): KubeObject[] {
  if (Object.keys(rs.metadata.labels ?? {}).length === 0) return [];
  return deployments.filter((d) => {
    if (d.metadata.namespace !== rs.metadata.namespace) return false;
    try {
      const selector = LabelSelector.fromLabelSelector(d.spec?.selector as StructuredLabelSelector | undefined);
      return !selector.isEverything() && selector.matches(rs.metadata.labels);
    } catch {
      return false;
    }
  });
}


/**
 * cleanupDeployment's choice: beyond revisionHistoryLimit, the oldest revisions (not being
 * deleted) that have no replicas wanted or running and whose last spec change the ReplicaSet
 * controller has seen.
 */
export function replicaSetsToCleanUp(oldRSs: readonly KubeObject[], d: KubeObject): KubeObject[] {
  if (!hasRevisionHistoryLimit(d)) return [];
  const cleanable = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined);
  const diff = cleanable.length - (d.spec.revisionHistoryLimit as number);
  if (diff <= 0) return [];
  cleanable.sort(byRevision);
  return cleanable.slice(0, diff).filter((rs) => statusCount(rs, 'replicas') === 0 && specReplicas(rs) === 0
    && (rs.metadata.generation ?? 0) <= ((rs.status?.observedGeneration as number | undefined) ?? 0));
}
