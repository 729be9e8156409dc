// Turns schema-checked YAML values into the model's units (durations in ms, releases, distributions)
// and collects the problems only code can find, each located in the file it came from. Paths are
// relative to `base`: a scenario written inline in a bug file reads as `scenario.faults[0]...`.

import type { Distribution } from '../dataplane/distribution.js';
import { DurationSyntaxError, parseDurationMs } from '../knative/config/duration.js';
import { parseRelease, UnknownReleaseError } from '../knative/versions.js';
import type { ScenarioIssue } from './scenario-error.js';
import type { JsonSchema } from './json-schema.js';
import { checkSchema, isPlainObject, type FieldPath } from './schema-check.js';
import type { SourceRef } from './types.js';
import { formatPath, type YamlSource } from './yaml-source.js';

export class FieldReader {
  readonly source: YamlSource;
  readonly base: FieldPath;
  readonly issues: ScenarioIssue[];

  constructor(source: YamlSource, options: { base?: FieldPath; issues?: ScenarioIssue[] } = {}) {
    this.source = source;
    this.base = options.base ?? [];
    this.issues = options.issues ?? [];
  }

  /** Records a problem at `path` (relative to base). */
  fail(path: FieldPath, message: string, options: { atKey?: boolean } = {}): undefined {
    const full = [...this.base, ...path];
    this.issues.push(this.source.issue(full, message, { atKey: options.atKey }));
    return undefined;
  }

  /** Checks `value` (at base) against `schema` (its $refs resolve in `root`); false when it does not conform. */
  conforms(value: unknown, schema: JsonSchema, root: JsonSchema): boolean {
    const issues = checkSchema(value, schema, root);
    for (const issue of issues) this.fail(issue.path, issue.message, { atKey: issue.atKey });
    return issues.length === 0;
  }

  /** Where `path` is, for the model's SourceRefs. */
  ref(path: FieldPath): SourceRef {
    const full = [...this.base, ...path];
    const pos = this.source.locate(full);
    return { file: this.source.file, ...(pos === undefined ? {} : { line: pos.line }), path: formatPath(full) };
  }

  /** A Go duration in ms; `positive` rejects 0. Undefined (and an issue) when it does not parse. */
  duration(path: FieldPath, value: unknown, options: { positive?: boolean } = {}): number | undefined {
    if (value === 0) return options.positive === true ? this.fail(path, 'must be longer than 0s') : 0;
    if (typeof value !== 'string') return this.fail(path, 'expected a duration such as "500ms", "30s" or "1m30s"');
    let ms: number;
    try {
      ms = parseDurationMs(value);
    } catch (error) {
      if (error instanceof DurationSyntaxError) return this.fail(path, `${error.message} (expected e.g. "500ms", "30s", "1m30s")`);
      throw error;
    }
    if (ms < 0) return this.fail(path, `must not be negative, got "${value}"`);
    if (!Number.isInteger(ms)) return this.fail(path, `must be a whole number of milliseconds, got "${value}"`);
    if (ms > Number.MAX_SAFE_INTEGER / 4) return this.fail(path, `is too long: "${value}"`);
    if (options.positive === true && ms === 0) return this.fail(path, 'must be longer than 0s');
    return ms;
  }

  /** A Knative release as written: a number such as `1.20` is taken from its source text, not as 1.2. */
  release(path: FieldPath, value: unknown): string | undefined {
    const written = typeof value === 'number' ? (this.source.scalarText([...this.base, ...path]) ?? String(value)) : value;
    if (typeof written !== 'string') return this.fail(path, 'expected a Knative release such as "1.11", "0.16" or latest');
    try {
      parseRelease(written);
    } catch (error) {
      if (error instanceof UnknownReleaseError) return this.fail(path, error.message);
      throw error;
    }
    return written.trim();
  }

  /** A service- or think-time distribution (dataplane/distribution.ts). */
  distribution(path: FieldPath, value: unknown): Distribution | undefined {
    if (!isPlainObject(value)) {
      const ms = this.duration(path, value);
      return ms === undefined ? undefined : { kind: 'constant', ms };
    }
    if ('exponential' in value) {
      const meanMs = this.duration([...path, 'exponential'], value.exponential, { positive: true });
      return meanMs === undefined ? undefined : { kind: 'exponential', meanMs };
    }
    if ('uniform' in value && Array.isArray(value.uniform)) {
      if (value.uniform.length !== 2) return this.fail([...path, 'uniform'], `expected [<min>, <max>], got ${value.uniform.length} items`);
      const minMs = this.duration([...path, 'uniform', 0], value.uniform[0]);
      const maxMs = this.duration([...path, 'uniform', 1], value.uniform[1]);
      if (minMs === undefined || maxMs === undefined) return undefined;
      if (maxMs < minMs) return this.fail([...path, 'uniform'], 'the minimum is larger than the maximum');
      return { kind: 'uniform', minMs, maxMs };
    }
    if ('lognormal' in value && isPlainObject(value.lognormal)) {
      const medianMs = this.duration([...path, 'lognormal', 'median'], value.lognormal.median, { positive: true });
      const sigma = value.lognormal.sigma;
      if (medianMs === undefined || typeof sigma !== 'number') return undefined;
      return { kind: 'lognormal', medianMs, sigma };
    }
    return this.fail(path, 'expected a duration, {exponential: <mean>}, {uniform: [<min>, <max>]} or {lognormal: {median, sigma}}');
  }
}
