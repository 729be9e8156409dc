// The activator's pure pieces: breakers, pod trackers, load-balancing policies, capacity
// arithmetic, request statistics and the concurrency reporter's bookkeeping.
export { InfiniteBreaker } from './infinite-breaker.js';
export { PodTracker, BREAKER_QUEUE_DEPTH } from './pod-tracker.js';
export {
  firstAvailable, powerOfTwoChoices, RoundRobinPolicy, revisionThrottlerParts,
  type Choose, type LbPick, type LbPolicy, type LbPolicyName, type RevisionThrottlerParts,
} from './lb-policy.js';
export {
  assignSlice, calculateCapacity, inferIndex, pickIndices, updateCapacity,
  type CapacityInputs, type CapacityUpdate, type SliceIndices,
} from './throttler-capacity.js';
export { activatorAssignment, healthyAddresses, type ActivatorAssignment } from './activator-assignment.js';
export { RequestStats, goDurationSeconds, type ReqEvent, type ReqEventType, type RequestStatsReport } from './request-stats.js';
export {
  ConcurrencyReporterState, type ActivatorStatMessage, type RequestInResult, type RevisionStatsHandle,
} from './concurrency-reporter-state.js';
