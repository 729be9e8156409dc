// A backend runs one scenario once and returns its history. The simulator is one backend; a kind
// cluster and any kubeconfig cluster are others (DESIGN.md "Real-cluster backends"). The runner,
// the oracles and the reports only ever see the history, so a scenario's verdict means the same
// thing on every backend.

import type { History } from '../scenario/history.js';
import type { Scenario } from '../scenario/types.js';

export type BackendName = 'sim' | 'kind' | 'cluster';

export interface RunOnceOptions {
  seed: number;
  /** Release profile to run (already validated). */
  knative: string;
  /** Exploration: decision index -> forced value (sim only). */
  overrides?: ReadonlyMap<number, number>;
}

export interface RunOnceOutput {
  history: History;
  /** Same scenario, seed, release and overrides => same hash (sim); real clusters report ''. */
  traceHash: string;
  events: number;
  /** The last trace lines, printed with a failure. */
  traceTail: string[];
}

export interface Backend {
  readonly name: BackendName;
  /** Why the backend cannot run this scenario (faults it cannot inject, ...); empty when it can. */
  unsupported(scenario: Scenario): string[];
  runOnce(scenario: Scenario, options: RunOnceOptions): Promise<RunOnceOutput>;
}
