import t from 'tap';
import { formatJsonResult } from '../../src/report/json-result.js';
import type { ScenarioResult } from '../../src/scenario/result.js';
import { failingRun, passingRun, scenarioResult } from './history-builder.js';

t.test('formatJsonResult prints the result with its documented key order, parseable back to the same value', async (t) => {
  const result = scenarioResult([passingRun(1), failingRun(2)]);
  // Built in another key order, as a runner might.
  const shuffled = Object.fromEntries(Object.entries(result).reverse()) as unknown as ScenarioResult;
  const text = formatJsonResult(shuffled);
  t.same(JSON.parse(text), result);
  t.same(Object.keys(JSON.parse(text) as object), ['scenario', 'bug', 'knative', 'backend', 'verdict', 'runs', 'wallMs']);
  t.same(Object.keys((JSON.parse(text) as ScenarioResult).runs[1]), ['seed', 'verdict', 'traceHash', 'replay', 'violations', 'simulatedMs', 'events', 'wallMs']);
  t.equal(text, formatJsonResult(result), 'same text whatever the key order it was built in');
  t.ok(text.endsWith('}\n'));
});
