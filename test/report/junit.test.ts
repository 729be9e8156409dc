import t from 'tap';
import { toJUnitXml } from '../../src/report/junit.js';
import { failingRun, passingRun, scenarioResult } from './history-builder.js';
import { findAll, parseXml, textOf } from './xml-check.js';

t.test('JUnit: one suite per scenario result, one case per seed, failures with violations and the replay', async (t) => {
  const a = scenarioResult([passingRun(1), failingRun(2), failingRun(3)]);
  const b = scenarioResult([passingRun(1)], { scenario: 'activator-restart', bug: null, knative: '1.20', wallMs: 2500 });
  const xml = toJUnitXml([a, b]);
  t.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
  const doc = parseXml(xml);
  t.equal(doc.name, 'testsuites');
  t.same([doc.attrs.name, doc.attrs.tests, doc.attrs.failures], ['sleeveless', '4', '2']);
  const suites = findAll(doc, 'testsuite');
  t.same(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures]), [
    ['scale-to-zero (knative-serving-8390)', '3', '2'],
    ['activator-restart', '1', '0'],
  ]);
  t.equal(suites[1].attrs.time, '2.500');
  const props = findAll(suites[0], 'property').map((p) => `${p.attrs.name}=${p.attrs.value}`);
  t.same(props, ['scenario=scale-to-zero', 'bug=knative-serving-8390', 'knative=1.11', 'backend=sim']);
  const cases = findAll(suites[0], 'testcase');
  t.same(cases.map((c) => c.attrs.name), ['seed 1 (knative 1.11)', 'seed 2 (knative 1.11)', 'seed 3 (knative 1.11)']);
  t.same(cases.map((c) => c.attrs.classname), ['scale-to-zero', 'scale-to-zero', 'scale-to-zero']);
  t.equal(cases[0].attrs.time, '0.512');
  t.equal(findAll(cases[0], 'failure').length, 0);
  const failure = findAll(cases[1], 'failure')[0];
  t.equal(failure.attrs.type, 'no-failed-requests');
  t.match(failure.attrs.message, /^no-failed-requests: request 1203 .* got 503/);
  const body = textOf(failure);
  t.match(body, 'no-failed-requests at 3m12.5s: request 1203');
  t.match(body, 'objects: Revision default/hello-00001, ServerlessService default/hello-00001');
  t.match(body, 'seed 2, Knative 1.11, backend sim, trace deadbeef2');
  t.match(body, 're-run: sleeveless replay scale-to-zero:2:1.11:BwQx');
  t.equal(toJUnitXml([a, b], { name: 'regress' }).includes('<testsuites name="regress"'), true);
});

t.test('JUnit escapes markup, quotes and control characters in every field and stays well-formed', async (t) => {
  const run = failingRun(9);
  const hostile = `<b>"x" & 'y'</b>\u0000\u0007\u001b]]>`;
  run.violations[0] = { oracle: `o<${hostile}`, reason: `r ${hostile}\nsecond line`, atMs: 1, objects: [`Revision ns/${hostile}`] };
  run.replay = hostile;
  const result = scenarioResult([run], { scenario: hostile, bug: hostile, knative: hostile });
  const doc = parseXml(toJUnitXml([result], { name: hostile }));
  const visible = `<b>"x" & 'y'</b>\\u0000\\u0007\\u001b]]>`;
  t.equal(doc.attrs.name, visible, 'the decoded name shows the control characters as escapes');
  const testcase = findAll(doc, 'testcase')[0];
  t.equal(testcase.attrs.classname, visible);
  const failure = findAll(doc, 'failure')[0];
  t.equal(failure.attrs.message, `o<${visible}: r ${visible}\nsecond line`, 'newline kept in the attribute through &#10;');
  t.match(textOf(failure), `re-run: sleeveless replay ${visible}`);
});

t.test('JUnit of no results is an empty, well-formed testsuites element', async (t) => {
  const doc = parseXml(toJUnitXml([]));
  t.same([doc.attrs.tests, doc.attrs.failures, doc.children.length], ['0', '0', 0]);
});
