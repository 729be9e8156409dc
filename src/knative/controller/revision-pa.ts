// A Revision's PodAutoscaler `<rev>` (knative/serving pkg/reconciler/revision/resources/pa.go
// MakePA, reachability): the Revision's labels and autoscaling annotations, containerConcurrency,
// the Deployment as scale target, the protocol, and the reachability. Its history, by release:
// - since #14795 (1.14): Unreachable when a resource or health condition of the Revision is False
//   while its Deployment wants pods and has none ready; otherwise from the routing state:
//   active → Reachable, reserve → Unreachable, anything else (pending, unset) → Unknown ('');
// - #14309 (1.12, 1.13): Unreachable on any such failed condition, else from the routing state;
// - before #14309: Unreachable when the Revision is Ready=False and not routed (#5532, v0.9);
//   Unknown while the Revision's Active condition is Unknown (a new or activating revision);
//   else Reachable when routed, Unreachable when not. "Routed" is Revision.IsReachable: the
//   labeler's mark (the route label before v0.17, routing state `active` after; this model has the
//   routing state throughout). A PA that goes not-Ready (even for an SKS generation lag) turns
//   the revision's Active Unknown, so an old revision's min-scale comes back (#14115).
// - before #4884 (v0.9, de9dff2308, with the field from #5147 5ca35616e6): the PA had no
//   reachability at all, so the KPA always applied min-scale (pa_lifecycle.go ScaleBounds at v0.8.0).
// Controlled by the Revision.
import type { KubeObject } from '../../apiserver/types.js';
import { LABELS } from '../apis/serving-labels.js';
import { controllerRef } from './owner-refs.js';
import { deploymentName, makeLabels, paName, podAutoscalerAnnotations } from './revision-meta.js';
import { revisionProtocol } from './traffic-config.js';
import type { KnativeProfile } from '../versions.js';

export type Reachability = 'Reachable' | 'Unreachable' | '';

function conditionStatus(rev: KubeObject, type: string): string | undefined {
  return (rev.status?.conditions ?? []).find((c: { type: string }) => c.type === type)?.status;
}

/** Revision.IsReachable: the labeler has marked the revision as routed. */
function isRoutedRevision(rev: KubeObject): boolean {
  return rev.metadata.labels?.[LABELS.routingState] === 'active';
}

/** The reachability function of pa.go before #14309 (with #5532's failed-revision check from v0.9). */
function reachabilityBeforePr14309(rev: KubeObject, profile: KnativeProfile): Reachability {
  // knative/serving pkg/reconciler/revision/resources/pa.go at v0.38.0 (fix #5532 1c3c3b9d74 added the first check).
  if (profile.has('pr-5532') && conditionStatus(rev, 'Ready') === 'False' && !isRoutedRevision(rev)) return 'Unreachable';
  if (conditionStatus(rev, 'Active') === 'Unknown') return '';
  return isRoutedRevision(rev) ? 'Reachable' : 'Unreachable';
}

export function reachability(rev: KubeObject, deployment: KubeObject | undefined, profile: KnativeProfile): Reachability {
  if (!profile.has('pr-14309')) return reachabilityBeforePr14309(rev, profile);
  const failed = ['ResourcesAvailable', 'ContainerHealthy'].some((type) => conditionStatus(rev, type) === 'False');
  if (failed) {
    // #14309 (9ffab17877): any infrastructure failure is Unreachable. #14795 (1760f08360) keeps a
    // revision that still has ready pods reachable, so a failed rollout does not drop its traffic.
    if (!profile.has('pr-14795')) return 'Unreachable';
    const replicas = deployment?.spec?.replicas;
    if (typeof replicas === 'number' && replicas > 0 && (deployment?.status?.readyReplicas ?? 0) === 0) return 'Unreachable';
  }
  switch (rev.metadata.labels?.[LABELS.routingState]) {
    case 'active': return 'Reachable';
    case 'reserve': return 'Unreachable';
    default: return '';
  }
}

/** MakePA's spec (with podAutoscalerAnnotations, all an existing PA is compared on). */
export function makePASpec(rev: KubeObject, deployment: KubeObject | undefined, profile: KnativeProfile): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  const cc = rev.spec?.containerConcurrency ?? 0;
  if (cc !== 0) spec.containerConcurrency = cc;
  spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName(rev) };
  const reach = profile.has('pr-4884') ? reachability(rev, deployment, profile) : '';
  if (reach !== '') spec.reachability = reach;
  spec.protocolType = revisionProtocol(rev);
  return spec;
}

export function makePA(rev: KubeObject, deployment: KubeObject | undefined, profile: KnativeProfile): KubeObject {
  const spec = makePASpec(rev, deployment, profile);
  return {
    apiVersion: 'autoscaling.internal.knative.dev/v1alpha1',
    kind: 'PodAutoscaler',
    metadata: {
      name: paName(rev), namespace: rev.metadata.namespace, labels: makeLabels(rev),
      annotations: podAutoscalerAnnotations(rev), ownerReferences: [controllerRef(rev)],
    },
    spec,
  };
}
