// Reading an oracle's parameters as the scenario loader passes them (OracleSpec.params): durations as
// Go duration strings ("90s", "1m30s") or numbers of milliseconds, counts as integers, enumerations as
// strings. Every read names its field; `finish()` rejects the names nobody read, so a misspelt
// parameter is an error rather than a silently ignored default.

import { DurationSyntaxError, parseDurationMs } from '../knative/config/duration.js';
import { OracleParamError } from './oracle.js';

const describe = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'a mapping' : String(value));

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A duration written as a Go duration string or a number of milliseconds; throws OracleParamError(field). */
export function durationParam(field: string, value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new OracleParamError(field, `${field} must be a non-negative number of milliseconds, got ${describe(value)}`);
    return value;
  }
  if (typeof value === 'string') {
    let ms: number;
    try {
      ms = parseDurationMs(value.trim());
    } catch (error) {
      if (error instanceof DurationSyntaxError) throw new OracleParamError(field, `${field} must be a duration such as "30s" or "1m30s": ${error.message}`);
      throw error;
    }
    if (ms < 0) throw new OracleParamError(field, `${field} must not be negative, got ${describe(value)}`);
    return ms;
  }
  throw new OracleParamError(field, `${field} must be a duration such as "30s" or a number of milliseconds, got ${describe(value)}`);
}

export class OracleParams {
  readonly #values: Record<string, unknown>;
  readonly #prefix: string;
  readonly #read = new Set<string>();

  /** `prefix` names a nested mapping in error fields (`condition.`). */
  constructor(values: unknown, options: { prefix?: string } = {}) {
    this.#prefix = options.prefix ?? '';
    const given = values ?? {};
    if (!isPlainObject(given)) {
      const self = this.#prefix === '' ? 'params' : this.#prefix.slice(0, -1);
      throw new OracleParamError(self, `${self} must be a mapping, got ${describe(given)}`);
    }
    this.#values = given;
  }

  field(name: string): string {
    return `${this.#prefix}${name}`;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.#values, name) && this.#values[name] !== undefined;
  }

  #take(name: string): unknown {
    this.#read.add(name);
    return this.has(name) ? this.#values[name] : undefined;
  }

  #missing(name: string, what: string): OracleParamError {
    return new OracleParamError(this.field(name), `${this.field(name)} is required (${what})`);
  }

  /** A duration in ms; required unless a default is given. */
  duration(name: string, options: { default?: number } = {}): number {
    const value = this.#take(name);
    if (value === undefined) {
      if (options.default === undefined) throw this.#missing(name, 'a duration such as "30s"');
      return options.default;
    }
    return durationParam(this.field(name), value);
  }

  optionalDuration(name: string): number | undefined {
    return this.has(name) ? this.duration(name) : (this.#take(name), undefined);
  }

  /** A whole number ≥ `min` (default 0); required unless a default is given. */
  count(name: string, options: { default?: number; min?: number } = {}): number {
    const value = this.#take(name);
    const min = options.min ?? 0;
    if (value === undefined) {
      if (options.default === undefined) throw this.#missing(name, `a whole number ≥ ${min}`);
      return options.default;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new OracleParamError(this.field(name), `${this.field(name)} must be a whole number ≥ ${min}, got ${describe(value)}`);
    }
    return value;
  }

  /** A finite number or, when `allowString`, a string; required. */
  scalar(name: string, options: { allowString: boolean }): number | string {
    const value = this.#take(name);
    if (value === undefined) throw this.#missing(name, 'a value');
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (options.allowString && typeof value === 'string') return value;
    throw new OracleParamError(this.field(name), `${this.field(name)} must be a number${options.allowString ? ' or a string' : ''}, got ${describe(value)}`);
  }

  string(name: string, options: { default?: string; oneOf?: readonly string[] } = {}): string {
    const value = this.#take(name);
    if (value === undefined) {
      if (options.default === undefined) throw this.#missing(name, options.oneOf ? `one of ${options.oneOf.join(', ')}` : 'a string');
      return options.default;
    }
    if (typeof value !== 'string' || value === '') throw new OracleParamError(this.field(name), `${this.field(name)} must be a non-empty string, got ${describe(value)}`);
    if (options.oneOf && !options.oneOf.includes(value)) {
      throw new OracleParamError(this.field(name), `${this.field(name)} must be one of ${options.oneOf.join(', ')}, got ${describe(value)}`);
    }
    return value;
  }

  optionalString(name: string, options: { oneOf?: readonly string[] } = {}): string | undefined {
    return this.has(name) ? this.string(name, options) : (this.#take(name), undefined);
  }

  /** A list of strings (a single string is a list of one); `oneOf` restricts the values. */
  stringList(name: string, options: { default?: readonly string[]; oneOf?: readonly string[] } = {}): string[] {
    const value = this.#take(name);
    if (value === undefined) {
      if (options.default === undefined) throw this.#missing(name, 'a list of strings');
      return [...options.default];
    }
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) {
      throw new OracleParamError(this.field(name), `${this.field(name)} must be a non-empty list of strings, got ${describe(value)}`);
    }
    const strings = list as string[];
    const bad = options.oneOf ? strings.find((v) => !options.oneOf?.includes(v)) : undefined;
    if (bad !== undefined) throw new OracleParamError(this.field(name), `${this.field(name)} values must be among ${options.oneOf?.join(', ')}, got ${describe(bad)}`);
    return strings;
  }

  optionalStringList(name: string, options: { oneOf?: readonly string[] } = {}): string[] | undefined {
    return this.has(name) ? this.stringList(name, options) : (this.#take(name), undefined);
  }

  boolean(name: string, options: { default: boolean }): boolean {
    const value = this.#take(name);
    if (value === undefined) return options.default;
    if (typeof value !== 'boolean') throw new OracleParamError(this.field(name), `${this.field(name)} must be true or false, got ${describe(value)}`);
    return value;
  }

  /** The value as written (marked as read), for shapes the typed readers do not cover. */
  raw(name: string): unknown {
    return this.#take(name);
  }

  /** A nested mapping, read with its own reader (its errors name `name.field`). */
  nested(name: string): OracleParams | undefined {
    const value = this.#take(name);
    if (value === undefined) return undefined;
    return new OracleParams(value, { prefix: `${this.field(name)}.` });
  }

  /** Throws for the first parameter nobody read (in the order written). */
  finish(): void {
    for (const key of Object.keys(this.#values)) {
      if (!this.#read.has(key)) throw new OracleParamError(this.field(key), `unknown parameter ${this.field(key)}`);
    }
  }
}
