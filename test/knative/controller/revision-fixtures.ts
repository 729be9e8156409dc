// Revisions as the Configuration reconciler would create them, for the revision-side suites.
import type { KubeObject } from '../../../src/apiserver/types.js';
import { REVISIONS } from '../../../src/knative/apis/resources.js';
import { ANNOTATIONS, LABELS, type RoutingState } from '../../../src/knative/apis/serving-labels.js';
import { NS, type ControllerHarness } from './controller-fixtures.js';

export interface RevisionOptions {
  routingState?: RoutingState;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  containerConcurrency?: number;
  container?: Record<string, unknown>;
}

export function revision(name: string, o: RevisionOptions = {}): KubeObject {
  const spec: Record<string, unknown> = { containers: [{ image: 'busybox', ...(o.container ?? {}) }] };
  if (o.containerConcurrency !== undefined) spec.containerConcurrency = o.containerConcurrency;
  return {
    apiVersion: 'serving.knative.dev/v1', kind: 'Revision',
    metadata: {
      name, namespace: NS,
      labels: { [LABELS.configuration]: 'cfg', [LABELS.configurationGeneration]: '1', [LABELS.routingState]: o.routingState ?? 'active', ...(o.labels ?? {}) },
      annotations: { [ANNOTATIONS.routingStateModified]: '2025-12-31T00:00:00Z', ...(o.annotations ?? {}) },
    },
    spec,
  };
}

export function createRevision(h: ControllerHarness, name: string, o: RevisionOptions = {}): KubeObject {
  return h.cluster.api.create(REVISIONS, revision(name, o));
}
