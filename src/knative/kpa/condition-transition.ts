// When a Knative condition's LastTransitionTime moves (knative/pkg apis/condition_set.go
// SetCondition): setting a condition that differs from the stored one in anything but its
// transition time — status, reason or message (severity is fixed per condition type) — stamps it
// with now; setting an identical one keeps the old stamp. InactiveFor, ActiveFor and ProxyFor
// measure from this stamp, so a reason change (NoTraffic → TimedOut) restarts the clock too.
//
// Upstream stamps metav1.Now(), which the API server serializes at one-second precision; a caller
// that stores conditions through the API server should truncate accordingly.

import type { ConditionState, ConditionStatus } from './pa-types.js';

export interface ConditionValue {
  status: ConditionStatus;
  reason?: string;
  message?: string;
}

export function transitionCondition(previous: ConditionState | undefined, next: ConditionValue, nowMs: number): ConditionState {
  const reason = next.reason ?? '';
  const message = next.message ?? '';
  if (previous && previous.status === next.status && (previous.reason ?? '') === reason && (previous.message ?? '') === message) {
    return previous;
  }
  return { status: next.status, reason, message, lastTransitionTimeMs: nowMs };
}
