// A worker thread that runs single seeds of scenarios for the parent's SeedPool (catalog checks and
// `regress` use both cores). It loads each target once, then answers {ref, knative, seed} jobs with
// the run's result (the history stays in the worker: only verdicts travel).

import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { simBackend } from '../backends/sim/sim-backend.js';
import type { RunResult } from '../scenario/result.js';
import { prepareScenarioOracles, runScenario, type ScenarioOracles } from '../scenario/run-scenario.js';
import { resolveTarget, type Target } from './targets.js';

export interface SeedJob {
  id: number;
  ref: string;
  knative: string;
  seed: number;
}

export type SeedAnswer = { id: number; run: RunResult } | { id: number; error: string };

const loaded = new Map<string, Promise<{ target: Target; oracles: ScenarioOracles }>>();

function load(ref: string): Promise<{ target: Target; oracles: ScenarioOracles }> {
  let p = loaded.get(ref);
  if (p === undefined) {
    p = (async () => {
      const target = resolveTarget(ref);
      return { target, oracles: await prepareScenarioOracles(target.scenario) };
    })();
    loaded.set(ref, p);
  }
  return p;
}

export async function runSeedJob(job: SeedJob): Promise<SeedAnswer> {
  try {
    const { target, oracles } = await load(job.ref);
    const result = await runScenario(target.scenario, oracles, {
      backend: simBackend, knative: job.knative, seeds: [job.seed], target: target.ref, bug: target.bug?.id ?? null,
      wallClock: () => performance.now(),
    });
    return { id: job.id, run: result.runs[0] };
  } catch (e) {
    return { id: job.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

if (parentPort !== null) {
  const port = parentPort;
  port.on('message', (job: SeedJob) => {
    void runSeedJob(job).then((answer) => port.postMessage(answer));
  });
}
