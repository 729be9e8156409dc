// Writing a run's report to a directory: the history as JSON and the HTML page, per seed, so the
// command line can write each run's report as soon as it finishes (and drop the history), then the
// index once all seeds are done.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioResult } from '../scenario/result.js';
import { renderHtmlReport, type HtmlReportInput } from './html-report.js';
import { renderReportIndex, reportFiles } from './report-index.js';

export interface WrittenReport {
  htmlPath: string;
  jsonPath: string;
}

/**
 * Creates `dir` if needed and writes `history-seed-<seed>.json` and `report-seed-<seed>.html`.
 * The page links to the JSON next to it and to `index.html`.
 */
export async function writeReport(dir: string, input: Omit<HtmlReportInput, 'historyHref' | 'indexHref'>): Promise<WrittenReport> {
  await mkdir(dir, { recursive: true });
  const seed = input.run.seed;
  const jsonPath = join(dir, reportFiles.history(seed));
  const htmlPath = join(dir, reportFiles.html(seed));
  await writeFile(jsonPath, `${JSON.stringify(input.history)}\n`);
  await writeFile(htmlPath, renderHtmlReport({ ...input, historyHref: reportFiles.history(seed), indexHref: reportFiles.index }));
  return { htmlPath, jsonPath };
}

/** Writes `index.html` linking every seed's page; returns its path. */
export async function writeReportIndex(dir: string, result: ScenarioResult): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, reportFiles.index);
  await writeFile(path, renderReportIndex(result));
  return path;
}
