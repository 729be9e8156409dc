// Bug files load with their scenario (a file or inline) and every relation between their fields is
// checked: id and issue, switches and the release that fixed the bug, the affected range, and an
// expectation strict enough to tell fixed from affected.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { UpstreamFix } from '../../src/knative/versions.js';
import { listBugs, loadBug } from '../../src/scenario/load-bug.js';
import { ScenarioError } from '../../src/scenario/scenario-error.js';

const BUGS = join(import.meta.dirname, 'fixtures', 'bugs');
/** The switch the fixture bug names (the catalog's own switches are added with the bugs). */
const FIXES: UpstreamFix[] = [{ id: 'pr-8883', fixedInServingMinor: 17, summary: 'initial scale counts ready pods', files: ['pkg/reconciler/autoscaling/kpa/kpa.go'] }];

t.test('a fixed bug with a scenario file loads with derived URLs', (t) => {
  const bug = loadBug(join(BUGS, 'serving-8878.yaml'), { fixes: FIXES });
  t.equal(bug.id, 'serving-8878');
  t.same(bug.upstream, {
    issue: 8878, issueUrl: 'https://github.com/knative/serving/issues/8878',
    fixPr: 8883, fixPrUrl: 'https://github.com/knative/serving/pull/8883',
    commit: '7a4632e305', commitUrl: 'https://github.com/knative/serving/commit/7a4632e305',
  });
  t.same(bug.affected, { from: '0.8', to: '0.16' });
  t.equal(bug.fixedIn, '0.17', 'fixedIn: 0.17 (a YAML number) as written');
  t.same(bug.switches, ['pr-8883']);
  t.equal(bug.class, 'S');
  t.equal(bug.scenario.name, 'cold-start');
  t.same(bug.expectation, { reproducesWithin: 5, absentIn: 200, ci: { reproducesWithin: 5, absentIn: 20 } });
  t.end();
});

t.test('an open bug with an inline scenario: name from the id, manifests relative to the bug file', (t) => {
  const bug = loadBug(join(BUGS, 'serving-9999.yaml'), { fixes: FIXES });
  t.equal(bug.fixedIn, null);
  t.equal(bug.expectation.absentIn, null);
  t.equal(bug.scenario.name, 'serving-9999');
  t.equal(bug.scenario.durationMs, 300_000);
  t.same(bug.scenario.manifests.map((m) => m.object.kind), ['ConfigMap', 'Service']);
  t.end();
});

t.test('listBugs sorts by issue number', (t) => {
  t.same(listBugs(BUGS, { fixes: FIXES }).map((b) => b.id), ['serving-8878', 'serving-9999']);
  t.end();
});

const GOOD = `id: serving-8878
title: t
upstream: { issue: 8878, fixPr: 8883 }
components: [autoscaler]
class: S
mechanism: m
switches: [pr-8883]
affected: { from: "0.8", to: "0.16" }
fixedIn: "0.17"
scenario: { duration: 1m }
expectation: { reproducesWithin: 5, absentIn: 200, ci: { reproducesWithin: 5, absentIn: 20 } }
`;

const ROWS: { name: string; file?: string; yaml: string; line?: number; path: string; message: string | RegExp }[] = [
  { name: 'id differs from the file name', file: 'serving-1.yaml', yaml: GOOD, line: 1, path: 'id', message: 'must equal the file name, "serving-1"' },
  { name: 'id pattern', yaml: GOOD.replace('id: serving-8878', 'id: bug-8878'), line: 1, path: 'id', message: 'expected serving-<issue number>, got "bug-8878"' },
  { name: 'issue differs from the id', yaml: GOOD.replace('issue: 8878', 'issue: 8877'), line: 3, path: 'upstream.issue', message: '8877 does not match the id serving-8878' },
  { name: 'unknown switch', yaml: GOOD.replace('[pr-8883]', '[pr-8833]'), line: 7, path: 'switches[0]', message: 'unknown upstream fix switch "pr-8833" (did you mean "pr-8883"? known: pr-8883)' },
  { name: 'unknown release in the range', yaml: GOOD.replace('from: "0.8"', 'from: "0.10"'), line: 8, path: 'affected.from', message: /^no profile for Knative release "0.10"/ },
  { name: 'fixed in a release the range still covers', yaml: GOOD.replace('fixedIn: "0.17"', 'fixedIn: "0.16"'), line: 9, path: 'fixedIn', message: 'fixed in 0.16, yet affected up to 0.16' },
  { name: 'switch arrives in another release', yaml: GOOD.replace('fixedIn: "0.17"', 'fixedIn: "0.18"'), line: 9, path: 'fixedIn', message: 'the switches arrive in 0.17 (src/knative/versions.ts), not 0.18' },
  { name: 'absentIn too small', yaml: GOOD.replace('absentIn: 200,', 'absentIn: 40,'), line: 11, path: 'expectation.absentIn', message: 'must be at least 200 (200, and 10 times reproducesWithin)' },
  { name: 'fixed bug without absentIn', yaml: GOOD.replace('absentIn: 200, ', ''), line: 11, path: 'expectation', message: 'a fixed bug needs `absentIn`: the seeds in which it must not reproduce on a fixed release' },
  { name: 'unknown class', yaml: GOOD.replace('class: S', 'class: X'), line: 5, path: 'class', message: 'unknown bug class "X" (known: S, S+R, DP)' },
  { name: 'unknown bug field', yaml: `${GOOD}severity: high\n`, line: 12, path: 'severity', message: 'unknown field `severity`' },
  { name: 'open bug with a switch', yaml: GOOD.replace('fixedIn: "0.17"', 'fixedIn: null').replace('to: "0.16"', 'to: latest').replace('absentIn: 20 }', 'absentIn: 0 }'), line: 7, path: 'switches', message: 'an open bug (fixedIn: null) has no fix to switch on' },
  { name: 'inline scenario error located in the bug file', yaml: GOOD.replace('{ duration: 1m }', '{ duration: 1m, faults: [{ family: crash, component: autoscalr, at: 10s }] }'), line: 10, path: 'scenario.faults[0].component', message: /^unknown component "autoscalr"/ },
  { name: 'scenarioFrom after the first affected release', yaml: `${GOOD}scenarioFrom: { release: "0.9", why: w }\n`, line: 12, path: 'scenarioFrom.release', message: '0.9 is after the first affected release 0.8: the scenario must run where the bug is' },
  { name: 'scenarioFrom without why', yaml: `${GOOD}scenarioFrom: { release: "0.8" }\n`, line: 12, path: 'scenarioFrom', message: /why/ },
  { name: 'sharesSymptomWith names the bug itself', yaml: `${GOOD}sharesSymptomWith: [{ bug: serving-8878, why: w }]\n`, line: 12, path: 'sharesSymptomWith[0].bug', message: 'names this bug itself' },
  { name: 'sharesSymptomWith with a malformed id', yaml: `${GOOD}sharesSymptomWith: [{ bug: bug-1, why: w }]\n`, line: 12, path: 'sharesSymptomWith[0].bug', message: /^expected a bug id such as serving-6935/ },
  { name: 'missing scenario file', yaml: GOOD.replace('{ duration: 1m }', 'missing.yaml'), line: 10, path: 'scenario', message: /^no such file: .*missing\.yaml$/ },
];

t.test('bad bug files: each error names the file, line and field', (t) => {
  const dir = t.testdir({});
  for (const row of ROWS) {
    t.test(row.name, (t) => {
      const file = join(dir, row.file ?? 'serving-8878.yaml');
      writeFileSync(file, row.yaml);
      try {
        loadBug(file, { fixes: FIXES });
        t.fail('expected a ScenarioError');
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        const issue = error.issues[0];
        t.equal(issue.file, file);
        t.equal(issue.line, row.line, `line (${error.format()})`);
        t.equal(issue.path, row.path);
        if (typeof row.message === 'string') t.equal(issue.message, row.message);
        else t.match(issue.message, row.message);
      }
      t.end();
    });
  }
  t.end();
});

t.test('listBugs checks sharesSymptomWith against the catalog and loads the two new fields', (t) => {
  const dir = t.testdir({});
  const other = GOOD.replace(/8878/g, '8880');
  writeFileSync(join(dir, 'serving-8880.yaml'), other);
  writeFileSync(join(dir, 'serving-8878.yaml'), `${GOOD}scenarioFrom: { release: "0.8", why: needs initial scale }\nsharesSymptomWith: [{ bug: serving-8880, why: same symptom }]\n`);
  const bugs = listBugs(dir, { fixes: FIXES });
  t.same(bugs[0].scenarioFrom, { release: '0.8', why: 'needs initial scale' });
  t.same(bugs[0].sharesSymptomWith, [{ bug: 'serving-8880', why: 'same symptom' }]);
  writeFileSync(join(dir, 'serving-8878.yaml'), `${GOOD}sharesSymptomWith: [{ bug: serving-8881, why: same symptom }]\n`);
  try {
    listBugs(dir, { fixes: FIXES });
    t.fail('expected a ScenarioError');
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    t.equal(error.issues[0].path, 'sharesSymptomWith[0].bug');
    t.equal(error.issues[0].line, 12);
    t.match(error.issues[0].message, /unknown catalogued bug "serving-8881".*serving-8880/);
  }
  t.end();
});
