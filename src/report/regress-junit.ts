// JUnit XML for `sleeveless regress`: one <testsuite> for the release and one <testcase> per
// catalogued bug, failing when what the runs observed differs from what the catalog expects on that
// release (or a run could not complete). Skipped bugs (needing a real cluster) are <skipped/>.

import type { RegressResult } from '../cli/regress.js';
import { formatDurationMs } from '../knative/config/duration.js';
import { escapeMarkup } from './escape-markup.js';

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

export function regressJUnit(result: RegressResult): string {
  const cases: string[] = [];
  for (const r of result.results) {
    const name = escapeMarkup(`${r.id}: expected ${r.expected} on ${result.knative}`);
    const open = `    <testcase name="${name}" classname="regress.knative-${escapeMarkup(result.knative)}" time="${seconds(r.wallMs)}"`;
    const mismatch = r.observed !== r.expected || r.error !== undefined;
    if (!mismatch) {
      cases.push(`${open}/>`);
      continue;
    }
    const lines = [r.error !== undefined ? `run error: ${r.error}` : `expected ${r.expected}, observed ${r.observed} after ${r.seedsTried} seed(s)`];
    for (const v of r.failure?.violations ?? []) lines.push(`${v.oracle} at ${formatDurationMs(v.atMs)}: ${v.reason}`);
    if (r.failure !== undefined) lines.push(`re-run: sleeveless replay ${r.failure.replay}`);
    cases.push(`${open}>`, `      <failure message="${escapeMarkup(lines[0])}" type="regression">${escapeMarkup(lines.join('\n'), { keepNewlines: true })}</failure>`, '    </testcase>');
  }
  for (const s of result.skipped) {
    cases.push(`    <testcase name="${escapeMarkup(`${s.id}: needs a real cluster`)}" classname="regress.knative-${escapeMarkup(result.knative)}" time="0.000">`,
      `      <skipped message="${escapeMarkup(s.reason)}"/>`, '    </testcase>');
  }
  const tests = result.results.length + result.skipped.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sleeveless regress" tests="${tests}" failures="${result.mismatches.length}" time="${seconds(result.wallMs)}">`,
    `  <testsuite name="${escapeMarkup(`regress knative ${result.knative}`)}" tests="${tests}" failures="${result.mismatches.length}" skipped="${result.skipped.length}" time="${seconds(result.wallMs)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
