import t from 'tap';
import { escapeMarkup } from '../../src/report/escape-markup.js';
import { parseXml } from './xml-check.js';

t.test('escapeMarkup: markup characters round-trip through an XML attribute and element text', async (t) => {
  const hostile = `<script>alert("x" & 'y')</script>\tline1\nline2\r`;
  const doc = parseXml(`<a v="${escapeMarkup(hostile)}" w='${escapeMarkup(hostile)}'>${escapeMarkup(hostile, { keepNewlines: true })}</a>`);
  t.equal(doc.attrs.v, hostile, 'double-quoted attribute keeps every character, tab and newlines included');
  t.equal(doc.attrs.w, hostile, 'single-quoted attribute too');
  t.equal(doc.text, hostile, 'element text');
  t.notMatch(escapeMarkup(hostile), /[<>"'\n]/, 'no raw markup or newline left in attribute form');
});

t.test('escapeMarkup: characters XML cannot hold become visible escapes; astral characters stay', async (t) => {
  t.equal(escapeMarkup('bell\u0007 nul\u0000 esc\u001b'), 'bell\\u0007 nul\\u0000 esc\\u001b');
  t.equal(escapeMarkup('lone \ud800 surrogate'), 'lone \\ud800 surrogate');
  t.equal(escapeMarkup('emoji \u{1F600} ok'), 'emoji \u{1F600} ok', 'a surrogate pair is a real character');
  t.equal(escapeMarkup('\uFFFE'), '\\ufffe');
  t.doesNotThrow(() => parseXml(`<a x="${escapeMarkup('\u0001\u0002\u000b\u000c')}">${escapeMarkup('\u0003\u001f')}</a>`));
});
