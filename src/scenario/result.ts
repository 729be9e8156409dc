// The result of running a scenario over one or more seeds: what `sleeveless run --json` prints (the
// README documents it), what the JUnit and HTML reports are made from.

import type { Violation } from '../oracles/oracle.js';

export interface RunResult {
  seed: number;
  verdict: 'pass' | 'fail';
  traceHash: string;
  /** Re-runs exactly this run: `sleeveless replay <replay>`. */
  replay: string;
  violations: Violation[];
  /** Simulated (or observed) run length. */
  simulatedMs: number;
  events: number;
  wallMs: number;
}

export interface ScenarioResult {
  scenario: string;
  /** The catalogued bug id when run through a bug, else null. */
  bug: string | null;
  knative: string;
  backend: 'sim' | 'kind' | 'cluster';
  verdict: 'pass' | 'fail';
  runs: RunResult[];
  wallMs: number;
}
