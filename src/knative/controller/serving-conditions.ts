// The condition sets of the kinds these reconcilers own (knative/serving pkg/apis/serving/v1
// *_lifecycle.go; knative.dev/networking serverlessservice_lifecycle.go): all living sets, whose
// happy condition is Ready.

import type { ConditionSetSpec } from '../apis/condition-set.js';

export const SERVICE_CONDITIONS: ConditionSetSpec = { happy: 'Ready', dependents: ['ConfigurationsReady', 'RoutesReady'] };
export const CONFIGURATION_CONDITIONS: ConditionSetSpec = { happy: 'Ready', dependents: [] };
export const ROUTE_CONDITIONS: ConditionSetSpec = { happy: 'Ready', dependents: ['AllTrafficAssigned', 'IngressReady', 'CertificateProvisioned'] };
export const REVISION_CONDITIONS: ConditionSetSpec = { happy: 'Ready', dependents: ['ResourcesAvailable', 'ContainerHealthy'] };
export const SKS_CONDITIONS: ConditionSetSpec = { happy: 'Ready', dependents: ['EndpointsPopulated'] };
