// Pod predicates shared by the controllers, after k8s.io/kubernetes pkg/api/v1/pod/util.go and
// pkg/controller/controller_utils.go.

import type { KubeObject } from '../apiserver/types.js';
import { parseSimTime } from '../sim/time-format.js';

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
}

export function podCondition(pod: KubeObject, type: string): PodCondition | undefined {
  const conditions = pod.status?.conditions as PodCondition[] | null | undefined;
  if (conditions === null || conditions === undefined) return undefined;
  for (let i = 0; i < conditions.length; i++) if (conditions[i].type === type) return conditions[i];
  return undefined;
}

/** IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/**
 * IsPodAvailable: ready for at least minReadySeconds (by the Ready condition's lastTransitionTime),
 * measured at `nowMs` of virtual time.
 */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  if (!ready.lastTransitionTime) return false;
  return parseSimTime(ready.lastTransitionTime) + minReadySeconds * 1000 <= nowMs;
}

/** IsPodTerminal: Succeeded or Failed. */
export function isPodTerminal(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** controller.IsPodActive: not terminal and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  return !isPodTerminal(pod) && pod.metadata.deletionTimestamp === undefined;
}

/** The controller ownerReference, if any (metav1.GetControllerOf). */
export function controllerOf(obj: KubeObject): { apiVersion: string; kind: string; name: string; uid: string } | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}
