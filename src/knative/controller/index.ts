// The Knative Serving `controller` deployment (serving-controller.ts) and the pieces its tests and
// the bug scenarios reach for.
export { setupServingController, CONTROLLER_COMPONENT } from './serving-controller.js';
export { ServingConfigStore, PLACEHOLDER_QUEUE_SIDECAR_IMAGE, type ServingConfigs } from './serving-config-store.js';
export { knativeLeaseName, KNATIVE_LEASE_DURATION_MS, KNATIVE_RENEW_DEADLINE_MS, KNATIVE_RETRY_PERIOD_MS } from './leader-aware-controller.js';
export { ROUTE_FINALIZER } from './labeler-reconciler.js';
export { ACTIVATOR_SERVICE_NAME } from './sks-reconciler.js';
