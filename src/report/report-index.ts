// The index page of a report directory: the scenario's verdict and one row per seed linking to its
// page and history. Self-contained like the per-seed pages.

import { formatDurationMs } from '../knative/config/duration.js';
import type { ScenarioResult } from '../scenario/result.js';
import { escapeMarkup } from './escape-markup.js';
import { pageStart } from './report-style.js';

/** File names inside a report directory, shared by the writer and the index. */
export const reportFiles = {
  html: (seed: number): string => `report-seed-${seed}.html`,
  history: (seed: number): string => `history-seed-${seed}.json`,
  index: 'index.html',
} as const;

const esc = (text: string): string => escapeMarkup(text);

export function renderReportIndex(result: ScenarioResult): string {
  const failed = result.runs.filter((r) => r.verdict === 'fail').length;
  const rows = result.runs.map((run) => {
    const first = run.violations[0];
    const why = first === undefined ? '' : `${esc(first.oracle)}: ${esc(first.reason)}`;
    return [
      '<tr>',
      `<td><a href="${esc(reportFiles.html(run.seed))}">seed ${run.seed}</a></td>`,
      `<td><span class="verdict ${run.verdict}">${run.verdict === 'pass' ? 'PASS' : 'FAIL'}</span></td>`,
      `<td><code>${esc(run.traceHash)}</code></td>`,
      `<td>${esc(formatDurationMs(run.simulatedMs))}</td>`,
      `<td>${run.events}</td>`,
      `<td>${Math.round(run.wallMs)} ms</td>`,
      `<td>${why}</td>`,
      `<td><a href="${esc(reportFiles.history(run.seed))}">JSON</a></td>`,
      '</tr>',
    ].join('');
  });
  const bug = result.bug === null ? '' : ` — bug ${esc(result.bug)}`;
  const title = `sleeveless — ${result.scenario} — ${result.verdict === 'pass' ? 'PASS' : 'FAIL'}`;
  return [
    ...pageStart(esc(title)),
    `<h1>${esc(result.scenario)}${bug}</h1>`,
    `<p><span class="verdict ${result.verdict}">${result.verdict === 'pass' ? 'PASS' : 'FAIL'}</span> ${failed} of ${result.runs.length} seeds failed on Knative ${esc(result.knative)} (backend ${esc(result.backend)}), ${Math.round(result.wallMs)} ms wall.</p>`,
    '<table>',
    '<tr><th>seed</th><th>verdict</th><th>trace hash</th><th>simulated</th><th>events</th><th>wall</th><th>first violation</th><th>history</th></tr>',
    ...rows,
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
