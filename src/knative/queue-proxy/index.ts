// queue-proxy and the user container as processes of a revision pod (a PodBehaviour), and the
// data-plane pieces the activator and the ingress share with it.
export { queueProxyBehaviour, type QueueProxyBehaviour, type QueueProxyBehaviourOptions } from './queue-proxy-behaviour.js';
export { QueueProxy, WAIT_FOR_DRAIN_PATH, UNSIGNALLED_DRAIN_RESET_MS, type QueueProxyOptions } from './queue-proxy.js';
export {
  queueProxySettings, parseReadinessProbe, userContainerOf, effectiveTimeoutMs, QUEUE_CONTAINER_NAME, DEFAULT_REVISION_TIMEOUT_S,
  type QueueProxySettings, type ReadinessProbeSettings,
} from './queue-proxy-settings.js';
export { QueueStatsReporter, QUEUE_REPORTING_PERIOD_MS, type QueueProxyStat } from './queue-stats-reporter.js';
export { ReadinessProber, AGGRESSIVE_RETRY_MS, AGGRESSIVE_POLL_TIMEOUT_MS } from './readiness-prober.js';
export { DrainGate } from './drain-gate.js';
export { UserApp, type UserCall } from './user-app.js';
export { HttpServer } from '../runtime/http-server.js';
export { TimerGroup } from '../runtime/timer-group.js';
export { registerProcessLifecycle, type ProcessLifecycleHooks } from '../runtime/process-lifecycle.js';
export * from '../runtime/network-headers.js';
