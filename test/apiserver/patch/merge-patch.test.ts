import t from 'tap';
import { deepCopy, deepFreeze } from '../../../src/apiserver/deep-copy.js';
import { applyMergePatch, createMergePatch } from '../../../src/apiserver/patch/merge-patch.js';

// RFC 7386 Appendix A, row by row: [original, patch, result].
const rfc7386AppendixA: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

t.test('applyMergePatch reproduces every row of RFC 7386 Appendix A', async (t) => {
  for (const [original, patch, result] of rfc7386AppendixA) {
    t.same(applyMergePatch(original, patch), result, `${JSON.stringify(original)} + ${JSON.stringify(patch)}`);
  }
});

t.test('applyMergePatch never mutates its (frozen) inputs', async (t) => {
  for (const [original, patch] of rfc7386AppendixA) {
    const target = deepFreeze(deepCopy(original));
    const frozenPatch = deepFreeze(deepCopy(patch));
    t.doesNotThrow(() => applyMergePatch(target, frozenPatch), JSON.stringify(patch));
    t.same(target, original, 'target unchanged');
  }
});

t.test('applyMergePatch results share no objects with target or patch', async (t) => {
  const target = { metadata: { labels: { a: '1' } }, spec: { list: [{ x: 1 }] } };
  const patch = { metadata: { annotations: { note: 'n' } }, status: { conditions: [{ type: 'Ready' }] } };
  const result = applyMergePatch(target, patch) as typeof target & typeof patch;
  t.not(result.metadata.labels, target.metadata.labels, 'untouched subtree is copied');
  t.not(result.spec.list, target.spec.list);
  t.not(result.status.conditions, patch.status.conditions, 'patch value is copied');
  result.metadata.labels.a = 'changed';
  result.status.conditions[0].type = 'changed';
  t.equal(target.metadata.labels.a, '1');
  t.equal(patch.status.conditions[0].type, 'Ready');
});

t.test('applyMergePatch keeps the target member order and appends new members', async (t) => {
  const result = applyMergePatch({ a: 1, b: 2, c: 3 }, { z: 0, b: 20, a: null });
  t.same(Object.keys(result as object), ['b', 'c', 'z']);
});

t.test('createMergePatch produces the minimal patch', async (t) => {
  const cases: [string, unknown, Record<string, unknown>, Record<string, unknown>][] = [
    ['identical documents give an empty patch', { a: { b: [1] } }, { a: { b: [1] } }, {}],
    ['changed scalar', { a: 1, b: 2 }, { a: 1, b: 3 }, { b: 3 }],
    ['added member', { a: 1 }, { a: 1, c: { d: 1 } }, { c: { d: 1 } }],
    ['removed member becomes null', { a: 1, b: 2 }, { a: 1 }, { b: null }],
    ['nested objects are diffed', { m: { x: 1, y: 2, z: 3 } }, { m: { x: 1, y: 5 } }, { m: { y: 5, z: null } }],
    ['arrays are compared whole', { l: [1, 2, 3] }, { l: [1, 2] }, { l: [1, 2] }],
    ['equal arrays are left out', { l: [{ a: 1 }] }, { l: [{ a: 1 }] }, {}],
    ['object replacing a scalar', { a: 'x' }, { a: { b: 1 } }, { a: { b: 1 } }],
    ['scalar replacing an object', { a: { b: 1 } }, { a: 'x' }, { a: 'x' }],
    ['non-object original counts as empty', null, { a: 1 }, { a: 1 }],
  ];
  for (const [name, original, modified, expected] of cases) {
    const patch = createMergePatch(original, modified);
    t.same(patch, expected, name);
    t.same(applyMergePatch(original, patch), modified, `${name}: applying the patch gives modified`);
  }
});

t.test('createMergePatch does not mutate its inputs and rejects a non-object modified document', async (t) => {
  const original = deepFreeze({ a: { b: 1 } });
  const modified = deepFreeze({ a: { b: 2, c: [1] } });
  const patch = createMergePatch(original, modified) as { a: { c: number[] } };
  t.not(patch.a.c, modified.a.c, 'patch values are copies');
  t.throws(() => createMergePatch({}, ['x']), TypeError);
  t.throws(() => createMergePatch({}, null), TypeError);
});
