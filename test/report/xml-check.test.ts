import t from 'tap';
import { findAll, parseXml, textOf } from './xml-check.js';

t.test('the test XML reader accepts a well-formed document and decodes references', async (t) => {
  const doc = parseXml('<?xml version="1.0"?>\n<a x="1 &amp; &lt;2&gt; &#10;"><b>t &quot;q&quot; &#x41;</b><b/></a>\n');
  t.equal(doc.name, 'a');
  t.equal(doc.attrs.x, '1 & <2> \n');
  t.equal(findAll(doc, 'b').length, 2);
  t.equal(textOf(doc), 't "q" A');
  t.equal(parseXml('<!DOCTYPE html>\n<html><meta charset="utf-8"/></html>').children[0].name, 'meta');
});

t.test('the test XML reader rejects what is not well-formed, so report tests can rely on it', async (t) => {
  const bad: [string, RegExp][] = [
    ['<a><b></a></b>', /closes/],
    ['<a>', /unclosed/],
    ['<a>1 < 2</a>', /bad tag name/],
    ['<a>x &foo; y</a>', /bad reference/],
    ['<a>x & y</a>', /unterminated reference|bad reference/],
    ['<a x="<"/>', /raw </],
    ['<a x="1" x="2"/>', /duplicate/],
    ['<a>\u0007</a>', /non-XML character/],
    ['<a>&#1;</a>', /non-XML character/],
    ['<a/><b/>', /second root/],
    ['<a x="1"y="2"/>', /white space/],
    ['text', /no root|outside/],
  ];
  for (const [text, error] of bad) t.throws(() => parseXml(text), error, JSON.stringify(text));
});
