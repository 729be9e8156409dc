import t from 'tap';
import { deepCopy, deepFreeze } from '../../../src/apiserver/deep-copy.js';
import { PatchError } from '../../../src/apiserver/patch/patch-error.js';
import {
  applyStrategicMergePatch,
  strategicSchemaFor,
  type StrategicSchema,
} from '../../../src/apiserver/patch/strategic-merge-patch.js';

// A schema shaped like upstream's test type MergeItem (strategicpatch/patch_test.go), with our
// own field names: a list merged by key, a list nested in its elements, primitive lists with and
// without merge strategy, a retainKeys map and a merge,retainKeys list.
const schema: StrategicSchema = new Map([
  ['sidecars', { strategy: 'merge', mergeKey: 'name' }],
  ['sidecars[].ports', { strategy: 'merge', mergeKey: 'port' }],
  ['sidecars[].tags', { strategy: 'merge' }],
  ['tags', { strategy: 'merge' }],
  ['union', { strategy: 'retainKeys' }],
  ['union.sidecars', { strategy: 'merge', mergeKey: 'name' }],
  ['unionList', { strategy: 'merge,retainKeys', mergeKey: 'name' }],
]);

interface Case {
  name: string;
  target: unknown;
  patch: unknown;
  expected?: unknown;
  error?: { kind: 'decode' | 'apply'; message?: string | RegExp };
}

/** The assertions `check` needs; tap's Test provides them. */
interface Asserts {
  same(found: unknown, wanted: unknown, message: string): boolean;
  match(found: unknown, pattern: unknown, message: string): boolean;
}

function outcome(c: Case, withSchema: StrategicSchema): { value: unknown } | { error: PatchError } {
  try {
    return { value: applyStrategicMergePatch(c.target, c.patch, withSchema) };
  } catch (error) {
    if (error instanceof PatchError) return { error };
    throw error;
  }
}

function check(t: Asserts, cases: Case[], withSchema = schema): void {
  for (const c of cases) {
    if (c.error === undefined) {
      t.same(outcome(c, withSchema), { value: c.expected }, c.name);
    } else {
      t.match(outcome(c, withSchema), { error: { kind: c.error.kind, message: c.error.message ?? String } }, c.name);
    }
  }
}

t.test('maps merge recursively, null deletes, $patch directives on maps', async (t) => {
  check(t, [
    { name: 'add a field to a map', target: { name: 'a' }, patch: { value: 1 }, expected: { name: 'a', value: 1 } },
    { name: 'add one field and delete another', target: { name: 'a', other: 'x' }, patch: { name: null, value: 1 }, expected: { other: 'x', value: 1 } },
    { name: 'delete a field of a nested map', target: { labels: { k1: 'v', k2: 'v' } }, patch: { labels: { k2: null } }, expected: { labels: { k1: 'v' } } },
    { name: 'null for an absent field is ignored', target: { a: 1 }, patch: { b: null }, expected: { a: 1 } },
    { name: 'an empty patch changes nothing', target: { a: { b: [1] } }, patch: {}, expected: { a: { b: [1] } } },
    { name: '$patch: delete on a nested map leaves it empty', target: { labels: { k1: 'v', k2: 'v' } }, patch: { labels: { $patch: 'delete' } }, expected: { labels: {} } },
    { name: '$patch: replace on the whole object', target: { name: 'a', value: 1 }, patch: { $patch: 'replace' }, expected: {} },
    { name: '$patch: replace keeps what the patch sets', target: { name: 'a', value: 1 }, patch: { other: 'b', $patch: 'replace' }, expected: { other: 'b' } },
    { name: '$patch: replace on a nested map', target: { m: { a: 1, b: 2 } }, patch: { m: { c: 3, $patch: 'replace' } }, expected: { m: { c: 3 } } },
    { name: 'a value of another type replaces', target: { a: [1, 2], b: { c: 1 } }, patch: { a: { x: 1 }, b: 'scalar' }, expected: { a: { x: 1 }, b: 'scalar' } },
    { name: 'new values are stored without nulls', target: {}, patch: { m: { a: 1, b: null, n: { c: null } } }, expected: { m: { a: 1, n: {} } } },
    { name: 'a map carrying $patch where the target has none is dropped', target: { a: 1 }, patch: { m: { $patch: 'replace', x: 1 } }, expected: { a: 1 } },
    { name: 'a non-object target counts as empty', target: null, patch: { a: 1 }, expected: { a: 1 } },
  ]);
});

t.test('lists merge element-wise by merge key', async (t) => {
  check(t, [
    {
      name: 'change a field of the element with the same key',
      target: { sidecars: [{ name: 'a', image: 'v1' }, { name: 'b', image: 'v1' }] },
      patch: { sidecars: [{ name: 'b', image: 'v2' }] },
      expected: { sidecars: [{ name: 'a', image: 'v1' }, { name: 'b', image: 'v2' }] },
    },
    {
      name: 'delete a field of an element with null',
      target: { sidecars: [{ name: 'a', image: 'v1', args: ['x'] }] },
      patch: { sidecars: [{ name: 'a', args: null }] },
      expected: { sidecars: [{ name: 'a', image: 'v1' }] },
    },
    {
      name: 'a new element goes in front of the target elements it does not follow',
      target: { sidecars: [{ name: 'a' }, { name: 'b' }] },
      patch: { sidecars: [{ name: 'c', image: 'v1' }] },
      expected: { sidecars: [{ name: 'c', image: 'v1' }, { name: 'a' }, { name: 'b' }] },
    },
    {
      name: 'patched elements take the patch order, the others keep their place',
      target: { sidecars: [{ name: 'x' }, { name: 'y', image: 'i' }, { name: 'z' }] },
      patch: { sidecars: [{ name: 'z', image: 'zz' }, { name: 'x', image: 'xx' }, { name: 'y', tag: 't' }] },
      expected: { sidecars: [{ name: 'z', image: 'zz' }, { name: 'x', image: 'xx' }, { name: 'y', image: 'i', tag: 't' }] },
    },
    {
      name: 'an element not in the patch stays in front of later patched ones',
      target: { sidecars: [{ name: 'x' }, { name: 'y', image: 'i' }, { name: 'z' }] },
      patch: { sidecars: [{ name: 'z', image: 'zz' }, { name: 'x', image: 'xx' }] },
      expected: { sidecars: [{ name: 'y', image: 'i' }, { name: 'z', image: 'zz' }, { name: 'x', image: 'xx' }] },
    },
    {
      name: 'lists nested in merged elements merge by their own key',
      target: { sidecars: [{ name: 'a', ports: [{ port: 80, protocol: 'TCP' }, { port: 443 }] }] },
      patch: { sidecars: [{ name: 'a', ports: [{ port: 80, protocol: 'UDP' }] }] },
      expected: { sidecars: [{ name: 'a', ports: [{ port: 80, protocol: 'UDP' }, { port: 443 }] }] },
    },
    {
      name: 'an element the target lacks is added without nulls or directives',
      target: { sidecars: [] },
      patch: { sidecars: [{ name: 'a', image: null, env: { $patch: 'delete' }, $retainKeys: ['name'] }] },
      expected: { sidecars: [{ name: 'a' }] },
    },
    {
      name: 'a merging list the target lacks is taken from the patch',
      target: {},
      patch: { sidecars: [{ name: 'a' }, { name: 'gone', $patch: 'delete' }] },
      expected: { sidecars: [{ name: 'a' }] },
    },
    { name: 'two empty lists stay empty', target: { sidecars: [] }, patch: { sidecars: [] }, expected: { sidecars: [] } },
  ]);
});

t.test('$patch directives inside merging lists', async (t) => {
  check(t, [
    {
      name: '$patch: delete removes the element with that key',
      target: { sidecars: [{ name: 'a' }, { name: 'b', image: 'i' }] },
      patch: { sidecars: [{ name: 'a', $patch: 'delete' }] },
      expected: { sidecars: [{ name: 'b', image: 'i' }] },
    },
    {
      name: '$patch: delete removes every duplicate',
      target: { sidecars: [{ name: 'a' }, { name: 'a' }, { name: 'b', v: 1 }, { name: 'c' }, { name: 'c' }] },
      patch: { sidecars: [{ name: 'a', $patch: 'delete' }, { name: 'c', $patch: 'delete' }] },
      expected: { sidecars: [{ name: 'b', v: 1 }] },
    },
    {
      name: '$patch: delete of a missing element is a no-op',
      target: { sidecars: [{ name: 'a' }] },
      patch: { sidecars: [{ name: 'zz', $patch: 'delete' }] },
      expected: { sidecars: [{ name: 'a' }] },
    },
    {
      name: 'add one element and delete another',
      target: { sidecars: [{ name: 'a' }, { name: 'b' }] },
      patch: { sidecars: [{ name: 'c' }, { name: 'a', $patch: 'delete' }] },
      expected: { sidecars: [{ name: 'c' }, { name: 'b' }] },
    },
    {
      name: '$patch: replace alone empties the list',
      target: { sidecars: [{ name: 'a' }, { name: 'b' }] },
      patch: { sidecars: [{ $patch: 'replace' }] },
      expected: { sidecars: [] },
    },
    {
      name: '$patch: replace makes the other patch elements the whole list, in patch order',
      target: { sidecars: [{ name: 'a', image: 'old' }, { name: 'b' }] },
      patch: { sidecars: [{ name: 'c' }, { $patch: 'replace' }, { name: 'a', extra: null }] },
      expected: { sidecars: [{ name: 'c' }, { name: 'a' }] },
    },
  ]);
});

t.test('lists without a merge strategy are replaced', async (t) => {
  check(t, [
    { name: 'a list of maps', target: { plain: [{ name: 'a' }, { name: 'b' }] }, patch: { plain: [{ name: 'c' }] }, expected: { plain: [{ name: 'c' }] } },
    { name: 'a list of primitives', target: { plainTags: [1, 2] }, patch: { plainTags: [3] }, expected: { plainTags: [3] } },
    { name: 'by an empty list', target: { plain: [1] }, patch: { plain: [] }, expected: { plain: [] } },
    { name: 'directive elements are dropped', target: { plain: [1] }, patch: { plain: [{ $patch: 'replace' }, { a: 1 }] }, expected: { plain: [{ a: 1 }] } },
  ]);
});

t.test('primitive lists with merge strategy are ordered unions', async (t) => {
  check(t, [
    { name: 'union keeps each value once', target: { tags: ['a', 'b'] }, patch: { tags: ['b', 'c'] }, expected: { tags: ['a', 'b', 'c'] } },
    { name: 'a new value goes first when the patch is just that value', target: { tags: ['a', 'b'] }, patch: { tags: ['c'] }, expected: { tags: ['c', 'a', 'b'] } },
    { name: 'the patch order wins for values it names', target: { tags: [1, 2, 3] }, patch: { tags: [3, 1, 2] }, expected: { tags: [3, 1, 2] } },
    { name: 'values the patch does not name keep their place', target: { tags: [1, 2, 3] }, patch: { tags: [3, 1] }, expected: { tags: [2, 3, 1] } },
    { name: 'duplicates in the target collapse on merge', target: { tags: ['a', 'a', 'b'] }, patch: { tags: ['b'] }, expected: { tags: ['a', 'b'] } },
    { name: '$deleteFromPrimitiveList removes values', target: { tags: [1, 2, 3] }, patch: { '$deleteFromPrimitiveList/tags': [2] }, expected: { tags: [1, 3] } },
    { name: '$deleteFromPrimitiveList also works on lists without merge strategy', target: { plainTags: [1, 2, 3] }, patch: { '$deleteFromPrimitiveList/plainTags': [2] }, expected: { plainTags: [1, 3] } },
    { name: '$deleteFromPrimitiveList of a missing value adds nothing', target: { tags: [1, 2] }, patch: { '$deleteFromPrimitiveList/tags': [3] }, expected: { tags: [1, 2] } },
    { name: '$deleteFromPrimitiveList of a missing list creates none', target: { other: ['x'] }, patch: { '$deleteFromPrimitiveList/tags': [3] }, expected: { other: ['x'] } },
    { name: 'add and delete in one patch', target: { tags: ['a', 'b'] }, patch: { tags: ['c'], '$deleteFromPrimitiveList/tags': ['a'] }, expected: { tags: ['c', 'b'] } },
  ]);
});

t.test('$setElementOrder orders merged lists', async (t) => {
  check(t, [
    {
      name: 'primitive list: new value first, server-only value kept between',
      target: { tags: [1, 4, 2] },
      patch: { '$setElementOrder/tags': [3, 1, 2], tags: [3] },
      expected: { tags: [3, 1, 4, 2] },
    },
    {
      name: 'primitive list: reorder and delete',
      target: { tags: [1, 2, 3] },
      patch: { '$setElementOrder/tags': [2, 1], '$deleteFromPrimitiveList/tags': [3] },
      expected: { tags: [2, 1] },
    },
    {
      name: 'map list: add in the middle and at the end',
      target: { sidecars: [{ name: 'a', x: 1 }, { name: 'b', v: 'b' }] },
      patch: { '$setElementOrder/sidecars': [{ name: 'a' }, { name: 'd' }, { name: 'b' }, { name: 'c' }], sidecars: [{ name: 'd', v: 'd' }, { name: 'c', v: 'c' }] },
      expected: { sidecars: [{ name: 'a', x: 1 }, { name: 'd', v: 'd' }, { name: 'b', v: 'b' }, { name: 'c', v: 'c' }] },
    },
    {
      name: 'map list: delete and reorder',
      target: { sidecars: [{ name: 'a', x: 1 }, { name: 'b', v: 'b' }, { name: 'c', v: 'c' }] },
      patch: { '$setElementOrder/sidecars': [{ name: 'b' }, { name: 'a' }], sidecars: [{ name: 'c', $patch: 'delete' }] },
      expected: { sidecars: [{ name: 'b', v: 'b' }, { name: 'a', x: 1 }] },
    },
    {
      name: 'map list: order only',
      target: { sidecars: [{ name: 'a' }, { name: 'c', v: 3 }, { name: 'd', v: 4 }, { name: 'b', v: 2 }] },
      patch: { '$setElementOrder/sidecars': [{ name: 'd' }, { name: 'b' }, { name: 'c' }, { name: 'a' }] },
      expected: { sidecars: [{ name: 'd', v: 4 }, { name: 'b', v: 2 }, { name: 'c', v: 3 }, { name: 'a' }] },
    },
    {
      name: 'map list: a server-only element at the end stays at the end',
      target: { sidecars: [{ name: 'a', x: 1 }, { name: 'c' }, { name: 'd' }, { name: 'b' }, { name: 'srv' }] },
      patch: { '$setElementOrder/sidecars': [{ name: 'd' }, { name: 'b' }, { name: 'c' }, { name: 'a' }] },
      expected: { sidecars: [{ name: 'd' }, { name: 'b' }, { name: 'c' }, { name: 'a', x: 1 }, { name: 'srv' }] },
    },
    {
      name: 'map list: server-only elements stay in front of the patch elements they preceded',
      target: { sidecars: [{ name: 'a' }, { name: 'b' }, { name: 's1' }, { name: 's2' }, { name: 's3' }, { name: 'c' }, { name: 'd' }] },
      patch: { '$setElementOrder/sidecars': [{ name: 'b' }, { name: 'a' }, { name: 'd' }, { name: 'c' }] },
      expected: { sidecars: [{ name: 'b' }, { name: 'a' }, { name: 's1' }, { name: 's2' }, { name: 's3' }, { name: 'd' }, { name: 'c' }] },
    },
    {
      name: 'map list: a server-only element goes before the patch elements that followed it',
      target: { sidecars: [{ name: 'a' }, { name: 'srv' }, { name: 'b' }] },
      patch: { '$setElementOrder/sidecars': [{ name: 'b' }, { name: 'a' }] },
      expected: { sidecars: [{ name: 'srv' }, { name: 'b' }, { name: 'a' }] },
    },
    {
      name: 'an order naming elements that exist nowhere is harmless',
      target: { sidecars: [{ name: 'a' }, { name: 'c' }] },
      patch: { '$setElementOrder/sidecars': [{ name: 'c' }, { name: 'b' }, { name: 'a' }], sidecars: [{ name: 'c', v: 3 }, { name: 'a', v: 1 }] },
      expected: { sidecars: [{ name: 'c', v: 3 }, { name: 'a', v: 1 }] },
    },
    {
      name: 'duplicates follow the first occurrence in the order',
      target: { tags: [1, 2, 3, 2, 4] },
      patch: { '$setElementOrder/tags': [2, 1, 4, 3, 2] },
      expected: { tags: [2, 2, 1, 4, 3] },
    },
    {
      name: 'orders in two lists at once',
      target: { sidecars: [{ name: 'a' }, { name: 'b' }], unionList: [{ name: 'c' }, { name: 'd' }] },
      patch: { '$setElementOrder/sidecars': [{ name: 'b' }], '$setElementOrder/unionList': [{ name: 'd' }, { name: 'c' }], sidecars: [{ name: 'a', $patch: 'delete' }] },
      expected: { sidecars: [{ name: 'b' }], unionList: [{ name: 'd' }, { name: 'c' }] },
    },
    {
      name: 'a patch list in another order than $setElementOrder is refused',
      target: { sidecars: [{ name: 'a' }, { name: 'c' }, { name: 'b' }] },
      patch: { '$setElementOrder/sidecars': [{ name: 'a' }, { name: 'b' }, { name: 'c' }], sidecars: [{ name: 'c', v: 3 }, { name: 'a', v: 1 }] },
      error: { kind: 'decode', message: "doesn't match $setElementOrder list" },
    },
    {
      name: 'the same for a primitive list',
      target: { tags: [1, 3, 2] },
      patch: { '$setElementOrder/tags': [1, 2, 3], tags: [3, 1] },
      error: { kind: 'decode', message: "doesn't match" },
    },
  ]);
});

t.test('$retainKeys clears the keys it does not list', async (t) => {
  check(t, [
    { name: 'clear a defaulted field', target: { union: { value: 'dflt' } }, patch: { union: { $retainKeys: ['other'], other: 'b' } }, expected: { union: { other: 'b' } } },
    { name: 'switch a discriminated union', target: { union: { type: 't1', t1: 'x' } }, patch: { union: { $retainKeys: ['type', 't2'], type: 't2', t2: 'y' } }, expected: { union: { type: 't2', t2: 'y' } } },
    { name: 'add a field and clear another', target: { union: { name: 'n', other: 'o' } }, patch: { union: { $retainKeys: ['name', 'value'], value: 'v' } }, expected: { union: { name: 'n', value: 'v' } } },
    { name: 'delete a field with null', target: { union: { name: 'n', value: 'v', other: 'o' } }, patch: { union: { $retainKeys: ['name'], value: null } }, expected: { union: { name: 'n' } } },
    { name: 'merge into a nested list while retaining', target: { union: { sidecars: [{ name: 'a' }], drop: 1 } }, patch: { union: { $retainKeys: ['sidecars'], sidecars: [{ name: 'b' }] } }, expected: { union: { sidecars: [{ name: 'b' }, { name: 'a' }] } } },
    { name: 'without $retainKeys a retainKeys map merges', target: { union: { name: 'n' } }, patch: { union: { value: 'v' } }, expected: { union: { name: 'n', value: 'v' } } },
    {
      name: 'inside elements of a merging list',
      target: { unionList: [{ name: 'bar' }, { name: 'foo', value: 'a', other: 'x' }] },
      patch: { '$setElementOrder/unionList': [{ name: 'bar' }, { name: 'foo' }], unionList: [{ $retainKeys: ['name'], name: 'foo', value: null }] },
      expected: { unionList: [{ name: 'bar' }, { name: 'foo' }] },
    },
    { name: 'a patch setting a key it does not retain is refused', target: { union: {} }, patch: { union: { $retainKeys: ['a'], b: 1 } }, error: { kind: 'decode', message: 'invalid patch format of retainKeys' } },
    { name: '$retainKeys must be a list', target: { union: {} }, patch: { union: { $retainKeys: 'a' } }, error: { kind: 'decode', message: 'invalid patch format of retainKeys' } },
  ]);
});

t.test('malformed patches are decode errors (400)', async (t) => {
  check(t, [
    { name: 'a patch that is not an object', target: {}, patch: [1], error: { kind: 'decode', message: 'invalid JSON document' } },
    { name: '$patch: merge on a map', target: { m: {} }, patch: { m: { $patch: 'merge' } }, error: { kind: 'decode', message: 'unknown patch type: merge in map: map[$patch:merge]' } },
    { name: 'an unknown $patch value on a map', target: {}, patch: { $patch: 'explode' }, error: { kind: 'decode', message: 'unknown patch type: explode' } },
    { name: '$patch: merge in a list', target: { sidecars: [{ name: 'a' }] }, patch: { sidecars: [{ $patch: 'merge' }] }, error: { kind: 'decode', message: 'merging lists cannot yet be specified in the patch' } },
    { name: 'an unknown $patch value in a list', target: { sidecars: [{ name: 'a' }] }, patch: { sidecars: [{ name: 'a', $patch: 'zap' }] }, error: { kind: 'decode', message: 'unknown patch type: zap' } },
    { name: 'a patch element without its merge key', target: { sidecars: [{ name: 'a', v: 1 }] }, patch: { sidecars: [{ v: 2 }] }, error: { kind: 'decode', message: 'map: map[v:2] does not contain declared merge key: name' } },
    { name: 'a delete directive without the merge key', target: { sidecars: [{ name: 'a' }] }, patch: { sidecars: [{ $patch: 'delete' }] }, error: { kind: 'decode', message: 'does not contain declared merge key' } },
    { name: 'an unknown directive key', target: {}, patch: { $frobnicate: 1 }, error: { kind: 'decode', message: 'unknown strategic merge patch directive: $frobnicate' } },
    { name: 'an unknown directive key inside a new value', target: {}, patch: { m: { $frobnicate: 1 } }, error: { kind: 'decode', message: '$frobnicate' } },
    { name: '$setElementOrder without a field', target: {}, patch: { $setElementOrder: [] }, error: { kind: 'decode', message: 'invalid patch format of setElementOrder list' } },
    { name: '$setElementOrder that is not a list', target: {}, patch: { '$setElementOrder/tags': 'x' }, error: { kind: 'decode', message: 'invalid patch format of setElementOrder list' } },
    { name: '$deleteFromPrimitiveList without a field', target: { tags: [1] }, patch: { $deleteFromPrimitiveList: [1] }, error: { kind: 'decode', message: 'invalid patch format of primitive list' } },
    { name: '$deleteFromPrimitiveList that is not a list', target: { tags: [1] }, patch: { '$deleteFromPrimitiveList/tags': 1 }, error: { kind: 'decode', message: 'invalid patch format of primitive list' } },
  ]);
});

t.test('patches that do not fit the target are apply errors (422)', async (t) => {
  check(t, [
    { name: 'list element types differ', target: { tags: [1, 2] }, patch: { tags: ['3'] }, error: { kind: 'apply', message: 'list element types are not identical' } },
    { name: 'lists of lists', target: { tags: [[1]] }, patch: { tags: [[2]] }, error: { kind: 'apply', message: 'lists of lists are not supported' } },
    { name: 'maps in a merging list without a merge key', target: { tags: [{ a: 1 }] }, patch: { tags: [{ a: 2 }] }, error: { kind: 'apply', message: 'cannot merge lists without merge key for tags' } },
    { name: 'a target element without the merge key', target: { sidecars: [{ image: 'x' }] }, patch: { sidecars: [{ name: 'a' }] }, error: { kind: 'apply', message: 'does not contain declared merge key: name' } },
  ]);
});

t.test('applyStrategicMergePatch never mutates its (frozen) inputs and shares nothing with them', async (t) => {
  const target = deepFreeze({
    sidecars: [{ name: 'a', ports: [{ port: 1 }] }, { name: 'b' }],
    tags: ['x'],
    union: { type: 't1', t1: { deep: true } },
    keep: { nested: { v: 1 } },
  });
  const patch = deepFreeze({
    '$setElementOrder/sidecars': [{ name: 'b' }, { name: 'a' }],
    sidecars: [{ name: 'a', ports: [{ port: 2 }] }],
    '$deleteFromPrimitiveList/tags': ['x'],
    union: { $retainKeys: ['type', 't2'], type: 't2', t2: { v: [1] } },
    added: { list: [{ a: 1 }] },
  });
  const targetBefore = deepCopy(target);
  const patchBefore = deepCopy(patch);
  const result = applyStrategicMergePatch(target, patch, schema) as Record<string, any>;
  t.same(target, targetBefore, 'target unchanged');
  t.same(patch, patchBefore, 'patch unchanged');
  t.same(result, {
    sidecars: [{ name: 'b' }, { name: 'a', ports: [{ port: 2 }, { port: 1 }] }],
    tags: [],
    union: { type: 't2', t2: { v: [1] } },
    keep: { nested: { v: 1 } },
    added: { list: [{ a: 1 }] },
  });
  t.not(result.keep, target.keep, 'untouched subtrees are copies');
  t.not(result.added.list, patch.added.list, 'patch values are copies');
  t.notOk(Object.isFrozen(result.keep), 'the result is not frozen');
});

t.test('strategicSchemaFor knows the merge keys of the built-in kinds (research/k8s-api.md §2.8)', async (t) => {
  const expectations: [group: string, kind: string, path: string, mergeKey: string | undefined, strategy: string][] = [
    ['', 'Pod', 'spec.containers', 'name', 'merge'],
    ['', 'Pod', 'spec.initContainers', 'name', 'merge'],
    ['', 'Pod', 'spec.ephemeralContainers', 'name', 'merge'],
    ['', 'Pod', 'spec.containers[].env', 'name', 'merge'],
    ['', 'Pod', 'spec.containers[].ports', 'containerPort', 'merge'],
    ['', 'Pod', 'spec.containers[].volumeMounts', 'mountPath', 'merge'],
    ['', 'Pod', 'spec.initContainers[].volumeDevices', 'devicePath', 'merge'],
    ['', 'Pod', 'spec.volumes', 'name', 'merge,retainKeys'],
    ['', 'Pod', 'spec.imagePullSecrets', 'name', 'merge'],
    ['', 'Pod', 'spec.hostAliases', 'ip', 'merge'],
    ['', 'Pod', 'spec.topologySpreadConstraints', 'topologyKey', 'merge'],
    ['', 'Pod', 'status.conditions', 'type', 'merge'],
    ['', 'Pod', 'status.podIPs', 'ip', 'merge'],
    ['', 'Pod', 'metadata.ownerReferences', 'uid', 'merge'],
    ['', 'Pod', 'metadata.finalizers', undefined, 'merge'],
    ['', 'Service', 'spec.ports', 'port', 'merge'],
    ['', 'Node', 'status.conditions', 'type', 'merge'],
    ['', 'Namespace', 'metadata.finalizers', undefined, 'merge'],
    ['', 'ConfigMap', 'metadata.ownerReferences', 'uid', 'merge'],
    ['', 'Secret', 'metadata.finalizers', undefined, 'merge'],
    ['', 'Endpoints', 'metadata.finalizers', undefined, 'merge'],
    ['', 'Event', 'metadata.ownerReferences', 'uid', 'merge'],
    ['apps', 'Deployment', 'spec.strategy', undefined, 'retainKeys'],
    ['apps', 'Deployment', 'spec.template.spec.containers', 'name', 'merge'],
    ['apps', 'Deployment', 'spec.template.spec.containers[].ports', 'containerPort', 'merge'],
    ['apps', 'Deployment', 'spec.template.metadata.finalizers', undefined, 'merge'],
    ['apps', 'Deployment', 'status.conditions', 'type', 'merge'],
    ['apps', 'ReplicaSet', 'spec.template.spec.volumes', 'name', 'merge,retainKeys'],
    ['apps', 'ReplicaSet', 'status.conditions', 'type', 'merge'],
    ['coordination.k8s.io', 'Lease', 'metadata.finalizers', undefined, 'merge'],
  ];
  for (const [group, kind, path, mergeKey, strategy] of expectations) {
    const field = strategicSchemaFor(group, kind)?.get(path);
    t.same(field && { mergeKey: field.mergeKey, strategy: field.strategy }, { mergeKey, strategy }, `${group || 'core'}/${kind} ${path}`);
  }
  t.equal(strategicSchemaFor('', 'Pod')?.get('spec.template.spec.containers'), undefined, 'Pods have no template');
  t.same([...strategicSchemaFor('coordination.k8s.io', 'Lease')!.keys()], ['metadata.ownerReferences', 'metadata.finalizers'], 'Lease has no special lists of its own');
  for (const [group, kind] of [['serving.knative.dev', 'Service'], ['serving.knative.dev', 'Revision'], ['autoscaling.internal.knative.dev', 'PodAutoscaler'], ['apps', 'Pod'], ['', 'Deployment']]) {
    t.equal(strategicSchemaFor(group, kind), undefined, `${group}/${kind} has no strategic merge support (415)`);
  }
});

t.test('kubectl-style patches against built-in kinds', async (t) => {
  const deployment = strategicSchemaFor('apps', 'Deployment')!;
  const target = {
    metadata: { name: 'd', finalizers: ['a.example/f'], ownerReferences: [{ uid: 'u1', name: 'o1' }] },
    spec: {
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      template: {
        metadata: { labels: { app: 'd' } },
        spec: {
          containers: [
            { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 8080, name: 'http' }] },
            { name: 'sidecar', image: 'side:1' },
          ],
        },
      },
    },
    status: { conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True' }] },
  };
  check(t, [
    {
      name: 'kubectl set image: change one container by name',
      target,
      patch: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'side:2' }] } } } },
      expected: (() => {
        const out = deepCopy(target);
        out.spec.template.spec.containers[1].image = 'side:2';
        return out;
      })(),
    },
    {
      name: 'env merges by name inside the container, ports by containerPort',
      target,
      patch: { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '3' }], ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } } } },
      expected: (() => {
        const out = deepCopy(target);
        out.spec.template.spec.containers[0].env![1].value = '3';
        Object.assign(out.spec.template.spec.containers[0].ports![0], { protocol: 'TCP' });
        return out;
      })(),
    },
    {
      name: 'switching strategy to Recreate with $retainKeys drops rollingUpdate',
      target,
      patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      expected: (() => {
        const out = deepCopy(target) as any;
        out.spec.strategy = { type: 'Recreate' };
        return out;
      })(),
    },
    {
      name: 'finalizers and ownerReferences merge, conditions merge by type',
      target,
      patch: {
        metadata: { finalizers: ['b.example/f'], ownerReferences: [{ uid: 'u2', name: 'o2' }] },
        status: { conditions: [{ type: 'Progressing', status: 'False' }] },
      },
      expected: (() => {
        const out = deepCopy(target);
        out.metadata.finalizers = ['b.example/f', 'a.example/f'];
        out.metadata.ownerReferences = [{ uid: 'u2', name: 'o2' }, { uid: 'u1', name: 'o1' }];
        out.status.conditions[1].status = 'False';
        return out;
      })(),
    },
    {
      name: 'removing a finalizer with $deleteFromPrimitiveList',
      target,
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.example/f'] } },
      expected: (() => {
        const out = deepCopy(target);
        out.metadata.finalizers = [];
        return out;
      })(),
    },
  ], deployment);
  const service = strategicSchemaFor('', 'Service')!;
  check(t, [{
    name: 'Service ports merge by port',
    target: { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443 }] } },
    patch: { spec: { ports: [{ port: 443, targetPort: 9443 }] } },
    expected: { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 9443 }] } },
  }], service);
  const configMap = strategicSchemaFor('', 'ConfigMap')!;
  check(t, [{
    name: 'ConfigMap data merges as a map',
    target: { data: { a: '1', b: '2' } },
    patch: { data: { b: null, c: '3' } },
    expected: { data: { a: '1', c: '3' } },
  }], configMap);
});
