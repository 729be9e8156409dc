export { Prng, hashString, type Seed } from './prng.js';
export { Chooser, ChoiceSource, ReplayDivergence, type ChoiceLog, type ChooserOptions } from './chooser.js';
export { encodeChoiceLog, decodeChoiceLog } from './choice-log.js';
export { EventQueue, type SimEvent } from './event-queue.js';
export { Simulation, type SimulationOptions, type RunLimits, type RunResult, type Timer } from './simulation.js';
export { Trace, formatTraceLine, type TraceLine, type TraceOptions, type TraceValue } from './trace.js';
export { Process, perform, sleep, type Effect, type Proc, type ProcessOptions, type ProcessOutcome, type Resume } from './process.js';
export { InvariantError, invariant } from './invariant.js';
export { SIM_EPOCH_MS, formatSimTime, formatUnixMs, parseRfc3339, parseSimTime } from './time-format.js';
