// Bad input in a scenario or bug file: every problem found, each located at a file, line and field,
// so a person can fix them all in one go. `sleeveless` prints `format()` and exits with `exitCode`.

export interface ScenarioIssue {
  /** The file as the user named it (relative paths stay relative). */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** The field, as a person writes it: `faults[0].component`; empty for the whole file. */
  path: string;
  message: string;
}

/** At most this many issues are kept: past that, the rest are usually consequences of the first ones. */
export const MAX_ISSUES = 20;

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  /** Bad input: the command line's exit code for it. */
  readonly exitCode = 2;
  readonly issues: readonly ScenarioIssue[];
  /** How many issues were found beyond MAX_ISSUES. */
  readonly omitted: number;

  constructor(issues: readonly ScenarioIssue[]) {
    const kept = issues.slice(0, MAX_ISSUES);
    super(kept.length === 0 ? 'invalid scenario' : formatIssue(kept[0]));
    this.issues = kept;
    this.omitted = issues.length - kept.length;
  }

  /** One line per issue: `scenarios/x.yaml:12:5: faults[0].component: unknown component "autoscalr" (...)`. */
  format(): string {
    const lines = this.issues.map(formatIssue);
    if (this.omitted > 0) lines.push(`... and ${this.omitted} more`);
    return lines.join('\n');
  }
}

export function formatIssue(issue: ScenarioIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`;
  return issue.path === '' ? `${where}: ${issue.message}` : `${where}: ${issue.path}: ${issue.message}`;
}
