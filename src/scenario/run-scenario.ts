// Runs one scenario over seeds on a backend: each run records a history, the oracles judge it, and
// the run gets a verdict, its trace hash and the replay string that re-runs it. The caller supplies
// the wall clock (only the command line may read it) and hears about each run as it finishes
// (progress bars, reports).

import type { Backend, RunOnceOutput } from '../backends/backend.js';
import { checkOracles, prepareOracles, type PreparedOracle } from '../oracles/check-oracles.js';
import { checkModuleOracle, loadModuleOracles, type ModuleOracle } from '../oracles/module-oracle.js';
import type { Violation } from '../oracles/oracle.js';
import type { History } from './history.js';
import { encodeReplay, scenarioFingerprint } from './replay-string.js';
import type { RunResult, ScenarioResult } from './result.js';
import type { Scenario } from './types.js';

export interface ScenarioOracles {
  library: PreparedOracle[];
  modules: ModuleOracle[];
}

/** Validates and loads the scenario's oracles once (module oracles are imported). */
export async function prepareScenarioOracles(scenario: Scenario): Promise<ScenarioOracles> {
  return { library: prepareOracles(scenario.oracles), modules: await loadModuleOracles(scenario.oracles) };
}

export function judge(oracles: ScenarioOracles, history: History): Violation[] {
  const violations = checkOracles(oracles.library, history);
  for (const m of oracles.modules) {
    const v = checkModuleOracle(m, history);
    if (v !== null) violations.push(v);
  }
  return violations.sort((a, b) => a.atMs - b.atMs || a.oracle.localeCompare(b.oracle));
}

export interface RunScenarioOptions {
  backend: Backend;
  /** Validated release name. */
  knative: string;
  seeds: readonly number[];
  /** What the replay string names: `bug:<id>` or the scenario path as the user gave it. */
  target: string;
  bug: string | null;
  /** Stop at the first failing seed (reproduction checks). */
  stopAtFirstFailure?: boolean;
  overrides?: ReadonlyMap<number, number>;
  /** Wall clock in ms (performance.now from the command line; a constant in tests). */
  wallClock: () => number;
  onRun?: (run: RunResult, output: RunOnceOutput) => void | Promise<void>;
}

export async function runScenario(scenario: Scenario, oracles: ScenarioOracles, options: RunScenarioOptions): Promise<ScenarioResult> {
  const started = options.wallClock();
  const fingerprint = scenarioFingerprint(scenario);
  const runs: RunResult[] = [];
  for (const seed of options.seeds) {
    const runStarted = options.wallClock();
    const output = await options.backend.runOnce(scenario, { seed, knative: options.knative, ...(options.overrides ? { overrides: options.overrides } : {}) });
    const violations = judge(oracles, output.history);
    const run: RunResult = {
      seed,
      verdict: violations.length === 0 ? 'pass' : 'fail',
      traceHash: output.traceHash,
      replay: encodeReplay({
        target: options.target, knative: options.knative, seed, fingerprint,
        ...(options.overrides ? { overrides: [...options.overrides.entries()] } : {}),
      }),
      violations,
      simulatedMs: output.history.endMs,
      events: output.events,
      wallMs: Math.round(options.wallClock() - runStarted),
    };
    runs.push(run);
    await options.onRun?.(run, output);
    if (options.stopAtFirstFailure && run.verdict === 'fail') break;
  }
  return {
    scenario: scenario.name,
    bug: options.bug,
    knative: options.knative,
    backend: options.backend.name,
    verdict: runs.some((r) => r.verdict === 'fail') ? 'fail' : 'pass',
    runs,
    wallMs: Math.round(options.wallClock() - started),
  };
}
