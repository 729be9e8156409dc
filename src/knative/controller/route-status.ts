// Route status transitions (knative/serving pkg/apis/serving/v1/route_lifecycle.go) the route
// reconciler uses: IngressReady from the KIngress's Ready condition, IngressNotConfigured while
// the KIngress (or the Route) has an unobserved generation, AllTrafficAssigned, and
// CertificateProvisioned True with reason TLSNotEnabled (no TLS is modelled).

import type { KubeObject } from '../../apiserver/types.js';
import type { Condition, ConditionManager } from '../apis/condition-set.js';

export const EXTERNAL_DOMAIN_TLS_NOT_ENABLED = 'external-domain-tls is not enabled';

export function markIngressNotConfigured(m: ConditionManager): void {
  m.markUnknown('IngressReady', 'IngressNotConfigured', 'Ingress has not yet been reconciled.');
}

export function markTlsNotEnabled(m: ConditionManager, message: string): void {
  m.markTrueWithReason('CertificateProvisioned', 'TLSNotEnabled', message);
}

/** PropagateIngressStatus. */
export function propagateIngressStatus(m: ConditionManager, ingress: KubeObject): void {
  const ready = (ingress.status?.conditions as Condition[] | undefined)?.find((c) => c.type === 'Ready');
  if (ready === undefined) {
    markIngressNotConfigured(m);
    return;
  }
  if (ready.status === 'True') m.markTrue('IngressReady');
  else if (ready.status === 'False') m.markFalse('IngressReady', ready.reason ?? '', ready.message ?? '');
  else m.markUnknown('IngressReady', ready.reason ?? '', ready.message ?? '');
}
