// The human summary of `sleeveless run`: which scenario ran on what, one line per seed, what each
// failing seed violated and the command that re-runs it, and the overall verdict. Chalk is used
// through an explicit instance so `color: false` gives plain text whatever the terminal supports.

import { Chalk, type ChalkInstance } from 'chalk';
import { formatDurationMs } from '../knative/config/duration.js';
import type { RunResult, ScenarioResult } from '../scenario/result.js';

export interface TerminalSummaryOptions {
  color: boolean;
}

// Text that came from a scenario or a history must not be able to move the cursor or recolour the
// terminal: control characters other than tab print as their escapes.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;

function plain(text: string): string {
  return text.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Wall time: whole milliseconds below ten seconds, Go-style durations above. */
function wall(ms: number): string {
  const whole = Math.round(ms);
  return whole < 10_000 ? `${whole}ms` : formatDurationMs(Math.round(whole / 100) * 100);
}

function verdictWord(c: ChalkInstance, verdict: 'pass' | 'fail'): string {
  return verdict === 'pass' ? c.green.bold('PASS') : c.red.bold('FAIL');
}

function runLine(c: ChalkInstance, run: RunResult, seedWidth: number): string {
  const fields = [
    `seed ${String(run.seed).padEnd(seedWidth)}`,
    verdictWord(c, run.verdict),
    `trace ${c.cyan(plain(run.traceHash))}`,
    `sim ${formatDurationMs(run.simulatedMs)}`,
    `${run.events} events`,
    `wall ${wall(run.wallMs)}`,
  ];
  return `  ${fields.join('  ')}`;
}

function failureBlock(c: ChalkInstance, run: RunResult, knative: string): string[] {
  const lines = [`  ${c.red(`seed ${run.seed} failed`)} on Knative ${plain(knative)}:`];
  if (run.violations.length === 0) lines.push(`    ${c.dim('(no violation recorded)')}`);
  for (const v of run.violations) {
    lines.push(`    ${c.red('✗')} ${c.bold(plain(v.oracle))} at ${formatDurationMs(v.atMs)}: ${plain(v.reason)}`);
    if (v.objects.length > 0) lines.push(`      ${c.dim('objects:')} ${v.objects.map(plain).join(', ')}`);
  }
  lines.push(`    re-run: ${c.bold(`sleeveless replay ${plain(run.replay)}`)}`);
  return lines;
}

function header(c: ChalkInstance, result: ScenarioResult): string {
  const parts = [`scenario ${plain(result.scenario)}`];
  if (result.bug !== null) parts.push(`bug ${plain(result.bug)}`);
  parts.push(`Knative ${plain(result.knative)}`, `backend ${result.backend}`);
  return c.bold(`sleeveless run — ${parts.join(', ')}`);
}

function verdictLine(c: ChalkInstance, result: ScenarioResult): string {
  const failed = result.runs.filter((r) => r.verdict === 'fail').length;
  const passed = result.runs.length - failed;
  const seeds = `${result.runs.length} seed${result.runs.length === 1 ? '' : 's'}`;
  const counts = failed > 0 ? `${failed} of ${seeds} failed, ${passed} passed` : `${seeds} passed`;
  return `${verdictWord(c, result.verdict)}  ${counts} in ${wall(result.wallMs)} wall`;
}

/** The summary `sleeveless run` prints, ending with a newline. */
export function formatScenarioResult(result: ScenarioResult, options: TerminalSummaryOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const seedWidth = Math.max(1, ...result.runs.map((r) => String(r.seed).length));
  const lines = [header(c, result)];
  for (const run of result.runs) lines.push(runLine(c, run, seedWidth));
  const failing = result.runs.filter((r) => r.verdict === 'fail');
  if (failing.length > 0) lines.push('');
  for (const run of failing) lines.push(...failureBlock(c, run, result.knative));
  lines.push('', verdictLine(c, result));
  return `${lines.join('\n')}\n`;
}
