// A Revision's PodAutoscaler `<rev>` (knative/serving pkg/reconciler/revision/resources/pa.go
// MakePA, reachability): the Revision's labels and autoscaling annotations, containerConcurrency,
// the Deployment as scale target, the protocol, and the reachability: Unreachable when a resource
// or health condition of the Revision is False while its Deployment wants pods and has none ready
// (#14660's fix); otherwise from the routing state: active → Reachable, reserve → Unreachable,
// anything else (pending, unset) → Unknown (''). Controlled by the Revision.

import type { KubeObject } from '../../apiserver/types.js';
import { LABELS } from '../apis/serving-labels.js';
import { controllerRef } from './owner-refs.js';
import { deploymentName, makeLabels, paName, podAutoscalerAnnotations } from './revision-meta.js';
import { revisionProtocol } from './traffic-config.js';

export type Reachability = 'Reachable' | 'Unreachable' | '';

export function reachability(rev: KubeObject, deployment: KubeObject | undefined): Reachability {
  const failed = (rev.status?.conditions ?? []).some((c: { type: string; status: string }) =>
    (c.type === 'ResourcesAvailable' || c.type === 'ContainerHealthy') && c.status === 'False');
  const replicas = deployment?.spec?.replicas;
  if (failed && typeof replicas === 'number' && replicas > 0 && (deployment?.status?.readyReplicas ?? 0) === 0) return 'Unreachable';
  switch (rev.metadata.labels?.[LABELS.routingState]) {
    case 'active': return 'Reachable';
    case 'reserve': return 'Unreachable';
    default: return '';
  }
}

export function makePA(rev: KubeObject, deployment: KubeObject | undefined): KubeObject {
  const spec: Record<string, unknown> = {};
  const cc = rev.spec?.containerConcurrency ?? 0;
  if (cc !== 0) spec.containerConcurrency = cc;
  spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName(rev) };
  const reach = reachability(rev, deployment);
  if (reach !== '') spec.reachability = reach;
  spec.protocolType = revisionProtocol(rev);
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
