// A checker for the JSON Schema subset in json-schema.ts: type, properties, required,
// additionalProperties, enum, const, oneOf/anyOf, pattern, minimum/maximum, items, minItems, $ref to
// #/definitions. It reports what a person needs, not every failed branch: one issue per location (the
// first), unknown fields with the nearest known name, and for anyOf/oneOf only the branch that the
// value evidently meant (by type, then by which required keys it has). A oneOf whose branches only
// say `required: [k]` reads as "exactly one of these keys".

import type { JsonSchema, JsonType } from './json-schema.js';
import { suggest, unknownName } from './suggest.js';

export type FieldPath = readonly (string | number)[];

export interface SchemaIssue {
  path: FieldPath;
  message: string;
  /** Locate the key rather than the value (unknown fields). */
  atKey?: boolean;
}

/** Checks `value` against `schema`; `root` resolves $refs. Issues in document order, one per path. */
export function checkSchema(value: unknown, schema: JsonSchema, root: JsonSchema = schema): SchemaIssue[] {
  const issues = check(value, schema, [], root);
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = JSON.stringify(issue.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; current.$ref !== undefined && depth < 32; depth++) {
    const name = /^#\/definitions\/(.+)$/.exec(current.$ref)?.[1];
    const target = name === undefined ? undefined : root.definitions?.[name];
    if (target === undefined) throw new Error(`schema: unresolvable $ref ${current.$ref}`);
    const { $ref: _ref, ...rest } = current;
    current = { ...target, ...rest };
  }
  return current;
}

/** A mapping as YAML gives it (not an array, and not the binary data, set or ordered map a YAML tag makes). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function typeOf(value: unknown): JsonType | 'undefined' | 'other' {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean') return typeof value as JsonType;
  return isPlainObject(value) ? 'object' : 'other';
}

function typeAccepts(schema: JsonSchema, value: unknown): boolean {
  if (schema.type === undefined) return true;
  const actual = typeOf(value);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', integer: 'an integer',
  boolean: 'a boolean', null: 'null', undefined: 'nothing', other: 'a value of an unsupported YAML type (binary, set, ordered map)',
};

/** How a value reads in a message: `string "abc"`, `a mapping`, `number 1.5`. */
export function describeValue(value: unknown): string {
  const type = typeOf(value);
  if (type === 'string') {
    const s = value as string;
    return `"${s.length > 40 ? `${s.slice(0, 40)}...` : s}"`;
  }
  if (type === 'integer' || type === 'number' || type === 'boolean') return `${TYPE_WORDS[type]} ${String(value)}`;
  return TYPE_WORDS[type];
}

function expectedTypes(schema: JsonSchema): string {
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const words = types.map((t) => TYPE_WORDS[t]);
  return words.length <= 1 ? (words[0] ?? 'a value') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function fail(schema: JsonSchema, value: unknown, path: FieldPath, message: string): SchemaIssue[] {
  return [{ path, message: schema.errorMessage === undefined ? message : `${schema.errorMessage}, got ${describeValue(value)}` }];
}

function check(value: unknown, raw: JsonSchema, path: FieldPath, root: JsonSchema): SchemaIssue[] {
  const schema = resolve(raw, root);
  if (!typeAccepts(schema, value)) return fail(schema, value, path, `expected ${expectedTypes(schema)}, got ${describeValue(value)}`);
  const local = checkLocal(value, schema, path);
  if (local.length > 0) return local;
  const issues: SchemaIssue[] = [];
  if (isPlainObject(value)) issues.push(...checkObject(value, schema, path, root));
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => issues.push(...check(item, schema.items as JsonSchema, [...path, i], root)));
  }
  if (schema.oneOf !== undefined) issues.push(...checkAlternatives(value, schema, schema.oneOf, path, root));
  if (schema.anyOf !== undefined) issues.push(...checkAlternatives(value, schema, schema.anyOf, path, root));
  return issues;
}

/** The keywords about the value itself. */
function checkLocal(value: unknown, schema: JsonSchema, path: FieldPath): SchemaIssue[] {
  if (schema.const !== undefined && value !== schema.const) return fail(schema, value, path, `expected ${JSON.stringify(schema.const)}, got ${describeValue(value)}`);
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    const noun = schema['x-noun'] ?? 'value';
    const known = schema.enum.map((v) => String(v));
    if (typeof value === 'string') return [{ path, message: unknownName(noun, value, known) }];
    const meant = known.find((k) => k.toLowerCase() === String(value).toLowerCase());
    const hint = meant === undefined ? '' : ` (quote it, "${meant}": YAML reads ${String(value)} as ${TYPE_WORDS[typeOf(value)]})`;
    return [{ path, message: `expected one of ${known.join(', ')}, got ${describeValue(value)}${hint}` }];
  }
  if (typeof value === 'string' && schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    const message = schema.patternErrorMessage ?? `does not match ${schema.pattern}`;
    return [{ path, message: `${message}, got ${describeValue(value)}` }];
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return fail(schema, value, path, `must be at least ${schema.minimum}, got ${value}`);
    if (schema.maximum !== undefined && value > schema.maximum) return fail(schema, value, path, `must be at most ${schema.maximum}, got ${value}`);
  }
  if (Array.isArray(value) && schema.minItems !== undefined && value.length < schema.minItems) {
    return fail(schema, value, path, schema.minItems === 1 ? 'must not be empty' : `needs at least ${schema.minItems} items, got ${value.length}`);
  }
  return [];
}

function checkObject(value: Record<string, unknown>, schema: JsonSchema, path: FieldPath, root: JsonSchema): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const properties = schema.properties ?? {};
  const known = Object.keys(properties);
  const unknown = schema.additionalProperties === false ? Object.keys(value).filter((k) => !Object.hasOwn(properties, k)) : [];
  const hints = new Map(unknown.map((k) => [k, suggest(k, known)]));
  const misspelt = new Set(hints.values());
  for (const key of schema.required ?? []) {
    // A misspelt required key is reported once, as the unknown field with its suggestion.
    if (!Object.hasOwn(value, key) && !misspelt.has(key)) issues.push({ path, message: `missing required field \`${key}\`` });
  }
  for (const [key, item] of Object.entries(value)) {
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (property !== undefined) {
      issues.push(...check(item, property, [...path, key], root));
    } else if (schema.additionalProperties === false) {
      const hint = hints.get(key);
      issues.push({ path: [...path, key], atKey: true, message: `unknown field \`${key}\`${hint === undefined ? '' : ` (did you mean \`${hint}\`?)`}` });
    } else if (typeof schema.additionalProperties === 'object') {
      issues.push(...check(item, schema.additionalProperties, [...path, key], root));
    }
  }
  return issues;
}

/** The types a (resolved) branch accepts, looking through nested anyOf/oneOf; undefined for any. */
function branchTypes(schema: JsonSchema, root: JsonSchema): JsonType[] | undefined {
  if (schema.type !== undefined) return Array.isArray(schema.type) ? schema.type : [schema.type];
  const nested = schema.anyOf ?? schema.oneOf;
  if (nested === undefined) return undefined;
  const out: JsonType[] = [];
  for (const branch of nested) {
    const types = branchTypes(resolve(branch, root), root);
    if (types === undefined) return undefined;
    out.push(...types);
  }
  return out;
}

/** A oneOf of bare `required: [k]` branches: exactly one of the keys. */
function exactlyOneKeys(branches: JsonSchema[]): string[] | undefined {
  const keys: string[] = [];
  for (const b of branches) {
    const names = Object.keys(b);
    if (names.length !== 1 || b.required?.length !== 1) return undefined;
    keys.push(b.required[0]);
  }
  return keys;
}

function checkAlternatives(value: unknown, schema: JsonSchema, branches: JsonSchema[], path: FieldPath, root: JsonSchema): SchemaIssue[] {
  const keys = exactlyOneKeys(branches);
  if (keys !== undefined) {
    if (!isPlainObject(value)) return [];
    const present = keys.filter((k) => Object.hasOwn(value, k));
    const list = keys.map((k) => `\`${k}\``).join(', ');
    if (present.length === 0) return [{ path, message: `needs one of ${list}` }];
    if (present.length > 1) return [{ path: [...path, present[1]], atKey: true, message: `only one of ${list} may be set (found ${present.map((k) => `\`${k}\``).join(' and ')})` }];
    return [];
  }
  const resolved = branches.map((b) => resolve(b, root));
  const typed = resolved.filter((b) => typeAccepts({ type: branchTypes(b, root) }, value));
  if (typed.length === 0) {
    const types = [...new Set(resolved.flatMap((b) => branchTypes(b, root) ?? []))];
    return fail(schema, value, path, `expected ${expectedTypes({ type: types })}, got ${describeValue(value)}`);
  }
  let candidates = typed;
  if (isPlainObject(value)) {
    const score = (b: JsonSchema): number => (b.required ?? []).filter((k) => Object.hasOwn(value, k)).length;
    const best = Math.max(...typed.map(score));
    if (best === 0 && typed.length > 1) return fail(schema, value, path, 'matches none of the accepted forms');
    candidates = typed.filter((b) => score(b) === best);
  }
  const results = candidates.map((b) => check(value, b, path, root));
  if (results.some((r) => r.length === 0)) return [];
  if (candidates.length > 1 && !isPlainObject(value) && schema.errorMessage !== undefined) {
    return fail(schema, value, path, '');
  }
  return results.reduce((a, b) => (b.length < a.length ? b : a));
}
