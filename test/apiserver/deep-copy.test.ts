import t from 'tap';
import { deepCopy, deepEqual, deepFreeze, objectsEqualExcept } from '../../src/apiserver/deep-copy.js';

const sample = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { app: 'a' }, finalizers: ['x', 'y'] },
  spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }], args: [] }], enabled: true, replicas: 0 },
  status: null,
});

t.test('deepCopy returns an equal tree that shares no object with its input', async (t) => {
  const original = sample();
  const copy = deepCopy(original);
  t.same(copy, original);
  t.not(copy, original);
  t.not(copy.metadata, original.metadata);
  t.not(copy.metadata.finalizers, original.metadata.finalizers);
  t.not(copy.spec.containers[0], original.spec.containers[0]);
  copy.spec.containers[0].ports[0].containerPort = 8080;
  copy.metadata.labels.app = 'changed';
  t.equal(original.spec.containers[0].ports[0].containerPort, 80, 'nested array element untouched');
  t.equal(original.metadata.labels.app, 'a', 'nested map untouched');
});

t.test('deepCopy passes primitives and null through unchanged', async (t) => {
  for (const value of [0, -1.5, '', 'text', true, false, null, undefined]) t.equal(deepCopy(value), value);
});

t.test('deepCopy drops object keys whose value is undefined, as JSON does', async (t) => {
  const copy = deepCopy({ a: 1, b: undefined, nested: { c: undefined, d: 2 } });
  t.same(Object.keys(copy), ['a', 'nested']);
  t.same(Object.keys(copy.nested), ['d']);
});

t.test('deepCopy keeps a "__proto__" key as plain data without touching the prototype', async (t) => {
  const parsed = JSON.parse('{"data":{"__proto__":{"polluted":true},"ok":"1"}}') as { data: Record<string, unknown> };
  const copy = deepCopy(parsed);
  t.ok(Object.hasOwn(copy.data, '__proto__'), 'own property kept');
  t.equal(Object.getPrototypeOf(copy.data), Object.prototype, 'prototype unchanged');
  t.equal((copy.data as { polluted?: boolean }).polluted, undefined, 'nothing inherited');
  t.ok(deepEqual(copy, parsed));
});

t.test('deepFreeze freezes every nested object and array and returns its argument', async (t) => {
  const value = sample();
  const frozen = deepFreeze(value);
  t.equal(frozen, value);
  t.ok(Object.isFrozen(value));
  t.ok(Object.isFrozen(value.metadata.labels));
  t.ok(Object.isFrozen(value.metadata.finalizers));
  t.ok(Object.isFrozen(value.spec.containers[0].ports[0]));
  t.throws(() => { (value.metadata.labels as Record<string, string>).app = 'x'; }, TypeError, 'writes throw in strict mode');
  t.throws(() => { value.metadata.finalizers.push('z'); }, TypeError);
  t.equal(deepFreeze(7), 7, 'primitives pass through');
});

t.test('deepEqual follows JSON semantics', async (t) => {
  const cases: [string, unknown, unknown, boolean][] = [
    ['identical primitives', 'a', 'a', true],
    ['number vs string', 1, '1', false],
    ['null vs empty object', null, {}, false],
    ['null vs null', null, null, true],
    ['key order is irrelevant', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
    ['array order matters', [1, 2], [2, 1], false],
    ['array vs object with index keys', [1], { 0: 1 }, false],
    ['different lengths', [1, 2], [1, 2, 3], false],
    ['undefined-valued key counts as absent', { a: 1, b: undefined }, { a: 1 }, true],
    ['absent vs null differ', { a: 1, b: null }, { a: 1 }, false],
    ['extra key on the right', { a: 1 }, { a: 1, b: 2 }, false],
    ['nested difference', { a: { b: [{ c: 1 }] } }, { a: { b: [{ c: 2 }] } }, false],
    ['empty containers', { a: [], b: {} }, { b: {}, a: [] }, true],
  ];
  for (const [name, a, b, expected] of cases) {
    t.equal(deepEqual(a, b), expected, name);
    t.equal(deepEqual(b, a), expected, `${name} (swapped)`);
  }
});

t.test('objectsEqualExcept gives deepEqual of the objects with the skipped keys removed', async (t) => {
  const without = (o: Record<string, unknown>, keys: string[]): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
  const cases: [Record<string, unknown>, Record<string, unknown>][] = [
    [{ a: 1, meta: { x: 1 } }, { a: 1, meta: { x: 2 } }],
    [{ a: 1, meta: 1, status: 2 }, { a: 1, status: 3 }],
    [{ a: 1, b: undefined }, { a: 1 }],
    [{ a: 1 }, { a: 1, b: 2 }],
    [{ a: { n: [1, 2] }, meta: 0 }, { a: { n: [1, 3] }, meta: 0 }],
    [{ a: { n: [1, 2] } }, { a: { n: [1, 2] }, status: undefined }],
    [{ toString: 1 }, {}],
  ];
  for (const [a, b] of cases) {
    for (const skip of [['meta'], ['meta', 'status'], ['a']]) {
      const expected = deepEqual(without(a, skip), without(b, skip));
      t.equal(objectsEqualExcept(a, b, skip[0], skip[1]), expected, `${JSON.stringify(a)} vs ${JSON.stringify(b)} without ${skip.join(',')}`);
      t.equal(objectsEqualExcept(b, a, skip[0], skip[1]), expected, 'and the other way round');
    }
  }
  t.ok(cases.some(([a, b]) => objectsEqualExcept(a, b, 'meta')) && cases.some(([a, b]) => !objectsEqualExcept(a, b, 'meta')), 'both verdicts occur');
});
