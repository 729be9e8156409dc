// maxSurge and maxUnavailable of a RollingUpdate Deployment (k8s.io/kubernetes
// pkg/controller/deployment/util/deployment_util.go ResolveFenceposts, MaxSurge, MaxUnavailable,
// MinAvailable; apimachinery pkg/util/intstr GetScaledValueFromIntOrPercent). Each is an int or a
// percentage of spec.replicas; the surge rounds up, the unavailability down, and when both come
// out 0 the unavailability becomes 1 so that the rollout can move at all.

import type { KubeObject } from '../apiserver/types.js';
import { specReplicas } from './replicaset-status.js';

export type IntOrString = number | string;

/** GetScaledValueFromIntOrPercent; throws on a string that is not `<int>%`. */
export function scaledValueFromIntOrPercent(value: IntOrString | undefined | null, total: number, roundUp: boolean): number {
  if (value === undefined || value === null) throw new Error('nil value for IntOrString');
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = value.slice(0, -1);
  if (!/^[+-]?[0-9]+$/.test(digits)) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}: strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  const scaled = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export interface Fenceposts {
  surge: number;
  unavailable: number;
}

/** ResolveFenceposts(maxSurge, maxUnavailable, desired); a missing value counts as 0. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): Fenceposts {
  const surge = scaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = scaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function isRollingUpdate(d: KubeObject): boolean {
  return d.spec?.strategy?.type === 'RollingUpdate';
}

function fenceposts(d: KubeObject): Fenceposts {
  const rolling = (d.spec?.strategy?.rollingUpdate ?? {}) as { maxSurge?: IntOrString; maxUnavailable?: IntOrString };
  try {
    return resolveFenceposts(rolling.maxSurge, rolling.maxUnavailable, specReplicas(d));
  } catch {
    // Validation keeps malformed values out; upstream ignores the error and gets zeros.
    return { surge: 0, unavailable: 0 };
  }
}

/** MaxUnavailable: 0 unless rolling with replicas, and never more than the replicas. */
export function maxUnavailable(d: KubeObject): number {
  if (!isRollingUpdate(d) || specReplicas(d) === 0) return 0;
  return Math.min(fenceposts(d).unavailable, specReplicas(d));
}

/** MinAvailable: replicas - maxUnavailable for a rolling Deployment, else 0. */
export function minAvailable(d: KubeObject): number {
  return isRollingUpdate(d) ? specReplicas(d) - maxUnavailable(d) : 0;
}

/** MaxSurge: 0 unless rolling. */
export function maxSurge(d: KubeObject): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}
