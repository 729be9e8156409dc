// The children of a Knative Service (knative/serving pkg/reconciler/service/resources/
// configuration.go MakeConfigurationFromExisting, route.go MakeRoute, names/names.go): a
// Configuration and a Route with the Service's name, controlled by it. The Configuration carries
// the Service's labels plus service/serviceUID, its annotations (but kubectl's last-applied one
// and the rollout duration) plus the routes annotation naming the Route (merged with what the
// existing Configuration lists); the Route gets the Service's traffic, latest-revision targets
// pointed at the Configuration.

import { deepCopy } from '../../apiserver/deep-copy.js';
import type { KubeObject } from '../../apiserver/types.js';
import { ANNOTATIONS, LABELS } from '../apis/serving-labels.js';
import { controllerRef } from './owner-refs.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLOUT_DURATION = ['serving.knative.dev/rollout-duration', 'serving.knative.dev/rolloutDuration'];

/** GetListAnnValue: the comma-separated set in an annotation. */
export function listAnnotation(annotations: Readonly<Record<string, string>> | undefined, key: string): Set<string> {
  const value = annotations?.[key] ?? '';
  return value === '' ? new Set() : new Set(value.split(','));
}

export function makeConfiguration(service: KubeObject, existing?: KubeObject): KubeObject {
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.metadata.annotations ?? {})) {
    if (k !== LAST_APPLIED && !ROLLOUT_DURATION.includes(k)) annotations[k] = v;
  }
  const routes = listAnnotation(existing?.metadata.annotations, ANNOTATIONS.routes);
  routes.add(service.metadata.name!);
  annotations[ANNOTATIONS.routes] = [...routes].sort().join(',');
  const { template } = service.spec ?? {};
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Configuration',
    metadata: {
      name: service.metadata.name,
      namespace: service.metadata.namespace,
      ownerReferences: [controllerRef(service)],
      labels: { ...(service.metadata.labels ?? {}), [LABELS.service]: service.metadata.name!, [LABELS.serviceUID]: service.metadata.uid! },
      annotations,
    },
    spec: { template: deepCopy(template ?? {}) },
  };
}

export function makeRoute(service: KubeObject): KubeObject {
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.metadata.annotations ?? {})) if (k !== LAST_APPLIED) annotations[k] = v;
  const traffic = deepCopy((service.spec?.traffic ?? []) as Record<string, unknown>[]);
  for (const target of traffic) if (!target.revisionName) target.configurationName = service.metadata.name;
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Route',
    metadata: {
      name: service.metadata.name,
      namespace: service.metadata.namespace,
      ownerReferences: [controllerRef(service)],
      annotations,
      labels: { ...(service.metadata.labels ?? {}), [LABELS.service]: service.metadata.name! },
    },
    spec: { traffic },
  };
}
