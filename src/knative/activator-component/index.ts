// The activator as a component: one incarnation per activator pod.
export { setupActivator, type Activator, type ActivatorOptions } from './setup-activator.js';
export { ActivatorHandler, type ActivatorHandlerDeps } from './activator-handler.js';
export { Throttler, type ThrottlerOptions } from './throttler.js';
export { RevisionThrottler, REENQUEUE_DELAY_MS, type ThrottledRequest, type ThrottleSlot, type ThrottleTicket } from './revision-throttler.js';
export { RevisionBackendsManager, endpointsToDests, privateEndpointsRevision } from './revision-backends.js';
export { RevisionWatcher, ACTIVATOR_PROBE_TIMEOUT_MS, ACTIVATOR_PROBE_FREQUENCY_MS, HEALTH_CHECK_PATH, type Dests } from './revision-watcher.js';
export { ConcurrencyReporter, ACTIVATOR_REPORT_INTERVAL_MS, toStatMessage } from './concurrency-reporter.js';
export { StatSink, AUTOSCALER_SERVICE } from './stat-sink.js';
export { revisionSpecView, type RevisionSpecView } from './revision-spec.js';
