// What `sleeveless run --json` prints: the ScenarioResult as one JSON document with its fields in
// the documented order (src/scenario/result.ts), whatever order the runner built them in.

import type { RunResult, ScenarioResult } from '../scenario/result.js';

function run(r: RunResult): RunResult {
  return {
    seed: r.seed,
    verdict: r.verdict,
    traceHash: r.traceHash,
    replay: r.replay,
    violations: r.violations.map((v) => ({ oracle: v.oracle, reason: v.reason, atMs: v.atMs, objects: [...v.objects] })),
    simulatedMs: r.simulatedMs,
    events: r.events,
    wallMs: r.wallMs,
  };
}

/** Pretty-printed JSON of the result, ending with a newline. */
export function formatJsonResult(result: ScenarioResult): string {
  const ordered: ScenarioResult = {
    scenario: result.scenario,
    bug: result.bug,
    knative: result.knative,
    backend: result.backend,
    verdict: result.verdict,
    runs: result.runs.map(run),
    wallMs: result.wallMs,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
