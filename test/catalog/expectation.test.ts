// What the catalog expects of a bug on a release, with the two qualifiers a bug file can add:
// `sharesSymptomWith` (another bug's symptom shows in the same scenario) and `scenarioFrom` (older
// releases lack what the scenario configures). Checked on the shipped catalog's bug files.
import t from 'tap';
import { expectedOn, scenarioApplies, seedBudget } from '../../src/catalog/expectation.js';
import { BUGS_DIR } from '../../src/cli/package-root.js';
import { runRegress } from '../../src/cli/regress.js';
import { SeedPool } from '../../src/cli/seed-pool.js';
import { parseRelease } from '../../src/knative/versions.js';
import { listBugs } from '../../src/scenario/load-bug.js';

const catalog = listBugs(BUGS_DIR);
const bug = (id: string) => {
  const b = catalog.find((x) => x.id === id);
  if (b === undefined) throw new Error(`${id} is not in the catalog`);
  return b;
};
const R = (name: string) => parseRelease(name);

t.test('a bug reproduces in its own range, and also where a bug it shares its symptom with is affected', (t) => {
  const b = bug('serving-15889');
  t.same(b.sharesSymptomWith?.map((s) => s.bug), ['serving-6733']);
  t.equal(expectedOn(b, R('1.17'), catalog), 'reproduces', 'its own range');
  t.equal(expectedOn(b, R('0.13'), catalog), 'reproduces', 'serving-6733 affects 0.13');
  t.equal(expectedOn(b, R('0.13')), 'absent', 'without the catalog the shared symptom is unknown');
  t.equal(expectedOn(b, R('0.14'), catalog), 'absent', 'serving-6733 is fixed in 0.14');
  t.equal(expectedOn(b, R('1.20'), catalog), 'absent', 'its own fix');
  t.end();
});

t.test('the seed budget on a release affected only through a shared symptom is the larger N of the two bugs', (t) => {
  const b = bug('serving-15889');
  const other = bug('serving-6733');
  t.equal(seedBudget(b, R('0.13'), { quick: true, catalog }), Math.max(b.expectation.ci.reproducesWithin, other.expectation.ci.reproducesWithin));
  t.equal(seedBudget(b, R('1.17'), { quick: true, catalog }), b.expectation.ci.reproducesWithin, 'its own range: its own N');
  t.equal(seedBudget(b, R('0.14'), { quick: false, catalog }), b.expectation.absentIn, 'absent: its M');
  t.end();
});

t.test('regress skips a release before scenarioFrom and says why', async (t) => {
  const b = bug('serving-14200');
  t.equal(b.scenarioFrom?.release, '0.8');
  t.notOk(scenarioApplies(b, R('0.7')));
  t.ok(scenarioApplies(b, R('0.8')));
  const pool = new SeedPool({ threads: 0 });
  const result = await runRegress([b], R('0.7'), { pool, quick: true, catalog });
  t.same(result.results, [], 'nothing ran');
  t.equal(result.skipped.length, 1);
  t.match(result.skipped[0].reason, /^the scenario means something from 0\.8 on: .*target-burst-capacity/s);
  t.same(result.mismatches, []);
});

t.test('a development snapshot after a bug\'s range and before its fix has the bug unless it carries the fix', (t) => {
  t.ok(expectedOn(bug('serving-8539'), R('0.17-dev')) === 'reproduces', '0.17-dev (0.16 plus #8403 and #8569) lacks the 0.17 fix of serving-8539');
  t.equal(expectedOn(bug('serving-8539'), R('0.16')), 'reproduces', 'its last tagged affected release');
  t.equal(expectedOn(bug('serving-8539'), R('0.18-dev')), 'absent', '0.18-dev comes after the 0.17 release with the fix');
  t.equal(expectedOn(bug('serving-9245'), R('0.18-dev')), 'reproduces', 'a bug that only a snapshot had');
  t.equal(expectedOn(bug('serving-9245'), R('0.18')), 'absent');
  t.end();
});
