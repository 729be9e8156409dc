import t from 'tap';
import { FieldSelector } from '../../src/apiserver/field-selector.js';
import { SelectorError } from '../../src/apiserver/label-selector.js';

function fieldsOf(set: Record<string, string>): (path: string) => string | undefined {
  return (path) => (Object.hasOwn(set, path) ? set[path] : undefined);
}

// fields/selector_test.go TestSelectorParse.
t.test('parse accepts good selectors and prints them back unchanged', async (t) => {
  for (const text of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b']) {
    t.equal(FieldSelector.parse(text).toString(), text, JSON.stringify(text));
  }
});

t.test('parse rejects bad selectors with a SelectorError naming the term', async (t) => {
  const cases: [string, string][] = [
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x in (a,b,c)', "can't understand"],
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['k=\\a', 'invalid field selector: invalid escape sequence: \\a'],
    ['k=\\', 'invalid field selector: invalid escape sequence: \\'],
    ['k=a\\\\\\', 'invalid escape sequence'],
  ];
  for (const [text, message] of cases) {
    t.throws(() => FieldSelector.parse(text), new SelectorError(message), JSON.stringify(text));
  }
});

t.test('parse is deterministic: terms are sorted', async (t) => {
  t.equal(FieldSelector.parse('x=a,a=x').toString(), FieldSelector.parse('a=x,x=a').toString());
  t.same(FieldSelector.parse('x=a,a=x').fields(), ['a', 'x']);
});

t.test('empty terms are skipped and == prints as =', async (t) => {
  t.equal(FieldSelector.parse('a=a,').toString(), 'a=a');
  t.equal(FieldSelector.parse(',a=a').toString(), 'a=a');
  t.equal(FieldSelector.parse('b==v').toString(), 'b=v');
  t.ok(FieldSelector.parse('').isEverything());
  t.ok(FieldSelector.everything().isEverything());
  t.notOk(FieldSelector.parse('a=').isEverything());
});

// TestSelectorMatches.
t.test('matches compares each term with the field value, absent fields reading as ""', async (t) => {
  const fieldset = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };
  const cases: [string, Record<string, string>, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['foo=bar', fieldset, true],
    ['baz=blah', fieldset, true],
    ['foo=bar,baz=blah', fieldset, true],
    ['foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', fieldset, true],
    ['foo=blah', fieldset, false],
    ['baz=bar', fieldset, false],
    ['foo=bar,foobar=bar,baz=blah', fieldset, false],
    ['missing=', {}, true],
    ['missing!=', {}, false],
    ['missing!=x', {}, true],
  ];
  for (const [text, set, expected] of cases) {
    t.equal(FieldSelector.parse(text).matches(fieldsOf(set)), expected, `${text} on ${JSON.stringify(set)}`);
  }
});

t.test('fields, terms and requiresExactMatch expose what the server needs', async (t) => {
  const selector = FieldSelector.parse('metadata.name=web,status.phase!=Failed,metadata.name==web');
  t.same(selector.fields(), ['metadata.name', 'status.phase']);
  t.same(selector.terms(), [
    { field: 'metadata.name', operator: '=', value: 'web' },
    { field: 'metadata.name', operator: '=', value: 'web' },
    { field: 'status.phase', operator: '!=', value: 'Failed' },
  ]);
  t.equal(selector.requiresExactMatch('metadata.name'), 'web');
  t.equal(selector.requiresExactMatch('status.phase'), undefined, '!= pins nothing');
  t.equal(selector.requiresExactMatch('spec.nodeName'), undefined);
  t.equal(FieldSelector.parse('spec.nodeName=').requiresExactMatch('spec.nodeName'), '', 'an empty value is a value');
  t.equal(FieldSelector.parse('involvedObject.name=a\\,b').requiresExactMatch('involvedObject.name'), 'a,b', 'unescaped');
});
