import t from 'tap';
import { deepCopy, deepFreeze } from '../../src/apiserver/deep-copy.js';
import { LabelSelector, SelectorError, type StructuredLabelSelector } from '../../src/apiserver/label-selector.js';

function parseError(text: string): SelectorError | undefined {
  try {
    LabelSelector.parse(text);
    return undefined;
  } catch (error) {
    if (error instanceof SelectorError) return error;
    throw error;
  }
}

// labels/selector_test.go TestSelectorParse.
t.test('parse accepts good selectors and prints them back without spaces', async (t) => {
  for (const text of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']) {
    t.equal(LabelSelector.parse(text).toString(), text.replaceAll(' ', ''), JSON.stringify(text));
  }
});

t.test('parse rejects bad selectors with a SelectorError', async (t) => {
  for (const text of ['x=a||y=b', 'x==a==b', '!x=a', 'x<a']) {
    t.type(parseError(text), SelectorError, JSON.stringify(text));
  }
});

t.test('parse is deterministic: requirements are sorted by key', async (t) => {
  t.equal(LabelSelector.parse('x=a,a=x').toString(), LabelSelector.parse('a=x,x=a').toString());
  t.equal(LabelSelector.parse('x=a,a=x').toString(), 'a=x,x=a');
});

// TestEverything, TestMatchesNothing.
t.test('everything matches every label set; nothing matches none', async (t) => {
  t.ok(LabelSelector.everything().matches({ x: 'y' }));
  t.ok(LabelSelector.everything().matches(undefined));
  t.ok(LabelSelector.everything().isEverything());
  t.ok(LabelSelector.parse('').isEverything());
  t.notOk(LabelSelector.parse('a').isEverything());
  t.notOk(LabelSelector.nothing().matches({}));
  t.notOk(LabelSelector.nothing().matches({ x: 'y' }));
  t.notOk(LabelSelector.nothing().isEverything());
  t.ok(LabelSelector.nothing().isNothing());
  t.notOk(LabelSelector.parse('a,!a').isNothing(), 'a contradiction is not detected as nothing');
  t.equal(LabelSelector.nothing().toString(), '');
});

// TestSelectorMatches and TestRequirementSelectorMatching.
t.test('matches evaluates every requirement against the labels', async (t) => {
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=z', undefined, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['x>1', { x: 'v2' }, false],
    ['x>1', {}, false],
    ['x in (foo),y notin (alpha)', { x: 'foo', y: 'baz' }, true],
    ['x in (foo),y in (alpha)', { x: 'foo', y: 'baz' }, false],
    ['x notin (),y', { y: '' }, true],
    ['!x,y', { y: '' }, true],
    ['x notin (),!y', { y: '' }, false],
    ['x in ()', { y: 'baz' }, false],
    ['x in ()', { x: '' }, true],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }, true],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
    ['x!=y', {}, true],
    ['toString', {}, false],
  ];
  for (const [text, labels, expected] of cases) {
    t.equal(LabelSelector.parse(text).matches(labels), expected, `${JSON.stringify(text)} on ${JSON.stringify(labels)}`);
  }
});

// TestSetSelectorParser: [input, canonical string] for valid input.
t.test('parse handles whitespace, set syntax, empty values and keywords as values', async (t) => {
  const valid: [string, string][] = [
    ['', ''],
    ['\rx', 'x'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', 'this-is-another-dns.domain.com/key-with-dash in (so,what)'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x  notin\t\t(abc,def)', 'x notin (abc,def)'],
    ['x in (def,abc)', 'x in (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in (abc,abc)', 'x in (abc)'],
    ['x in ()', 'x in ()'],
    ['x in (a,,)', 'x in (,a)'],
    ['x in (a,,,,,,)', 'x in (,a)'],
    ['x in (a,,a,,a,,a,,)', 'x in (,a)'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['x,y in (a)', 'x,y in (a)'],
    ['x=a,y!=b,z in (h,i,j)', 'x=a,y!=b,z in (h,i,j)'],
    ['x notin ( )', 'x notin ()'],
    ['x notin (, a)', 'x notin (,a)'],
    ['a ', 'a'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['x==a', 'x==a'],
    ['in=notin', 'in=notin'],
  ];
  for (const [text, canonical] of valid) t.equal(LabelSelector.parse(text).toString(), canonical, JSON.stringify(text));
  const invalid = ['x=a||y=b', 'x,,y', ',x,y', 'x nott in (y)', 'a in (xyz),', 'a in (xyz)b notin ()', 'a in (xyz abc)', 'a notin(', 'a (', '(', 'x=(a)', 'x in a', 'x>'];
  for (const text of invalid) t.type(parseError(text), SelectorError, `${JSON.stringify(text)} is rejected`);
});

t.test('parse errors name the bad part like upstream', async (t) => {
  const cases: [string, string | RegExp][] = [
    ['x,,y', "found ',', expected: identifier after ','"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['a in (xyz)b', "found 'b', expected: ',' or 'end of string'"],
    ['x nott in (y)', "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ['a in x', "unable to parse requirement: found 'x' expected: '('"],
    ['x=a||y', 'unable to parse requirement: values[0][x]: Invalid value: "a||y": a valid label must be an empty string or consist of alphanumeric characters'],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['Bad_', 'unable to parse requirement: <nil>: Invalid value: "Bad_": name part must consist of alphanumeric characters'],
    ['example.com/', 'name part must be non-empty'],
    ['/name', 'prefix part must be non-empty'],
    ['Example.com/name', 'prefix part a lowercase RFC 1123 subdomain must consist of'],
    ['a/b/c', "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/'"],
    [`${'k'.repeat(64)}`, 'name part must be no more than 63 bytes'],
    [`x=${'v'.repeat(64)}`, 'must be no more than 63 bytes'],
  ];
  for (const [text, message] of cases) t.match(parseError(text)?.message, message, JSON.stringify(text));
});

// TestToString.
t.test('toString prints the canonical form', async (t) => {
  const cases: [string, string][] = [
    ['z,y notin (jkl),x in (def,abc)', 'x in (abc,def),y notin (jkl),z'],
    ['!z,y!=jkl,x notin (abc,def)', 'x notin (abc,def),y!=jkl,!z'],
    ['x notin (abc),y in (mno,jkl),z notin ()', 'x notin (abc),y in (jkl,mno),z notin ()'],
    ['x=abc,y==jkl,z!=a,z', 'x=abc,y==jkl,z!=a,z'],
    ['z,y<8,x>2', 'x>2,y<8,z'],
  ];
  for (const [text, canonical] of cases) t.equal(LabelSelector.parse(text).toString(), canonical, text);
});

// TestRequiresExactMatch.
t.test('requiresExactMatch answers the single value a key is pinned to', async (t) => {
  const cases: [string, string, string | undefined][] = [
    ['key in (value)', 'key', 'value'],
    ['key in (value,value2)', 'key', undefined],
    ['key in (value,value1),key2 in (value2)', 'key2', 'value2'],
    ['key=value', 'key', 'value'],
    ['key==value', 'key', 'value'],
    ['key!=value', 'key', undefined],
    ['key in (value),key2 in (value2)', 'key', 'value'],
    ['key', 'key', undefined],
    ['other=value', 'key', undefined],
  ];
  for (const [text, key, expected] of cases) t.equal(LabelSelector.parse(text).requiresExactMatch(key), expected, `${text} / ${key}`);
  t.equal(LabelSelector.nothing().requiresExactMatch('key'), undefined);
});

// meta/v1 helpers_test.go TestLabelSelectorAsSelector.
t.test('fromLabelSelector converts metav1.LabelSelector like LabelSelectorAsSelector', async (t) => {
  const matchLabels = { foo: 'bar' };
  const matchExpressions: StructuredLabelSelector['matchExpressions'] = [{ key: 'baz', operator: 'In', values: ['qux', 'norf'] }];
  t.ok(LabelSelector.fromLabelSelector(null).isNothing(), 'null matches nothing');
  t.ok(LabelSelector.fromLabelSelector(undefined).isNothing(), 'undefined matches nothing');
  t.notOk(LabelSelector.fromLabelSelector(null).matches({}));
  t.ok(LabelSelector.fromLabelSelector({}).isEverything(), 'empty matches everything');
  t.ok(LabelSelector.fromLabelSelector({ matchLabels: {}, matchExpressions: [] }).matches({ any: 'thing' }));
  t.equal(LabelSelector.fromLabelSelector({ matchLabels }).toString(), 'foo=bar');
  t.equal(LabelSelector.fromLabelSelector({ matchExpressions }).toString(), 'baz in (norf,qux)');
  t.equal(LabelSelector.fromLabelSelector({ matchLabels, matchExpressions }).toString(), 'baz in (norf,qux),foo=bar');
  const all = LabelSelector.fromLabelSelector({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'NotIn', values: ['db'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'team', operator: 'Exists' },
    ],
  });
  t.ok(all.matches({ app: 'web', tier: 'front', team: 'a' }));
  t.notOk(all.matches({ app: 'web', tier: 'db', team: 'a' }));
  t.notOk(all.matches({ app: 'web', team: 'a', canary: 'yes' }));
  t.notOk(all.matches({ app: 'web' }));
});

t.test('fromLabelSelector rejects invalid requirements and leaves its input alone', async (t) => {
  const input = deepFreeze({ matchExpressions: [{ key: 'baz', operator: 'Exists' as const, values: ['qux', 'norf'] }] });
  const before = deepCopy(input);
  t.throws(() => LabelSelector.fromLabelSelector(input), { name: 'SelectorError', message: /values set must be empty for exists and does not exist/ });
  t.same(input, before, 'input unchanged');
  t.throws(() => LabelSelector.fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), /values set can't be empty/);
  t.throws(() => LabelSelector.fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt' as 'In', values: ['1'] }] }), /"Gt" is not a valid label selector operator/);
  t.throws(() => LabelSelector.fromLabelSelector({ matchLabels: { 'bad key': 'v' } }), /key: Invalid value: "bad key"/);
  t.throws(() => LabelSelector.fromLabelSelector({ matchLabels: { Key: 'axahm2EJ8Phiephe2eixohbee9eGeiyees1thuozi1xoh0GiuH3diewi8iem7Nui' } }), /values\[0\]\[Key\]: Invalid value/);
  const values = ['b', 'a'];
  const sorted = LabelSelector.fromLabelSelector({ matchExpressions: [{ key: 'k', operator: 'In', values }] });
  t.equal(sorted.toString(), 'k in (a,b)');
  t.same(values, ['b', 'a'], 'values array not sorted in place');
});
