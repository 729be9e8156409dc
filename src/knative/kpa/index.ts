// The KPA reconciler's and the ServerlessService reconciler's pure decisions.
export type {
  ConditionState, ConditionStatus, PaAnnotations, PaState, Reachability, ScalerConfig, SksMode, SksState,
} from './pa-types.js';
export type { EndpointAddress, EndpointPort, EndpointSubset } from './endpoints-types.js';
export {
  activeInStatusForMs, initialScale, isActivating, proxyForMs, scaleBounds, stableWindowMs, targetBurstCapacity,
  type ScaleBounds,
} from './scale-bounds.js';
export {
  scaleDecision, handleScaleToZero, boundedDesiredScale, applyBounds,
  SCALE_UNKNOWN, ACTIVATION_TIMEOUT_BUFFER_MS, PROXY_REQUEUE_MS, ASYNC_PROBE_PERIOD_MS, ASYNC_PROBE_TIMEOUT_MS, ASYNC_PROBE_REQUEUE_MS,
  type ScaleDecision, type ScaleDecisionInput,
} from './scale-decision.js';
export { transitionCondition, type ConditionValue } from './condition-transition.js';
export {
  computeActiveCondition, computeNumActivators, computeStatus, decideSksMode, activeThreshold, paReadyStatus,
  MIN_ACTIVATORS, NO_PRIVATE_SERVICE_NAME, ACTIVE, ACTIVATING_QUEUED, INACTIVE_NO_TRAFFIC, INACTIVE_TIMED_OUT,
  type ActivatorSizing, type ActiveConditionResult, type PaStatusUpdate,
} from './pa-status.js';
export {
  decidePublicEndpoints, effectiveSksMode, filterSubsetPorts, readyAddressCount, subsetEndpoints, sksIsReady, targetPortFor,
  BACKEND_HTTP_PORT, BACKEND_HTTP2_PORT, BACKEND_HTTPS_PORT, ENDPOINTS_READY, ENDPOINTS_NO_HEALTHY_BACKENDS,
  type ProtocolType, type PublicEndpointsDecision,
} from './sks-endpoints.js';
