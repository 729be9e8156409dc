// queue-proxy's pure pieces: the breaker, its parameters, and the drainer.
export { Breaker, MAX_BREAKER_CAPACITY, type AcquireResult, type BreakerOptions, type RevisionBreaker } from './breaker.js';
export { queueProxyBreakerOptions } from './queue-proxy-breaker.js';
export {
  Drainer, DEFAULT_DRAIN_TIMEOUT_MS, QUEUE_PROXY_QUIET_PERIOD_MS, QUEUE_PROXY_HEALTH_CHECK_UA_PREFIXES,
  type DrainerAnswer, type DrainerOptions, type DrainerRequest,
} from './drainer.js';
export { RequestStats, goDurationSeconds, type ReqEvent, type ReqEventType, type RequestStatsReport } from '../activator/request-stats.js';
