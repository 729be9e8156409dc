// An oracle reads the history of one run and says what went wrong, or nothing. Oracles check symptoms
// (a request failed, replicas dipped below minScale while routed) and never look at which upstream
// fix a release has or at anything the simulator alone knows.

import type { History } from '../scenario/history.js';

export interface Violation {
  /** The oracle's id in the scenario. */
  oracle: string;
  /** What went wrong, in a sentence that names the objects and the time. */
  reason: string;
  /** When it went wrong (run-relative ms). */
  atMs: number;
  /** The objects involved, as `Kind namespace/name`. */
  objects: string[];
}

/** A library oracle: checks `history` with its validated parameters. */
export interface OracleDefinition<P = Record<string, unknown>> {
  name: string;
  /** One line for `sleeveless show` and the docs. */
  summary: string;
  /** Validates and defaults the parameters written in the scenario; throws OracleParamError naming the field. */
  parse(params: Record<string, unknown>): P;
  check(history: History, params: P): Omit<Violation, 'oracle'> | null;
}

export class OracleParamError extends Error {
  override readonly name = 'OracleParamError';
  constructor(readonly field: string, message: string) {
    super(message);
  }
}
