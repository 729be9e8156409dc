// Go's strconv parsers and fmt's float verbs, which shape Knative's ConfigMap parsing and error
// text (rows in the style of Go's strconv atof_test.go / atoi_test.go and fmt_test.go).
import t from 'tap';
import { formatGoFixed, formatGoFloat, goRound } from '../../../src/knative/config/go-format.js';
import { goStrconv } from '../../../src/knative/config/go-strconv.js';

t.test('strconv.ParseFloat', async (t) => {
  const ok: [string, number][] = [
    ['1', 1], ['+1', 1], ['-1', -1], ['1.5', 1.5], ['.5', 0.5], ['5.', 5], ['1e3', 1000], ['1E-2', 0.01], ['0x1p-2', 0.25],
    ['0x1.8p1', 3], ['inf', Infinity], ['-Infinity', -Infinity], ['+INF', Infinity], ['10.0', 10], ['200.0', 200],
  ];
  for (const [text, value] of ok) t.same(goStrconv.parseFloat(text), { ok: true, value }, text);
  const nan = goStrconv.parseFloat('NaN');
  t.ok(nan.ok && Number.isNaN(nan.value), 'NaN parses');
  const bad: [string, string][] = [
    ['', 'strconv.ParseFloat: parsing "": invalid syntax'], [' 1', 'strconv.ParseFloat: parsing " 1": invalid syntax'],
    ['not a float', 'strconv.ParseFloat: parsing "not a float": invalid syntax'], ['0x10', 'strconv.ParseFloat: parsing "0x10": invalid syntax'],
    ['1_000', 'strconv.ParseFloat: parsing "1_000": invalid syntax'], ['1e400', 'strconv.ParseFloat: parsing "1e400": value out of range'],
    ['100}', 'strconv.ParseFloat: parsing "100}": invalid syntax'],
  ];
  for (const [text, message] of bad) {
    const result = goStrconv.parseFloat(text);
    t.equal(result.ok ? 'parsed' : result.error.message, message, JSON.stringify(text));
  }
});

t.test('strconv.ParseInt(s, 10, 32), Atoi and ParseBool', async (t) => {
  t.same(goStrconv.parseInt32('2147483647'), { ok: true, value: 2147483647 });
  t.same(goStrconv.parseInt32('-2147483648'), { ok: true, value: -2147483648 });
  t.same(goStrconv.parseInt32('+7'), { ok: true, value: 7 });
  const range = goStrconv.parseInt32('2147483648');
  t.equal(range.ok ? 'parsed' : range.error.message, 'strconv.ParseInt: parsing "2147483648": value out of range');
  const syntax = goStrconv.parseInt32('5s');
  t.equal(syntax.ok ? 'parsed' : syntax.error.problem, 'invalid syntax');
  const atoi = goStrconv.atoi('x');
  t.equal(atoi.ok ? 'parsed' : atoi.error.message, 'strconv.Atoi: parsing "x": invalid syntax');
  t.same(goStrconv.atoi('2147483648'), { ok: true, value: 2147483648 });
  for (const word of ['1', 't', 'T', 'TRUE', 'true', 'True']) t.same(goStrconv.parseBool(word), { ok: true, value: true }, word);
  for (const word of ['0', 'f', 'F', 'FALSE', 'false', 'False']) t.same(goStrconv.parseBool(word), { ok: true, value: false }, word);
  t.equal(goStrconv.parseBool('yes').ok, false);
});

t.test("fmt's %v, %f and math.Round", async (t) => {
  const v: [number, string][] = [
    [1, '1'], [1.01, '1.01'], [0.01, '0.01'], [0.001, '0.001'], [0.0001, '0.0001'], [0.00001, '1e-05'], [-55, '-55'],
    [100000, '100000'], [1000000, '1e+06'], [1234567, '1.234567e+06'], [0.95, '0.95'], [-5.25, '-5.25'], [Infinity, '+Inf'], [0, '0'],
  ];
  for (const [value, text] of v) t.equal(formatGoFloat(value), text, `%v ${value}`);
  t.equal(formatGoFixed(-11), '-11.000000');
  t.equal(formatGoFixed(1.424), '1.424000');
  t.same([goRound(2.5), goRound(-2.5), goRound(0.49999999999999994), goRound(-0.4)].map((x) => x + 0), [3, -3, 0, 0]);
});
