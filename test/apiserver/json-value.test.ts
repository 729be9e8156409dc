import t from 'tap';
import { getOwn, isJsonObject, setOwn } from '../../src/apiserver/json-value.js';

t.test('isJsonObject accepts plain objects only', async (t) => {
  t.ok(isJsonObject({}));
  t.ok(isJsonObject({ a: 1 }));
  t.notOk(isJsonObject([]));
  t.notOk(isJsonObject(null));
  t.notOk(isJsonObject('x'));
  t.notOk(isJsonObject(undefined));
});

t.test('getOwn never reads inherited properties', async (t) => {
  t.equal(getOwn({}, 'toString'), undefined);
  t.equal(getOwn({}, '__proto__'), undefined);
  t.equal(getOwn({ toString: 'mine' }, 'toString'), 'mine');
});

t.test('setOwn stores "__proto__" as an own data property', async (t) => {
  const object: Record<string, unknown> = {};
  setOwn(object, '__proto__', { polluted: true });
  setOwn(object, 'plain', 1);
  t.equal(Object.getPrototypeOf(object), Object.prototype);
  t.same(getOwn(object, '__proto__'), { polluted: true });
  t.same(Object.keys(object), ['__proto__', 'plain']);
  t.equal(({} as { polluted?: boolean }).polluted, undefined, 'Object.prototype untouched');
});
