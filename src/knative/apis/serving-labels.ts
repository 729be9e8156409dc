// Label and annotation keys of serving.knative.dev objects (knative/serving pkg/apis/serving/register.go,
// pkg/apis/autoscaling/register.go, knative/networking pkg/apis/networking/register.go).

export const SERVING_GROUP = 'serving.knative.dev';

export const LABELS = {
  service: 'serving.knative.dev/service',
  serviceUID: 'serving.knative.dev/serviceUID',
  configuration: 'serving.knative.dev/configuration',
  configurationUID: 'serving.knative.dev/configurationUID',
  configurationGeneration: 'serving.knative.dev/configurationGeneration',
  revision: 'serving.knative.dev/revision',
  revisionUID: 'serving.knative.dev/revisionUID',
  route: 'serving.knative.dev/route',
  routingState: 'serving.knative.dev/routingState',
  /** networking.internal.knative.dev/serverlessservice, on the SKS's services. */
  sks: 'networking.internal.knative.dev/serverlessservice',
  /** networking.internal.knative.dev/serviceType: Private | Public. */
  serviceType: 'networking.internal.knative.dev/serviceType',
  /** autoscaling.knative.dev/kpa on the Metric and decider objects. */
  paClass: 'autoscaling.knative.dev/class',
  /** networking.knative.dev/visibility: cluster-local. */
  visibility: 'networking.knative.dev/visibility',
} as const;

export const ANNOTATIONS = {
  routes: 'serving.knative.dev/routes',
  routingStateModified: 'serving.knative.dev/routingStateModified',
  creator: 'serving.knative.dev/creator',
  lastModifier: 'serving.knative.dev/lastModifier',
  progressDeadline: 'serving.knative.dev/progress-deadline',
  ingressClass: 'networking.knative.dev/ingress.class',
} as const;

/** serving.knative.dev/routingState values (pkg/apis/serving/v1/revision_helpers.go). */
export type RoutingState = 'active' | 'reserve' | 'pending' | '';
