// The self-contained HTML page of one run: verdict and how to re-run it, the violations, per
// revision the pods, concurrency and SKS mode over time, the requests by status class with p99
// latency, a timeline of faults, component events and Knative condition changes, and counts of the
// object events and writes. Inline CSS and inline SVG only: no scripts, no external resources, so it
// opens from a CI artifact as it is. Every string that comes from the history or the result is
// escaped. The page is a pure function of its input (no timestamps of its own).

import { formatDurationMs } from '../knative/config/duration.js';
import type { History } from '../scenario/history.js';
import type { RunResult } from '../scenario/result.js';
import { componentLanes } from './component-lanes.js';
import { conditionLaneGroups } from './condition-lanes.js';
import { escapeMarkup } from './escape-markup.js';
import { faultLanes } from './fault-lanes.js';
import { pageStart } from './report-style.js';
import { renderRequestsChart } from './requests-chart.js';
import { renderRevisionCharts } from './revision-charts.js';
import { renderSwimlanes } from './swimlanes.js';
import { TimeAxis } from './time-axis.js';

export interface ReportScenario {
  name: string;
  description?: string;
  knative: string;
  bug?: string | null;
}

export interface HtmlReportInput {
  history: History;
  run: RunResult;
  scenario: ReportScenario;
  /** A relative link to the history JSON written next to the page, if any. */
  historyHref?: string;
  /** A relative link back to the index of all seeds, if any. */
  indexHref?: string;
}

const esc = (text: string): string => escapeMarkup(text);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function fact(name: string, valueHtml: string): string {
  return `<dt>${esc(name)}</dt><dd>${valueHtml}</dd>`;
}

function headerSection(input: HtmlReportInput): string {
  const { run, scenario, history } = input;
  const bug = scenario.bug === undefined || scenario.bug === null ? '' : ` — bug ${esc(scenario.bug)}`;
  const facts = [
    fact('verdict', `<span class="verdict ${run.verdict}">${run.verdict === 'pass' ? 'PASS' : 'FAIL'}</span>`),
    fact('seed', String(run.seed)),
    fact('Knative release', esc(scenario.knative)),
    fact('backend', esc(history.backend)),
    fact('trace hash', `<code>${esc(run.traceHash)}</code>`),
    fact('simulated time', esc(formatDurationMs(run.simulatedMs))),
    fact('events', String(run.events)),
    fact('wall time', `${Math.round(run.wallMs)} ms`),
    fact('requests', String(history.requests.length)),
  ];
  const links: string[] = [];
  if (input.indexHref !== undefined) links.push(`<a href="${esc(input.indexHref)}">all seeds</a>`);
  if (input.historyHref !== undefined) links.push(`<a href="${esc(input.historyHref)}">history JSON</a>`);
  return [
    `<header><h1>${esc(scenario.name)}${bug}</h1>`,
    scenario.description === undefined ? '' : `<p>${esc(scenario.description)}</p>`,
    `<dl class="facts">${facts.join('')}</dl>`,
    `<p>Re-run exactly this run:</p><pre class="replay">sleeveless replay ${esc(run.replay)}</pre>`,
    links.length === 0 ? '' : `<p>${links.join(' · ')}</p>`,
    '</header>',
  ].join('\n');
}

function violationsSection(run: RunResult): string {
  if (run.violations.length === 0) return '<h2>Violations</h2><p class="empty">None: every oracle held.</p>';
  const items = run.violations.map((v) => {
    const objects = v.objects.length === 0 ? '' : `<div class="objects">${v.objects.map((o) => `<code>${esc(o)}</code>`).join(', ')}</div>`;
    return `<li><span class="oracle">${esc(v.oracle)}</span> at <code>${esc(formatDurationMs(v.atMs))}</code>: ${esc(v.reason)}${objects}</li>`;
  });
  return `<h2>Violations</h2><ul class="violations">${items.join('')}</ul>`;
}

function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const head = `<tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? c : esc(c)}</td>`).join('')}</tr>`);
  return `<table>${head}${body.join('')}</table>`;
}

function objectEventsTable(history: History): string {
  const counts = new Map<string, { kind: string; apiVersion: string; ADDED: number; MODIFIED: number; DELETED: number }>();
  for (const e of history.objects) {
    const key = `${e.kind}|${e.apiVersion}`;
    let row = counts.get(key);
    if (row === undefined) {
      row = { kind: e.kind, apiVersion: e.apiVersion, ADDED: 0, MODIFIED: 0, DELETED: 0 };
      counts.set(key, row);
    }
    row[e.type] += 1;
  }
  if (counts.size === 0) return '<p class="empty">No object events.</p>';
  const rows = [...counts.values()]
    .sort((a, b) => cmp(a.kind, b.kind) || cmp(a.apiVersion, b.apiVersion))
    .map((r) => [r.kind, r.apiVersion, r.ADDED, r.MODIFIED, r.DELETED, r.ADDED + r.MODIFIED + r.DELETED]);
  return table(['kind', 'apiVersion', 'added', 'modified', 'deleted', 'total'], rows);
}

function writesTable(history: History): string {
  const counts = new Map<string, { accepted: number; conflicts: number; refused: number }>();
  for (const w of history.writes) {
    let row = counts.get(w.component);
    if (row === undefined) {
      row = { accepted: 0, conflicts: 0, refused: 0 };
      counts.set(w.component, row);
    }
    if (w.code >= 200 && w.code < 300) row.accepted += 1;
    else if (w.code === 409) row.conflicts += 1;
    else row.refused += 1;
  }
  if (counts.size === 0) return '<p class="empty">No writes recorded.</p>';
  const rows = [...counts.entries()].sort(([a], [b]) => cmp(a, b)).map(([c, r]) => [c, r.accepted, r.conflicts, r.refused]);
  return table(['component', 'accepted', '409 conflict', 'other errors'], rows);
}

/** The report page as one string of HTML (also well-formed XML). */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { history, run, scenario } = input;
  const axis = new TimeAxis(Math.max(history.endMs, run.simulatedMs));
  const laneGroups = [
    { title: 'Faults', lanes: faultLanes(history.faults, axis.endMs) },
    { title: 'Components', lanes: componentLanes(history.components, axis.endMs) },
    ...conditionLaneGroups(history.objects, axis.endMs),
  ];
  const hasTimeline = laneGroups.some((g) => g.lanes.length > 0);
  const title = `sleeveless — ${scenario.name} — seed ${run.seed} — ${run.verdict === 'pass' ? 'PASS' : 'FAIL'}`;
  return [
    ...pageStart(esc(title)),
    headerSection(input),
    violationsSection(run),
    '<h2>Revisions</h2>',
    renderRevisionCharts(axis, history.series),
    '<h2>Requests</h2>',
    history.requests.length === 0 ? '<p class="empty">No requests in this history.</p>' : renderRequestsChart(axis, history.requests),
    '<h2>Timeline</h2>',
    hasTimeline ? renderSwimlanes(axis, laneGroups) : '<p class="empty">No faults, component events or Knative conditions in this history.</p>',
    '<h2>Object events</h2>',
    objectEventsTable(history),
    '<h2>Writes</h2>',
    writesTable(history),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
