// Resource ids of the Knative kinds (registered in src/apiserver/builtin-kinds.ts as their CRDs are).

import type { ResourceId } from '../../apiserver/types.js';

const serving = (resource: string): ResourceId => ({ group: 'serving.knative.dev', version: 'v1', resource });

export const KSERVICES = serving('services');
export const CONFIGURATIONS = serving('configurations');
export const ROUTES = serving('routes');
export const REVISIONS = serving('revisions');
export const PODAUTOSCALERS: ResourceId = { group: 'autoscaling.internal.knative.dev', version: 'v1alpha1', resource: 'podautoscalers' };
export const METRICS: ResourceId = { group: 'autoscaling.internal.knative.dev', version: 'v1alpha1', resource: 'metrics' };
export const SERVERLESSSERVICES: ResourceId = { group: 'networking.internal.knative.dev', version: 'v1alpha1', resource: 'serverlessservices' };
export const KINGRESSES: ResourceId = { group: 'networking.internal.knative.dev', version: 'v1alpha1', resource: 'ingresses' };
