// Taints and tolerations, shared by the scheduler's TaintToleration filter, the node lifecycle
// controller and taint eviction (k8s.io/api core/v1 toleration.go ToleratesTaint,
// pkg/apis/core/v1/helper FindMatchingUntoleratedTaint, pkg/controller/tainteviction
// GetMatchingTolerations / getMinTolerationTime).
//
// DefaultTolerationSeconds: upstream, the admission plugin of that name
// (plugin/pkg/admission/defaulttolerationseconds/admission.go) adds to every pod, at creation,
// tolerations for node.kubernetes.io/not-ready:NoExecute and node.kubernetes.io/unreachable:NoExecute
// with tolerationSeconds 300, unless the pod already tolerates that taint. Our API server has no
// admission chain, so `podTolerations` applies the same default where tolerations are read: a pod
// behaves as if admitted with them, while its stored spec stays as written.

import type { KubeObject } from '../apiserver/types.js';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  /** RFC 3339; set for NoExecute taints by the node lifecycle controller. */
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: TaintEffect | '';
  tolerationSeconds?: number;
}

/** Well-known taint keys (k8s.io/api core/v1 well_known_taints.go). */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** defaulttolerationseconds: --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/** Toleration.ToleratesTaint: effect (empty matches all), key (empty with Exists matches all), operator. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator ?? 'Equal';
  if (operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** FindMatchingUntoleratedTaint: the first taint with one of `effects` that no toleration tolerates. */
export function findUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], effects: readonly TaintEffect[]): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !tolerations.some((t) => toleratesTaint(t, taint)));
}

export function nodeTaints(node: KubeObject): Taint[] {
  return (node.spec?.taints as Taint[] | undefined) ?? [];
}

function toleratesKey(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some((t) => toleratesTaint(t, { key, effect: 'NoExecute' }));
}

/** The pod's tolerations as the DefaultTolerationSeconds admission plugin would have left them. */
export function podTolerations(pod: KubeObject): Toleration[] {
  const tolerations = [...((pod.spec?.tolerations as Toleration[] | undefined) ?? [])];
  for (const key of [TAINT_NOT_READY, TAINT_UNREACHABLE]) {
    if (!toleratesKey(tolerations, key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  return tolerations;
}

/**
 * How long a pod may stay on a node with these NoExecute taints (taint_eviction.go): 0 when one is
 * not tolerated (evict now), otherwise the smallest tolerationSeconds among the tolerations used
 * (negative counts as 0), or Infinity when every one used tolerates forever.
 */
export function noExecuteToleranceS(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  let minS = Infinity;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const used = tolerations.filter((t) => toleratesTaint(t, taint));
    if (used.length === 0) return 0;
    for (const t of used) if (t.tolerationSeconds !== undefined) minS = Math.min(minS, Math.max(0, t.tolerationSeconds));
  }
  return minS;
}
