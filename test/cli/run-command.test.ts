import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { main } from '../../src/cli/main.js';

/** Runs the command in-process and captures what it prints. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (x) => void out.push(x), err: (x) => void err.push(x), colour: false, stderr: { write: () => true } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

t.test('run a catalogued bug on an affected release: exit 1, the violation, the seed and a replay string that re-runs it with the same hash', async (t) => {
  const r = await run(['run', 'serving-8878', '--seed', '2']);
  t.equal(r.code, 1);
  t.match(r.out, /seed 2\s+FAIL/);
  t.match(r.out, /scales-to-zero-within at \d+m[\d.]+s: Revision default\/hello-00001 was idle/);
  const replay = /sleeveless replay (sl1\.\S+)/.exec(r.out)?.[1];
  t.ok(replay, 'prints a replay string');
  const hash = /trace ([0-9a-f]{16})/.exec(r.out)?.[1];
  const again = await run(['replay', replay!, '--json']);
  t.equal(again.code, 1);
  const json = JSON.parse(again.out);
  t.equal(json.runs[0].traceHash, hash, 'the replay has the same trace hash');
  t.equal(json.runs[0].seed, 2);
  t.equal(json.knative, '0.17-dev');
  t.equal(json.bug, 'serving-8878');
});

t.test('run --json on a fixed release: exit 0, the documented result object, and the same JSON for the same seed (wall time aside)', async (t) => {
  const a = await run(['run', 'serving-8878', '--knative', '0.17', '--seed', '3', '--json']);
  t.equal(a.code, 0, a.err);
  const ra = JSON.parse(a.out);
  t.match(ra, { scenario: 'serving-8878', bug: 'serving-8878', knative: '0.17', backend: 'sim', verdict: 'pass' });
  t.equal(ra.runs.length, 1);
  t.match(ra.runs[0], { seed: 3, verdict: 'pass', violations: [] });
  t.match(ra.runs[0].traceHash, /^[0-9a-f]{16}$/);
  t.match(ra.runs[0].replay, /^sl1\./);
  t.type(ra.wallMs, 'number');
  const rb = JSON.parse((await run(['run', 'serving-8878', '--knative', '0.17', '--seed', '3', '--json'])).out);
  const strip = (r: { wallMs?: number; runs: { wallMs?: number }[] }): unknown => ({ ...r, wallMs: 0, runs: r.runs.map((x) => ({ ...x, wallMs: 0 })) });
  t.same(strip(rb), strip(ra));
});

t.test('run --junit and --report write JUnit XML and the HTML report with its history', async (t) => {
  const dir = t.testdir();
  const junit = join(dir, 'out.xml');
  const report = join(dir, 'report');
  const r = await run(['run', 'scenarios/serving-8878.yaml', '--seeds', '2', '--junit', junit, '--report', report]);
  t.equal(r.code, 1);
  const xml = readFileSync(junit, 'utf8');
  t.match(xml, /<testsuite [^>]*tests="2"[^>]*failures="2"/);
  t.ok(existsSync(join(report, 'index.html')));
  t.match(readFileSync(join(report, 'report-seed-1.html'), 'utf8'), /<svg/);
  const history = JSON.parse(readFileSync(join(report, 'history-seed-1.json'), 'utf8'));
  t.ok(history.series.length > 100 && history.objects.length > 10, 'the history has series and objects');
});

t.test('bad input exits 2 and names the file, line and field; nothing runs', async (t) => {
  const dir = t.testdir({ 'bad.yaml': 'duration: 2m\nfaults:\n  - family: crash\n    component: autoscalr\n    at: 1m\n' });
  const r = await run(['run', join(dir, 'bad.yaml')]);
  t.equal(r.code, 2);
  t.match(r.err, /bad\.yaml:4:\d+: faults\[0\]\.component: unknown component "autoscalr"/);
  t.equal(r.out, '', 'nothing ran');
  const release = await run(['run', 'serving-8878', '--knative', '7.7']);
  t.equal(release.code, 2);
  t.match(release.err, /--knative: no profile for Knative release "7.7"/);
  const unknown = await run(['run', 'serving-1']);
  t.equal(unknown.code, 2);
  t.match(unknown.err, /"serving-1" is neither a scenario file nor a catalogued bug or scenario; known: .*serving-8878/);
  const both = await run(['run', 'serving-8878', '--seed', '1', '--seeds', '2']);
  t.equal(both.code, 2);
});

t.test('replay refuses a damaged string and a scenario that changed since the string was made', async (t) => {
  const damaged = await run(['replay', 'sl1.!!!']);
  t.equal(damaged.code, 2);
  t.match(damaged.err, /damaged/);
  const dir = t.testdir();
  const file = join(dir, 'scenario.yaml');
  const text = readFileSync('scenarios/serving-8878.yaml', 'utf8');
  writeFileSync(file, text);
  const first = await run(['run', file, '--seed', '1']);
  const replay = /sleeveless replay (sl1\.\S+)/.exec(first.out)![1];
  writeFileSync(file, text.replace('within: 3m', 'within: 4m'));
  const changed = await run(['replay', replay]);
  t.equal(changed.code, 2);
  t.match(changed.err, /changed since this replay string was made/);
});

t.test('list and show describe the catalog', async (t) => {
  const list = await run(['list', '--json']);
  t.equal(list.code, 0);
  const l = JSON.parse(list.out);
  t.ok(l.bugs.some((b: { id: string }) => b.id === 'serving-5327'));
  t.ok(l.scenarios.some((s: { name: string }) => s.name === 'cold-start'));
  const show = await run(['show', 'serving-5327']);
  t.equal(show.code, 0);
  t.match(show.out, /serving-5327: SKS goes to Serve mode when the autoscaler restarts/);
  t.match(show.out, /https:\/\/github\.com\/knative\/serving\/issues\/5327/);
  t.match(show.out, /fault autoscaler-restart: crash at 2m0s/);
});
