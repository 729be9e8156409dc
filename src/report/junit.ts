// JUnit XML for CI systems (GitLab, Jenkins, GitHub test reporters): one <testsuite> per scenario
// result and one <testcase> per seed. A failing seed carries a <failure> whose message is its first
// violation and whose body lists every violation and the command that re-runs it. The layout follows
// the de-facto schema the Ant JUnit task and Maven Surefire write (properties before testcases,
// time in seconds).

import { formatDurationMs } from '../knative/config/duration.js';
import type { RunResult, ScenarioResult } from '../scenario/result.js';
import { escapeMarkup } from './escape-markup.js';

export interface JUnitOptions {
  /** The <testsuites> name. Default `sleeveless`. */
  name?: string;
}

const attr = (text: string): string => escapeMarkup(text);
const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

function suiteName(result: ScenarioResult): string {
  return result.bug === null ? result.scenario : `${result.scenario} (${result.bug})`;
}

function failureBody(run: RunResult, result: ScenarioResult): string {
  const lines: string[] = [];
  for (const v of run.violations) {
    lines.push(`${v.oracle} at ${formatDurationMs(v.atMs)}: ${v.reason}`);
    if (v.objects.length > 0) lines.push(`  objects: ${v.objects.join(', ')}`);
  }
  if (run.violations.length === 0) lines.push('failed without a recorded violation');
  lines.push('', `seed ${run.seed}, Knative ${result.knative}, backend ${result.backend}, trace ${run.traceHash}`);
  lines.push(`re-run: sleeveless replay ${run.replay}`);
  return lines.join('\n');
}

function testcase(run: RunResult, result: ScenarioResult): string[] {
  const open = `    <testcase name="${attr(`seed ${run.seed} (knative ${result.knative})`)}" classname="${attr(result.scenario)}" time="${seconds(run.wallMs)}"`;
  if (run.verdict === 'pass') return [`${open}/>`];
  const first = run.violations[0];
  const message = first === undefined ? 'failed' : `${first.oracle}: ${first.reason}`;
  const type = first === undefined ? 'failure' : first.oracle;
  return [
    `${open}>`,
    `      <failure message="${attr(message)}" type="${attr(type)}">${escapeMarkup(failureBody(run, result), { keepNewlines: true })}</failure>`,
    '    </testcase>',
  ];
}

function property(name: string, value: string): string {
  return `      <property name="${attr(name)}" value="${attr(value)}"/>`;
}

function testsuite(result: ScenarioResult): string[] {
  const failures = result.runs.filter((r) => r.verdict === 'fail').length;
  const lines = [
    `  <testsuite name="${attr(suiteName(result))}" tests="${result.runs.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(result.wallMs)}">`,
    '    <properties>',
    property('scenario', result.scenario),
    ...(result.bug === null ? [] : [property('bug', result.bug)]),
    property('knative', result.knative),
    property('backend', result.backend),
    '    </properties>',
  ];
  for (const run of result.runs) lines.push(...testcase(run, result));
  lines.push('  </testsuite>');
  return lines;
}

/** A JUnit XML document (ending with a newline) with one test suite per scenario result. */
export function toJUnitXml(results: readonly ScenarioResult[], options: JUnitOptions = {}): string {
  const tests = results.reduce((n, r) => n + r.runs.length, 0);
  const failures = results.reduce((n, r) => n + r.runs.filter((run) => run.verdict === 'fail').length, 0);
  const wallMs = results.reduce((n, r) => n + r.wallMs, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(options.name ?? 'sleeveless')}" tests="${tests}" failures="${failures}" errors="0" time="${seconds(wallMs)}">`,
  ];
  for (const result of results) lines.push(...testsuite(result));
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
