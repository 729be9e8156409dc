// jsonClone gives what JSON.parse(JSON.stringify(value)) gives for the plain data reconcilers copy.
import t from 'tap';
import { jsonClone } from '../../../src/knative/controller/json-clone.js';

t.test('jsonClone: same value, key order and dropped or nulled members as a JSON round trip, sharing nothing', async (t) => {
  const proto = JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>;
  const samples: unknown[] = [
    { a: 1, b: [1, 'two', null, { c: true }], d: { e: { f: 'g' } } },
    { kept: 1, dropped: undefined, fn: () => 1, nested: [undefined, () => 2, Number.NaN, Infinity, -0] },
    { '10': 'ten', '2': 'two', z: 'z', a: 'a' },
    proto,
    [],
    {},
  ];
  for (const value of samples) {
    const copy = jsonClone(value);
    t.equal(JSON.stringify(copy), JSON.stringify(JSON.parse(JSON.stringify(value))), JSON.stringify(value));
    t.same(copy, JSON.parse(JSON.stringify(value)));
    if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) t.not(copy, value, 'a new object');
  }
  const copied = jsonClone(proto);
  t.ok(Object.hasOwn(copied, '__proto__'), '"__proto__" stays an own data property');
  t.equal(Object.getPrototypeOf(copied), Object.prototype);
  t.ok(Object.is(jsonClone({ z: -0 }).z, 0), '-0 becomes 0');
  const nested = { inner: { list: [1, 2] } };
  const copy = jsonClone(nested);
  copy.inner.list.push(3);
  t.same(nested.inner.list, [1, 2], 'the copy shares nothing with the original');
});
