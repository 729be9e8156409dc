// The catalog's expectations with the modest CI budgets (`expectation.ci`): every bug that the
// simulation can run reproduces on its last affected release within ci.reproducesWithin seeds and
// shows no violation on its fixed release in ci.absentIn seeds. `npm run catalog:check` checks the
// full budgets on every checkpoint release. Four test files share the bugs (tap runs two at a time);
// some bugs take tens of seconds a seed, so a share may run for minutes.
import t from 'tap';
import { simBackend } from '../../src/backends/sim/sim-backend.js';
import { BUGS_DIR } from '../../src/cli/package-root.js';
import { validateOracleSpec } from '../../src/oracles/check-oracles.js';
import { listBugs } from '../../src/scenario/load-bug.js';
import { prepareScenarioOracles, runScenario } from '../../src/scenario/run-scenario.js';
import { parseRelease } from '../../src/knative/versions.js';

export const SHARES = 4;

export function checkCatalogShare(share: number): void {
  t.setTimeout(30 * 60_000);
  const bugs = listBugs(BUGS_DIR, { validateOracle: validateOracleSpec }).filter((_b, i) => i % SHARES === share);
  for (const bug of bugs) {
    if (bug.needsRealCluster !== undefined) {
      t.test(`${bug.id} needs a real cluster and says why`, async (t) => {
        t.ok(bug.needsRealCluster!.length > 20, bug.needsRealCluster!);
      });
      continue;
    }
    t.test(`${bug.id}: reproduces on ${bug.affected.to} within ${bug.expectation.ci.reproducesWithin} seeds, absent on ${bug.fixedIn ?? '(open upstream)'} in ${bug.expectation.ci.absentIn}`, async (t) => {
      const oracles = await prepareScenarioOracles(bug.scenario);
      const run = (release: string, seeds: number, stop: boolean) => runScenario(bug.scenario, oracles, {
        backend: simBackend, knative: parseRelease(release).name, seeds: Array.from({ length: seeds }, (_, i) => i + 1),
        target: `bug:${bug.id}`, bug: bug.id, stopAtFirstFailure: stop, wallClock: () => 0,
      });
      const affected = await run(bug.affected.to, bug.expectation.ci.reproducesWithin, true);
      const failing = affected.runs.find((r) => r.verdict === 'fail');
      t.ok(failing, `reproduces on ${bug.affected.to} (seed ${failing?.seed}: ${failing?.violations[0]?.reason ?? 'no violation in any seed'})`);
      if (bug.fixedIn !== null) {
        const fixed = await run(bug.fixedIn, bug.expectation.ci.absentIn, false);
        const bad = fixed.runs.find((r) => r.verdict === 'fail');
        t.notOk(bad, `absent on ${bug.fixedIn}${bad ? ` but seed ${bad.seed}: ${bad.violations[0]?.reason}` : ''}`);
      }
    });
  }
}
