import t from 'tap';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { buildHistory, emptyHistory, failingRun, passingRun } from './history-builder.js';
import { findAll, parseXml, textOf, type XmlElement } from './xml-check.js';

const scenario = { name: 'scale-to-zero', description: 'Scale to zero and back.', knative: '1.11', bug: 'knative-serving-8390' };

function svgTitles(svg: XmlElement): string[] {
  return findAll(svg, 'title').map(textOf);
}

t.test('HTML report: header, violations, a chart per revision series group, requests, timeline and tables', async (t) => {
  const history = buildHistory();
  const html = renderHtmlReport({ history, run: failingRun(7), scenario });
  const doc = parseXml(html);
  t.equal(doc.name, 'html');
  const body = textOf(doc);
  t.match(body, 'FAIL');
  t.match(body, 'sleeveless replay scale-to-zero:7:1.11:BwQx');
  t.match(body, 'deadbeef7');
  t.match(body, 'no-failed-requests');
  t.match(body, '3m12.5s');
  t.match(body, 'Scale to zero and back.');
  const svgs = findAll(doc, 'svg');
  // Revision: pods chart, concurrency chart, mode band; then requests; then the timeline.
  t.equal(svgs.length, 5, 'one <svg> per chart');
  const [pods, load, band, requests, timeline] = svgs;
  t.same(findAll(pods, 'path').map((p) => textOf(p)), ['readyPods', 'pods', 'replicas', 'desiredScale']);
  t.same(findAll(load, 'path').map((p) => textOf(p)), ['inFlight', 'maxPodConcurrency', 'activatorQueue']);
  t.ok(svgTitles(band).includes('ServerlessService mode Serve') && svgTitles(band).includes('ServerlessService mode Proxy'), 'SKS mode segments');
  t.same(findAll(requests, 'path').map(textOf), ['2xx (1098)', '5xx (2)', 'p99 latency']);
  const lanes = svgTitles(timeline);
  t.ok(lanes.some((s) => s.startsWith('kill-autoscaler (crash) autoscaler pod autoscaler-7d9f-x2k: fired at 1m0s, healed at 1m15s')), 'fault bar');
  t.ok(lanes.some((s) => s.includes('cm-edit (configmap-change) config-autoscaler: fired at 2m30s, not healed by the end')), 'unhealed fault');
  t.ok(lanes.includes('autoscaler down (crashed) from 1m0s to 1m15s'), 'component down bar');
  t.ok(lanes.some((s) => s.startsWith('autoscaler leader at 1s')), 'leadership marker');
  t.ok(lanes.includes('Revision default/hello-00001 Active = False (NoTraffic: The target is not receiving traffic.) from 2m0s to 3m20s'), 'condition segment with reason');
  t.ok(lanes.includes('Service default/hello Ready = Unknown (RevisionMissing) from 0s to 4.1s'));
  t.notOk(lanes.some((s) => s.startsWith('Deployment')), 'only Knative kinds get condition lanes');
  const groups = findAll(timeline, 'text').filter((e) => e.attrs.class === 'group').map(textOf);
  t.same(groups, ['Faults', 'Components', 'Service default/hello', 'Revision default/hello-00001', 'PodAutoscaler default/hello-00001'],
    'a group per Knative object, Service first, after faults and components');
  const laneLabels = findAll(timeline, 'text').filter((e) => e.attrs.class === 'lane').map((e) => e.text);
  t.same(laneLabels, ['kill-autoscaler (crash)', 'cm-edit (configmap-change)', 'autoscaler', 'controller', 'Ready', 'Ready', 'Active', 'Ready'],
    'lanes: faults, components by name, then condition types with Ready first');
  const tables = findAll(doc, 'table');
  t.equal(tables.length, 2);
  const rows = findAll(tables[0], 'tr').map((r) => findAll(r, 'td').map(textOf));
  t.same(rows.find((r) => r[0] === 'Revision'), ['Revision', 'serving.knative.dev/v1', '1', '4', '0', '5']);
  const writes = findAll(tables[1], 'tr').map((r) => findAll(r, 'td').map(textOf));
  t.same(writes.slice(1), [['autoscaler', '1', '0', '0'], ['controller', '1', '1', '0']]);
});

t.test('HTML report loads nothing from elsewhere: no scripts, no http(s) URLs, no external references', async (t) => {
  const html = renderHtmlReport({ history: buildHistory(), run: passingRun(7), scenario, historyHref: 'history-seed-7.json' });
  t.notMatch(html, /https?:\/\//);
  t.notMatch(html, /<script|<link|<img|<iframe|@import|url\(/i);
  const hrefs = findAll(parseXml(html), 'a').map((a) => a.attrs.href);
  t.same(hrefs, ['history-seed-7.json'], 'the only link is the relative one we passed');
});

t.test('HTML report escapes hostile strings from the history and the result', async (t) => {
  const hostile = '<script>alert(1)</script>';
  const history = buildHistory({ revision: hostile, namespace: `ns"&'${hostile}` });
  history.faults[0].detail = hostile;
  history.components[0].component = hostile;
  const run = failingRun(7);
  run.violations[0].reason = hostile;
  run.replay = hostile;
  const html = renderHtmlReport({ history, run, scenario: { ...scenario, name: hostile, description: hostile } });
  t.notMatch(html, /<script/i, 'no raw script tag anywhere');
  t.match(html, '&lt;script&gt;alert(1)&lt;/script&gt;');
  const doc = parseXml(html);
  t.match(textOf(doc), `Revision ns"&'${hostile}/${hostile}`, 'the revision heading reads as the original text');
  t.ok(findAll(doc, 'title').some((e) => textOf(e).includes(`${hostile}: fired at 1m0s`)));
});

t.test('HTML report cuts long lane labels in the middle and keeps the whole name in the hover title', async (t) => {
  const history = buildHistory();
  history.components[4].component = 'kubelet/a-very-long-node-name-in-some-cluster-zone-b-17';
  const doc = parseXml(renderHtmlReport({ history, run: passingRun(7), scenario }));
  const label = findAll(doc, 'text').find((e) => e.attrs.class === 'lane' && e.text.startsWith('kubelet/'));
  t.equal(label?.text, 'kubelet/a-very-l…cluster-zone-b-17');
  t.equal(textOf(findAll(label!, 'title')[0]), 'kubelet/a-very-long-node-name-in-some-cluster-zone-b-17');
});

t.test('HTML report of an empty history renders every section without throwing', async (t) => {
  const run = { ...passingRun(1), simulatedMs: 0 };
  const html = renderHtmlReport({ history: emptyHistory(), run, scenario: { name: 'empty', knative: '1.20' } });
  const doc = parseXml(html);
  const text = textOf(doc);
  t.match(text, 'No revision samples in this history.');
  t.match(text, 'No requests in this history.');
  t.match(text, 'No faults, component events or Knative conditions in this history.');
  t.match(text, 'No object events.');
  t.match(text, 'None: every oracle held.');
  t.notMatch(html, /NaN|Infinity|undefined/);
});

t.test('HTML report is deterministic and stays small on a long run: at most 2,000 points per chart', async (t) => {
  const history = buildHistory({ durationMs: 3 * 3600_000, rps: 20 });
  // Make the samples noisy so repeat-dropping alone cannot thin them.
  history.series = history.series.map((s, i) => ({ ...s, readyPods: i % 3, pods: (i * 7) % 5, inFlight: (i * 11) % 13 }));
  const input = { history, run: failingRun(7), scenario };
  const html = renderHtmlReport(input);
  t.equal(renderHtmlReport(input), html, 'same input, same page');
  const doc = parseXml(html);
  for (const svg of findAll(doc, 'svg').slice(0, 2)) {
    const points = findAll(svg, 'path').reduce((n, p) => n + (p.attrs.d.match(/[MV]/g) ?? []).length, 0);
    t.ok(points <= 2000, `chart has ${points} points`);
  }
  t.ok(html.length < 1_500_000, `page is ${html.length} bytes`);
  const requests = findAll(doc, 'svg')[3];
  t.match(textOf(requests), 'requests per 6s', 'buckets widen to keep at most 2,000');
});
