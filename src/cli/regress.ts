// Runs every catalogued bug against one release on the seed pool: per bug, the seeds its expectation
// asks for (N where the release is affected, M where it should be absent), stopping at the first
// failing seed. "Reproduces" means some oracle of the bug's scenario failed on some seed; the
// verdicts come from the oracles alone.

import { performance } from 'node:perf_hooks';
import { expectedOn, scenarioApplies, seedBudget, type CatalogView, type Expected } from '../catalog/expectation.js';
import type { Release } from '../knative/versions.js';
import type { Bug } from '../scenario/bug.js';
import type { RunResult } from '../scenario/result.js';
import type { SeedPool } from './seed-pool.js';

export interface RegressBugResult {
  id: string;
  title: string;
  expected: Expected;
  observed: Expected;
  /** Seeds run to decide: the first failing seed's number, or every seed of the budget. */
  seedsTried: number;
  /** Wall time spent running this bug's seeds (summed over workers). */
  wallMs: number;
  /** The first failing run, when it reproduced: seed, replay, violations. */
  failure?: Pick<RunResult, 'seed' | 'replay' | 'traceHash' | 'violations'>;
  /** A run that could not complete (a model invariant, a crash), which counts as a mismatch. */
  error?: string;
}

export interface RegressResult {
  knative: string;
  results: RegressBugResult[];
  /** Bugs not run on this release, with the reason: needsRealCluster, or a release before scenarioFrom. */
  skipped: { id: string; reason: string }[];
  mismatches: string[];
  wallMs: number;
}

interface BugRun {
  bug: Bug;
  expected: Expected;
  budget: number;
  next: number;
  inFlight: number;
  failures: RunResult[];
  error?: string;
  wallMs: number;
  done: boolean;
}

export async function runRegress(bugs: readonly Bug[], release: Release, options: {
  pool: SeedPool;
  quick: boolean;
  /** The whole catalog, for `sharesSymptomWith` (default: `bugs`). */
  catalog?: CatalogView;
  /** Seeds per bug on this release; default seedBudget(bug, release, {quick, catalog}). */
  budget?: (bug: Bug) => number;
  onBugDone?: (r: RegressBugResult, finished: number, total: number) => void;
}): Promise<RegressResult> {
  const started = performance.now();
  const catalog = options.catalog ?? bugs;
  const skipReason = (b: Bug): string | undefined => {
    if (b.needsRealCluster !== undefined) return `needs a real cluster: ${b.needsRealCluster}`;
    if (!scenarioApplies(b, release)) return `the scenario means something from ${b.scenarioFrom!.release} on: ${b.scenarioFrom!.why}`;
    return undefined;
  };
  const skipped = bugs.flatMap((b) => {
    const reason = skipReason(b);
    return reason === undefined ? [] : [{ id: b.id, reason }];
  });
  const runs: BugRun[] = bugs.filter((b) => skipReason(b) === undefined).map((bug) => ({
    bug, expected: expectedOn(bug, release, catalog), budget: options.budget?.(bug) ?? seedBudget(bug, release, { quick: options.quick, catalog }),
    next: 1, inFlight: 0, failures: [], wallMs: 0, done: false,
  }));
  const results = new Map<string, RegressBugResult>();
  let finished = 0;
  const finish = (r: BugRun): void => {
    if (r.done || r.inFlight > 0) return;
    const stop = r.failures.length > 0 || r.error !== undefined || r.next > r.budget;
    if (!stop) return;
    r.done = true;
    const first = [...r.failures].sort((a, b) => a.seed - b.seed)[0];
    const result: RegressBugResult = {
      id: r.bug.id, title: r.bug.title, expected: r.expected,
      observed: first !== undefined ? 'reproduces' : 'absent',
      seedsTried: first !== undefined ? first.seed : r.next - 1,
      wallMs: Math.round(r.wallMs),
    };
    if (first !== undefined) result.failure = { seed: first.seed, replay: first.replay, traceHash: first.traceHash, violations: first.violations };
    if (r.error !== undefined) result.error = r.error;
    results.set(r.bug.id, result);
    options.onBugDone?.(result, ++finished, runs.length);
  };
  // Keep every worker busy, taking seeds in order, bug after bug; a bug stops taking seeds once a
  // seed failed (the seeds before it still finish, so the first failing seed is exact).
  const capacity = Math.max(1, options.pool.threads) * 2;
  await new Promise<void>((resolve) => {
    let active = 0;
    const pump = (): void => {
      while (active < capacity) {
        const r = runs.find((x) => !x.done && x.failures.length === 0 && x.error === undefined && x.next <= x.budget);
        if (r === undefined) break;
        const seed = r.next++;
        r.inFlight++;
        active++;
        void options.pool.run({ ref: `bug:${r.bug.id}`, knative: release.name, seed }).then((answer) => {
          active--;
          r.inFlight--;
          if ('error' in answer) r.error ??= `seed ${seed}: ${answer.error}`;
          else {
            r.wallMs += answer.run.wallMs;
            if (answer.run.verdict === 'fail') r.failures.push(answer.run);
          }
          finish(r);
          pump();
        });
      }
      if (active === 0) {
        for (const r of runs) finish(r);
        resolve();
      }
    };
    pump();
  });
  const ordered = runs.map((r) => results.get(r.bug.id)!);
  return {
    knative: release.name,
    results: ordered,
    skipped,
    mismatches: ordered.filter((r) => r.observed !== r.expected || r.error !== undefined).map((r) => r.id),
    wallMs: Math.round(performance.now() - started),
  };
}
