import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import type { History } from '../../src/scenario/history.js';
import { writeReport, writeReportIndex } from '../../src/report/write-report.js';
import { buildHistory, failingRun, passingRun, scenarioResult } from './history-builder.js';
import { findAll, parseXml, textOf } from './xml-check.js';

const scenario = { name: 'scale-to-zero', knative: '1.11', bug: 'knative-serving-8390' };

t.test('writeReport creates the directory and writes the history JSON and the page per seed; the index links them', async (t) => {
  const dir = join(t.testdir(), 'reports', 'nested');
  const runs = [passingRun(1), failingRun(2)];
  const histories = new Map<number, History>();
  for (const run of runs) {
    const history = buildHistory({ seed: run.seed });
    histories.set(run.seed, history);
    const written = await writeReport(dir, { history, run, scenario });
    t.same(written, { htmlPath: join(dir, `report-seed-${run.seed}.html`), jsonPath: join(dir, `history-seed-${run.seed}.json`) });
  }
  const index = await writeReportIndex(dir, scenarioResult(runs));
  t.equal(index, join(dir, 'index.html'));
  t.same((await readdir(dir)).sort(), ['history-seed-1.json', 'history-seed-2.json', 'index.html', 'report-seed-1.html', 'report-seed-2.html']);

  const json = JSON.parse(await readFile(join(dir, 'history-seed-2.json'), 'utf8')) as History;
  t.same(json, JSON.parse(JSON.stringify(histories.get(2))), 'the JSON is the whole history');
  t.ok(json.objects.length > 0 && json.objects[0].object.metadata.name !== undefined, 'objects included');

  const page = parseXml(await readFile(join(dir, 'report-seed-2.html'), 'utf8'));
  t.same(findAll(page, 'a').map((a) => a.attrs.href), ['index.html', 'history-seed-2.json']);
  t.match(textOf(page), 'sleeveless replay scale-to-zero:2:1.11:BwQx');

  const indexDoc = parseXml(await readFile(index, 'utf8'));
  const links = findAll(indexDoc, 'a').map((a) => a.attrs.href);
  t.same(links, ['report-seed-1.html', 'history-seed-1.json', 'report-seed-2.html', 'history-seed-2.json']);
  const rows = findAll(indexDoc, 'tr').slice(1).map((r) => findAll(r, 'td').map(textOf));
  t.same(rows.map((r) => [r[0], r[1]]), [['seed 1', 'PASS'], ['seed 2', 'FAIL']]);
  t.match(rows[1][6], /^no-failed-requests: request 1203/);
  t.match(textOf(indexDoc), '1 of 2 seeds failed on Knative 1.11');
});
