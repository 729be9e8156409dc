// Reports of a scenario run: the terminal summary and progress bar, the JSON result, JUnit XML and
// the self-contained HTML report with its index.
export { formatScenarioResult, type TerminalSummaryOptions } from './terminal-summary.js';
export { ProgressBar, type ProgressBarOptions, type ProgressStream, type ProgressTick } from './progress-bar.js';
export { formatJsonResult } from './json-result.js';
export { toJUnitXml, type JUnitOptions } from './junit.js';
export { renderHtmlReport, type HtmlReportInput, type ReportScenario } from './html-report.js';
export { renderReportIndex, reportFiles } from './report-index.js';
export { writeReport, writeReportIndex, type WrittenReport } from './write-report.js';
export { escapeMarkup } from './escape-markup.js';
export { formatDurationMs as formatDuration } from '../knative/config/duration.js';
export { regressJUnit } from './regress-junit.js';
