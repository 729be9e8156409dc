// The JSON Schemas shipped in schema/ are the ones src/scenario/schema.ts generates, and the checker
// interprets the subset they use as a person needs it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { checkSchema } from '../../src/scenario/schema-check.js';
import type { JsonSchema } from '../../src/scenario/json-schema.js';
import { schemaFiles } from '../../src/scenario/schema-files.js';
import { DURATION_PATTERN, scenarioSchema } from '../../src/scenario/schema.js';
import { parseDurationMs } from '../../src/knative/config/duration.js';

const SCHEMA_DIR = join(import.meta.dirname, '..', '..', 'schema');

t.test('the shipped schema files equal the generated ones (npm run schema regenerates them)', (t) => {
  for (const [name, text] of Object.entries(schemaFiles())) {
    t.equal(readFileSync(join(SCHEMA_DIR, name), 'utf8'), text, `schema/${name} is current`);
  }
  t.end();
});

t.test('the scenario schema is draft-07 with every $ref resolvable', (t) => {
  const schema = scenarioSchema();
  t.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  const refs = [...JSON.stringify(schema).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)].map((m) => m[1]);
  t.ok(refs.length > 20);
  for (const ref of new Set(refs)) t.ok(schema.definitions?.[ref], `definition ${ref} exists`);
  t.end();
});

t.test('the duration pattern accepts what Go parses and rejects what it does not', (t) => {
  const re = new RegExp(DURATION_PATTERN, 'u');
  for (const ok of ['0', '500ms', '30s', '1m30s', '1.5h', '.5s', '2h45m10s', '10us', '3\u00b5s']) {
    t.ok(re.test(ok), `${ok} matches`);
    t.doesNotThrow(() => parseDurationMs(ok), `${ok} parses`);
  }
  for (const bad of ['', '5', '1x', 'ms', '1m 30s', '-1s', '1.5']) t.notOk(re.test(bad), `${JSON.stringify(bad)} does not match`);
  t.end();
});

t.test('checker: exactly-one-of, suggestions, enum and the branch a value meant', (t) => {
  const root: JsonSchema = {
    definitions: { d: { anyOf: [{ type: 'string', pattern: '^[0-9]+s$' }, { type: 'object', required: ['exp'], additionalProperties: false, properties: { exp: { type: 'string' } } }], errorMessage: 'expected a d' } },
  };
  const schema: JsonSchema = {
    type: 'object', additionalProperties: false,
    properties: { a: { type: 'integer', minimum: 1 }, b: { type: 'integer' }, colour: { enum: ['red', 'green'], 'x-noun': 'colour' }, d: { $ref: '#/definitions/d' } },
    oneOf: [{ required: ['a'] }, { required: ['b'] }],
  };
  const check = (value: unknown): [string, string][] => checkSchema(value, schema, { ...root, ...schema }).map((i) => [i.path.join('.'), i.message]);
  t.same(check({ a: 1 }), []);
  t.same(check({}), [['', 'needs one of `a`, `b`']]);
  t.same(check({ a: 1, b: 2 }), [['b', 'only one of `a`, `b` may be set (found `a` and `b`)']]);
  t.same(check({ a: 0 }), [['a', 'must be at least 1, got 0']]);
  t.same(check({ a: 1, colr: 'red' }), [['colr', 'unknown field `colr` (did you mean `colour`?)']]);
  t.same(check({ a: 1, colour: 'gren' }), [['colour', 'unknown colour "gren" (did you mean "green"? known: red, green)']]);
  t.same(check({ a: 1, d: '5s' }), []);
  t.same(check({ a: 1, d: { exp: '1s' } }), []);
  t.same(check({ a: 1, d: { exp: 1 } }), [['d.exp', 'expected a string, got an integer 1']], 'a mapping with the branch key is checked against that branch');
  t.same(check({ a: 1, d: 7 }), [['d', 'expected a d, got an integer 7']], 'no branch takes the type: the errorMessage');
  t.end();
});
