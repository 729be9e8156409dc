// The oracle library: every library oracle by the name a scenario's `use:` gives, and the lookup that
// also knows the always/eventually/never shapes.

import { boundedWrites } from './library/bounded-writes.js';
import { coldStartLatency } from './library/cold-start-latency.js';
import { eventuallyReady } from './library/eventually-ready.js';
import { noConditionStuckUnknown } from './library/no-condition-stuck-unknown.js';
import { noFailedRequests } from './library/no-failed-requests.js';
import { podConcurrencyWithinLimit } from './library/pod-concurrency-within-limit.js';
import { readyImpliesPods } from './library/ready-implies-pods.js';
import { replicasWithinScaleBounds } from './library/replicas-within-scale-bounds.js';
import { scalesToZeroWithin } from './library/scales-to-zero-within.js';
import { sksModeFlapsBounded } from './library/sks-mode-flaps-bounded.js';
import type { OracleDefinition } from './oracle.js';
import { SHAPES } from './shapes.js';

// Each definition checks its own parsed parameters; the map forgets their types.
const erase = <P>(d: OracleDefinition<P>): OracleDefinition => d as unknown as OracleDefinition;

const DEFINITIONS: readonly OracleDefinition[] = [
  erase(noFailedRequests), erase(coldStartLatency), erase(replicasWithinScaleBounds), erase(scalesToZeroWithin),
  erase(readyImpliesPods), erase(eventuallyReady), erase(noConditionStuckUnknown), erase(sksModeFlapsBounded),
  erase(podConcurrencyWithinLimit), erase(boundedWrites),
];

export const ORACLE_LIBRARY: ReadonlyMap<string, OracleDefinition> = new Map(DEFINITIONS.map((d) => [d.name, d]));

/** A library oracle or a shape (always, eventually, never) by name; undefined for anything else. */
export function oracleByName(name: string): OracleDefinition | undefined {
  const shape = SHAPES.get(name);
  return ORACLE_LIBRARY.get(name) ?? (shape === undefined ? undefined : erase(shape));
}
