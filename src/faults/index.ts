// The fault library: a scenario's faults made ready to fire and heal on a simulated world, and
// which backends support which family.

export type { ActiveFault } from './active-fault.js';
export { createFault } from './create-fault.js';
export { FaultSpecError } from './fault-spec-error.js';
export { faultSupport, type Backend } from './fault-support.js';
export type { FaultWorld } from './fault-world.js';
export { USER_CLIENT } from './targets/user-actions.js';
