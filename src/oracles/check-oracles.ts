// PLACEHOLDER until the oracles branch merges (replaced wholesale).
import type { History } from '../scenario/history.js';
import type { OracleSpec } from '../scenario/types.js';
import type { Violation } from './oracle.js';
export interface PreparedOracle { spec: OracleSpec }
export function prepareOracles(specs: OracleSpec[]): PreparedOracle[] {
  return specs.filter((s) => s.use !== 'module').map((spec) => ({ spec }));
}
export function checkOracles(_prepared: PreparedOracle[], _history: History): Violation[] {
  return [];
}
