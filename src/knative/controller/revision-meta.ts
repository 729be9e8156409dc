// Labels, selector and annotations of a Revision's children (knative/serving
// pkg/reconciler/revision/resources/meta.go, names/names.go): the Revision's labels without the
// route and routingState ones, plus revision, revisionUID and app (unless set); the selector is the
// revisionUID; Deployment and pod annotations drop the routing bookkeeping and every
// autoscaling.knative.dev annotation; the PA keeps the autoscaling ones.

import type { KubeObject } from '../../apiserver/types.js';
import { ANNOTATIONS, LABELS } from '../apis/serving-labels.js';
import { childName } from './child-name.js';

export const APP_LABEL = 'app';
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';
const AUTOSCALING_GROUP = 'autoscaling.knative.dev';
const EXCLUDED_LABELS = new Set<string>([LABELS.route, LABELS.routingState]);
const EXCLUDED_ANNOTATIONS = new Set<string>([
  'serving.knative.dev/lastPinned', 'serving.knative.dev/no-gc', ANNOTATIONS.routingStateModified, ANNOTATIONS.routes,
]);

export const deploymentName = (rev: KubeObject): string => childName(rev.metadata.name!, '-deployment');
export const paName = (rev: KubeObject): string => rev.metadata.name!;

/** The serving container (GetContainer): the only one, or the one with ports. */
export function servingContainer(rev: KubeObject): Record<string, any> {
  const containers: Record<string, any>[] = rev.spec?.containers ?? [];
  if (containers.length === 1) return containers[0];
  return containers.find((c) => (c.ports?.length ?? 0) > 0) ?? {};
}

export function makeLabels(rev: KubeObject): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(rev.metadata.labels ?? {})) if (!EXCLUDED_LABELS.has(k)) labels[k] = v;
  labels[LABELS.revision] = rev.metadata.name!;
  labels[LABELS.revisionUID] = rev.metadata.uid ?? '';
  if (labels[APP_LABEL] === undefined) labels[APP_LABEL] = rev.metadata.name!;
  return labels;
}

export function makeSelector(rev: KubeObject): { matchLabels: Record<string, string> } {
  return { matchLabels: { [LABELS.revisionUID]: rev.metadata.uid ?? '' } };
}

function filterAnnotations(rev: KubeObject, drop: (key: string) => boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rev.metadata.annotations ?? {})) if (!drop(k)) out[k] = v;
  return out;
}

const excludedOrAutoscaling = (key: string): boolean => EXCLUDED_ANNOTATIONS.has(key) || key.startsWith(AUTOSCALING_GROUP);

export const deploymentAnnotations = (rev: KubeObject): Record<string, string> => filterAnnotations(rev, excludedOrAutoscaling);
export const podAutoscalerAnnotations = (rev: KubeObject): Record<string, string> => filterAnnotations(rev, (k) => EXCLUDED_ANNOTATIONS.has(k));

export function podAnnotations(rev: KubeObject): Record<string, string> {
  const annotations = filterAnnotations(rev, excludedOrAutoscaling);
  const name = servingContainer(rev).name;
  if (name) annotations[DEFAULT_CONTAINER_ANNOTATION] = name;
  return annotations;
}
