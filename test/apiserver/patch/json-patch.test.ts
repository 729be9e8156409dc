import t from 'tap';
import { deepCopy, deepFreeze } from '../../../src/apiserver/deep-copy.js';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from '../../../src/apiserver/patch/json-patch.js';
import { PatchError } from '../../../src/apiserver/patch/patch-error.js';

interface Case {
  name: string;
  doc: unknown;
  patch: unknown;
  expected?: unknown;
  error?: { kind: 'decode' | 'apply'; message?: string | RegExp };
}

/** The assertions `check` needs; tap's Test provides them. */
interface Asserts {
  same(found: unknown, wanted: unknown, message: string): boolean;
  match(found: unknown, pattern: unknown, message: string): boolean;
}

function outcome(doc: unknown, patch: unknown): { value: unknown } | { error: PatchError } {
  try {
    return { value: applyJsonPatch(doc, patch) };
  } catch (error) {
    if (error instanceof PatchError) return { error };
    throw error;
  }
}

function check(t: Asserts, c: Case): void {
  if (c.error === undefined) {
    t.same(outcome(c.doc, c.patch), { value: c.expected }, c.name);
  } else {
    t.match(outcome(c.doc, c.patch), { error: { kind: c.error.kind, message: c.error.message ?? String } }, c.name);
  }
}

// RFC 6902 Appendix A. A.13 (an operation object with "op" twice) is about the JSON text: once
// parsed, the last "op" wins and the document is `remove /baz`, which fails on this target.
const appendixA: Case[] = [
  { name: 'A.1 adding an object member', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz', value: 'qux' }], expected: { baz: 'qux', foo: 'bar' } },
  { name: 'A.2 adding an array element', doc: { foo: ['bar', 'baz'] }, patch: [{ op: 'add', path: '/foo/1', value: 'qux' }], expected: { foo: ['bar', 'qux', 'baz'] } },
  { name: 'A.3 removing an object member', doc: { baz: 'qux', foo: 'bar' }, patch: [{ op: 'remove', path: '/baz' }], expected: { foo: 'bar' } },
  { name: 'A.4 removing an array element', doc: { foo: ['bar', 'qux', 'baz'] }, patch: [{ op: 'remove', path: '/foo/1' }], expected: { foo: ['bar', 'baz'] } },
  { name: 'A.5 replacing a value', doc: { baz: 'qux', foo: 'bar' }, patch: [{ op: 'replace', path: '/baz', value: 'boo' }], expected: { baz: 'boo', foo: 'bar' } },
  {
    name: 'A.6 moving a value',
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    expected: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  { name: 'A.7 moving an array element', doc: { foo: ['all', 'grass', 'cows', 'eat'] }, patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }], expected: { foo: ['all', 'cows', 'eat', 'grass'] } },
  {
    name: 'A.8 testing a value: success',
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    patch: [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }],
    expected: { baz: 'qux', foo: ['a', 2, 'c'] },
  },
  { name: 'A.9 testing a value: error', doc: { baz: 'qux' }, patch: [{ op: 'test', path: '/baz', value: 'bar' }], error: { kind: 'apply', message: 'testing value /baz failed: test failed' } },
  { name: 'A.10 adding a nested member object', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/child', value: { grandchild: {} } }], expected: { foo: 'bar', child: { grandchild: {} } } },
  { name: 'A.11 ignoring unrecognized elements', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], expected: { foo: 'bar', baz: 'qux' } },
  {
    name: 'A.12 adding to a nonexistent target',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz/bat', value: 'qux' }],
    error: { kind: 'apply', message: 'add operation does not apply: doc is missing path: "/baz/bat": missing value' },
  },
  {
    name: 'A.13 invalid JSON patch document (duplicate "op", last one wins once parsed)',
    doc: { foo: 'bar' },
    patch: JSON.parse('[{ "op": "add", "path": "/baz", "value": "qux", "op": "remove" }]'),
    error: { kind: 'apply' },
  },
  { name: 'A.14 ~ escape ordering', doc: { '/': 9, '~1': 10 }, patch: [{ op: 'test', path: '/~01', value: 10 }], expected: { '/': 9, '~1': 10 } },
  { name: 'A.15 comparing strings and numbers', doc: { '/': 9, '~1': 10 }, patch: [{ op: 'test', path: '/~01', value: '10' }], error: { kind: 'apply', message: /testing value \/~01 failed/ } },
  { name: 'A.16 adding an array value', doc: { foo: ['bar'] }, patch: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], expected: { foo: ['bar', ['abc', 'def']] } },
];

t.test('applyJsonPatch reproduces RFC 6902 Appendix A.1 to A.16', async (t) => {
  for (const c of appendixA) check(t, c);
});

t.test('more operations: root pointer, copy, escapes, null values, move onto itself', async (t) => {
  const cases: Case[] = [
    { name: 'add at the root replaces the document', doc: { a: 1 }, patch: [{ op: 'add', path: '', value: [1] }], expected: [1] },
    { name: 'replace at the root', doc: { a: 1 }, patch: [{ op: 'replace', path: '', value: { b: 2 } }], expected: { b: 2 } },
    { name: 'test at the root', doc: { a: [1] }, patch: [{ op: 'test', path: '', value: { a: [1] } }], expected: { a: [1] } },
    { name: 'copy an object member', doc: { a: { b: 1 } }, patch: [{ op: 'copy', from: '/a', path: '/c' }], expected: { a: { b: 1 }, c: { b: 1 } } },
    { name: 'copy into an array by index', doc: { a: 'x', l: [1] }, patch: [{ op: 'copy', from: '/a', path: '/l/0' }], expected: { a: 'x', l: ['x', 1] } },
    { name: 'add replaces an existing member', doc: { a: 1 }, patch: [{ op: 'add', path: '/a', value: 2 }], expected: { a: 2 } },
    { name: 'add at the array end by index', doc: { l: [1] }, patch: [{ op: 'add', path: '/l/1', value: 2 }], expected: { l: [1, 2] } },
    { name: 'a null value is a value', doc: { a: 1 }, patch: [{ op: 'replace', path: '/a', value: null }, { op: 'test', path: '/a', value: null }], expected: { a: null } },
    { name: '~1 and ~0 decode to / and ~', doc: {}, patch: [{ op: 'add', path: '/a~1b~0c', value: 1 }], expected: { 'a/b~c': 1 } },
    { name: 'annotation-style keys', doc: { metadata: { annotations: {} } }, patch: [{ op: 'add', path: '/metadata/annotations/example.com~1note', value: 'n' }], expected: { metadata: { annotations: { 'example.com/note': 'n' } } } },
    { name: 'move onto itself is a no-op', doc: { a: 1 }, patch: [{ op: 'move', from: '/a', path: '/a' }], expected: { a: 1 } },
    { name: 'operations run in order', doc: { l: [] }, patch: [{ op: 'add', path: '/l/-', value: 1 }, { op: 'add', path: '/l/0', value: 0 }, { op: 'remove', path: '/l/1' }], expected: { l: [0] } },
    { name: 'an empty patch is a no-op', doc: { a: 1 }, patch: [], expected: { a: 1 } },
    { name: 'test compares objects ignoring member order', doc: { a: { x: 1, y: 2 } }, patch: [{ op: 'test', path: '/a', value: { y: 2, x: 1 } }], expected: { a: { x: 1, y: 2 } } },
  ];
  for (const c of cases) check(t, c);
});

t.test('undecodable patch documents are decode errors (400)', async (t) => {
  const doc = { a: 1 };
  const cases: Case[] = [
    { name: 'an object instead of an array', doc, patch: { op: 'add' }, error: { kind: 'decode', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' } },
    { name: 'a string instead of an array', doc, patch: 'x', error: { kind: 'decode', message: /cannot unmarshal string/ } },
    { name: 'null instead of an array', doc, patch: null, error: { kind: 'decode' } },
    { name: 'an operation that is not an object', doc, patch: ['add'], error: { kind: 'decode', message: /jsonpatch\.Operation/ } },
    { name: 'op missing', doc, patch: [{ path: '/a' }], error: { kind: 'decode', message: 'Unexpected kind: unknown' } },
    { name: 'op unknown', doc, patch: [{ op: 'merge', path: '/a' }], error: { kind: 'decode', message: 'Unexpected kind: merge' } },
    { name: 'path missing', doc, patch: [{ op: 'remove' }], error: { kind: 'decode', message: 'operation missing path field: missing value' } },
    { name: 'path not a string', doc, patch: [{ op: 'remove', path: 3 }], error: { kind: 'decode', message: /cannot unmarshal number into Go value of type string/ } },
    { name: 'value missing for add', doc, patch: [{ op: 'add', path: '/b' }], error: { kind: 'decode', message: 'operation, missing value field: missing value' } },
    { name: 'value missing for replace', doc, patch: [{ op: 'replace', path: '/a' }], error: { kind: 'decode' } },
    { name: 'value missing for test', doc, patch: [{ op: 'test', path: '/a' }], error: { kind: 'decode' } },
    { name: 'from missing for move', doc, patch: [{ op: 'move', path: '/b' }], error: { kind: 'decode', message: 'operation, missing from field: missing value' } },
    { name: 'from missing for copy', doc, patch: [{ op: 'copy', path: '/b' }], error: { kind: 'decode' } },
    { name: 'pointer without leading slash', doc, patch: [{ op: 'remove', path: 'a' }], error: { kind: 'decode', message: /invalid JSON pointer "a"/ } },
    { name: 'pointer with a bad ~ escape', doc, patch: [{ op: 'remove', path: '/a~2' }], error: { kind: 'decode', message: /"~" must be followed/ } },
    {
      name: 'a bad operation after good ones fails before any runs',
      doc,
      patch: [{ op: 'test', path: '/a', value: 2 }, { op: 'bogus', path: '/a' }],
      error: { kind: 'decode', message: 'Unexpected kind: bogus' },
    },
  ];
  for (const c of cases) check(t, c);
});

t.test('a patch with more than 10000 operations is refused naming the limit', async (t) => {
  t.equal(MAX_JSON_PATCH_OPERATIONS, 10000);
  const ok = Array.from({ length: MAX_JSON_PATCH_OPERATIONS }, () => ({ op: 'test', path: '/a', value: 1 }));
  t.same(applyJsonPatch({ a: 1 }, ok), { a: 1 }, 'exactly 10000 is allowed');
  check(t, {
    name: '10001 operations',
    doc: { a: 1 },
    patch: [...ok, { op: 'test', path: '/a', value: 1 }],
    error: { kind: 'decode', message: 'The allowed maximum operations in a JSON patch is 10000, got 10001' },
  });
});

t.test('well-formed operations that do not fit the document are apply errors (422)', async (t) => {
  const cases: Case[] = [
    { name: 'remove a missing member', doc: { a: { b: { d: 1 } } }, patch: [{ op: 'remove', path: '/a/b/c' }], error: { kind: 'apply', message: "error in remove for path: '/a/b/c': Unable to remove nonexistent key: c: missing value" } },
    { name: 'remove under a missing parent', doc: { a: 1 }, patch: [{ op: 'remove', path: '/x/y' }], error: { kind: 'apply', message: /doc is missing path/ } },
    { name: 'remove past the array end', doc: { a: { b: [1] } }, patch: [{ op: 'remove', path: '/a/b/1' }], error: { kind: 'apply', message: "error in remove for path: '/a/b/1': Unable to access invalid index: 1: invalid index referenced" } },
    { name: 'remove "-"', doc: { foo: [] }, patch: [{ op: 'remove', path: '/foo/-' }], error: { kind: 'apply' } },
    { name: 'remove the root', doc: { a: 1 }, patch: [{ op: 'remove', path: '' }], error: { kind: 'apply' } },
    { name: 'add past the array end', doc: { foo: ['bar'] }, patch: [{ op: 'add', path: '/foo/2', value: 'bum' }], error: { kind: 'apply', message: /Unable to access invalid index: 2/ } },
    { name: 'add at a negative index', doc: { foo: ['bar', 'baz'] }, patch: [{ op: 'add', path: '/foo/-4', value: 'bum' }], error: { kind: 'apply' } },
    { name: 'add at an index with a leading zero', doc: { foo: ['bar'] }, patch: [{ op: 'add', path: '/foo/01', value: 'x' }], error: { kind: 'apply', message: /not a proper array index/ } },
    { name: 'add under a scalar', doc: { a: 'x' }, patch: [{ op: 'add', path: '/a/b', value: 1 }], error: { kind: 'apply' } },
    { name: 'replace a missing member', doc: { name: { foo: 'bat' } }, patch: [{ op: 'replace', path: '/foo/bar', value: 'baz' }], error: { kind: 'apply', message: /replace operation does not apply: doc is missing path: \/foo\/bar/ } },
    { name: 'replace a missing key of an existing object', doc: { a: {} }, patch: [{ op: 'replace', path: '/a/b', value: 1 }], error: { kind: 'apply', message: 'replace operation does not apply: doc is missing key: /a/b: missing value' } },
    { name: 'replace past the array end', doc: { foo: ['bar', 'baz'] }, patch: [{ op: 'replace', path: '/foo/2', value: 'bum' }], error: { kind: 'apply' } },
    { name: 'move from a missing member', doc: { a: { b: { d: 1 } } }, patch: [{ op: 'move', from: '/a/b/c', path: '/a/b/e' }], error: { kind: 'apply', message: 'move operation does not apply: doc is missing from path: /a/b/c: missing value' } },
    { name: 'move past the array end', doc: { a: { b: [1] } }, patch: [{ op: 'move', from: '/a/b/1', path: '/a/b/2' }], error: { kind: 'apply' } },
    { name: 'move into its own child', doc: { a: { b: 1 } }, patch: [{ op: 'move', from: '/a', path: '/a/c' }], error: { kind: 'apply', message: /inside from path/ } },
    { name: 'copy from a missing member', doc: { a: 1 }, patch: [{ op: 'copy', from: '/b', path: '/c' }], error: { kind: 'apply', message: /copy operation does not apply/ } },
    { name: 'test a missing member', doc: { a: 1 }, patch: [{ op: 'test', path: '/b', value: null }], error: { kind: 'apply', message: 'test operation does not apply: is missing path: /b: missing value' } },
    { name: 'a failing test stops later operations', doc: { a: 1 }, patch: [{ op: 'test', path: '/a', value: 2 }, { op: 'remove', path: '/a' }], error: { kind: 'apply', message: /testing value \/a failed/ } },
  ];
  for (const c of cases) check(t, c);
});

t.test('applyJsonPatch never mutates its inputs and returns fresh objects', async (t) => {
  const doc = deepFreeze({ spec: { list: [{ a: 1 }, { a: 2 }] }, meta: { keep: { x: 1 } } });
  const patch = deepFreeze([
    { op: 'add', path: '/spec/list/-', value: { a: 3 } },
    { op: 'copy', from: '/spec/list/0', path: '/copied' },
    { op: 'remove', path: '/spec/list/1' },
    { op: 'move', from: '/meta/keep', path: '/moved' },
  ]);
  const before = deepCopy(doc);
  const result = applyJsonPatch(doc, patch) as { spec: { list: { a: number }[] }; copied: { a: number }; moved: unknown };
  t.same(doc, before, 'target unchanged');
  t.same(result, { spec: { list: [{ a: 1 }, { a: 3 }] }, meta: {}, copied: { a: 1 }, moved: { x: 1 } });
  t.not(result.copied, result.spec.list[0], 'copy makes an independent value');
  t.not(result.spec.list[1], (patch[0] as { value: unknown }).value, 'added values are copies of the patch');
  t.not(result.moved, doc.meta.keep);
});
