// PLACEHOLDER until the faults branch merges (replaced wholesale).
import type { FaultSpec } from '../scenario/types.js';
export interface ActiveFault { fire(): string; heal(): string }
export function createFault(_world: unknown, spec: FaultSpec): ActiveFault {
  throw new Error(`fault family ${spec.family} not merged yet`);
}
