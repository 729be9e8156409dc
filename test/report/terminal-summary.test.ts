import t from 'tap';
import { formatScenarioResult } from '../../src/report/terminal-summary.js';
import { failingRun, passingRun, scenarioResult } from './history-builder.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

t.test('summary without colour: header, a line per seed, the failing seed violations and replay, the verdict', async (t) => {
  const text = formatScenarioResult(scenarioResult([passingRun(1), failingRun(2), passingRun(10)]), { color: false });
  t.notMatch(text, ANSI, 'no ANSI escape codes when color is false');
  const lines = text.split('\n');
  t.equal(lines[0], 'sleeveless run — scenario scale-to-zero, bug knative-serving-8390, Knative 1.11, backend sim');
  t.equal(lines[1], '  seed 1   PASS  trace a1b2c3d4e5f61  sim 5m0s  123456 events  wall 512ms');
  t.equal(lines[2], '  seed 2   FAIL  trace deadbeef2  sim 5m0s  98765 events  wall 1234ms');
  t.match(lines[3], /^ {2}seed 10 {2}PASS/, 'seeds are padded to one width');
  t.ok(lines.includes('  seed 2 failed on Knative 1.11:'), 'names the failing seed and release');
  t.ok(lines.includes('    ✗ no-failed-requests at 3m12.5s: request 1203 to hello.default.svc.cluster.local got 503 (no healthy upstream) while revision hello-00001 was routed'));
  t.ok(lines.includes('      objects: Revision default/hello-00001, ServerlessService default/hello-00001'));
  t.ok(lines.includes('    re-run: sleeveless replay scale-to-zero:2:1.11:BwQx'));
  t.equal(lines[lines.length - 2], 'FAIL  1 of 3 seeds failed, 2 passed in 2259ms wall');
  t.equal(text.endsWith('\n'), true);
  t.notMatch(text, /seed 1 failed|seed 10 failed/, 'passing seeds get no failure block');
});

t.test('summary of an all-passing result without a bug ends with PASS and the count', async (t) => {
  const text = formatScenarioResult(scenarioResult([passingRun(1)], { bug: null, wallMs: 75_250 }), { color: false });
  t.match(text, /^sleeveless run — scenario scale-to-zero, Knative 1\.11, backend sim\n/);
  t.notMatch(text, /re-run|bug/);
  t.match(text, /\nPASS {2}1 seed passed in 1m15.3s wall\n$/, 'long wall times print as durations');
});

t.test('summary with colour uses ANSI codes, and the same text once they are stripped', async (t) => {
  const result = scenarioResult([passingRun(1), failingRun(2)]);
  const coloured = formatScenarioResult(result, { color: true });
  t.match(coloured, ANSI);
  // eslint-disable-next-line no-control-regex
  t.equal(coloured.replace(/\u001b\[[0-9;]*m/g, ''), formatScenarioResult(result, { color: false }));
});

t.test('text from the result cannot drive the terminal: control characters print as escapes', async (t) => {
  const run = failingRun(3);
  run.violations[0].reason = 'evil \u001b[2J clear\nnext';
  const text = formatScenarioResult(scenarioResult([run]), { color: false });
  t.notMatch(text, ANSI);
  t.match(text, 'evil \\u001b[2J clear\\u000anext');
});
