// A minimal, strict XML reader for the report tests: it throws on anything that is not well-formed
// (unbalanced or crossed tags, a raw `<` or a bad `&` reference in text or attributes, a duplicate
// attribute, a character XML cannot hold, more than one root) and otherwise returns the element tree
// with attribute values and text decoded, so tests can count and read what a report says.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Decoded character data directly inside this element, concatenated. */
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
// eslint-disable-next-line no-control-regex
const BAD_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw < in ${where}: ${JSON.stringify(raw.slice(0, 80))}`);
  return raw.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`unterminated reference in ${where}: ${JSON.stringify(whole)}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (ref in named) return named[ref];
    const m = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(ref);
    if (!m) throw new Error(`bad reference &${ref}; in ${where}`);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2], 10);
    const ch = String.fromCodePoint(code);
    if (BAD_CHAR.test(ch)) throw new Error(`reference to a non-XML character &${ref}; in ${where}`);
    return ch;
  });
}

/** Parses `text` as XML (an XML declaration and an HTML doctype are allowed before the root). */
export function parseXml(text: string): XmlElement {
  if (BAD_CHAR.test(text)) throw new Error(`non-XML character at ${text.search(BAD_CHAR)}`);
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skipProlog = (): void => {
    for (;;) {
      const at = i + /^\s*/.exec(text.slice(i))![0].length;
      const end = text.startsWith('<?xml', at) ? text.indexOf('?>', at) + 2
        : text.startsWith('<!DOCTYPE', at) ? text.indexOf('>', at) + 1
          : text.startsWith('<!--', at) ? text.indexOf('-->', at) + 3
            : -1;
      if (end <= at) return;
      i = end;
    }
  };
  skipProlog();
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt === -1 ? text.length : lt);
    if (stack.length === 0) {
      if (chunk.trim() !== '') throw new Error(`text outside the root element: ${JSON.stringify(chunk.slice(0, 40))}`);
    } else stack[stack.length - 1].text += decode(chunk, `<${stack[stack.length - 1].name}> text`);
    if (lt === -1) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end === -1) throw new Error('unterminated comment');
      i = end + 3;
      continue;
    }
    if (text.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_:][\w.:-]*)\s*>/.exec(text.slice(i));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (open === undefined || open.name !== m[1]) throw new Error(`</${m[1]}> closes <${open?.name ?? 'nothing'}> at ${i}`);
      i += m[0].length;
      continue;
    }
    i += 1;
    const name = NAME.exec(text.slice(i))?.[0];
    if (name === undefined) throw new Error(`bad tag name at ${i}`);
    i += name.length;
    const el: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      const ws = /^\s*/.exec(text.slice(i))![0].length;
      i += ws;
      if (text.startsWith('/>', i) || text.startsWith('>', i)) break;
      if (ws === 0) throw new Error(`attributes of <${name}> need white space between them at ${i}`);
      const m = /^([A-Za-z_:][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(text.slice(i));
      if (!m) throw new Error(`bad attribute in <${name}> at ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
      if (m[1] in el.attrs) throw new Error(`duplicate attribute ${m[1]} in <${name}>`);
      el.attrs[m[1]] = decode(m[3] ?? m[4], `<${name} ${m[1]}>`);
      i += m[0].length;
    }
    if (stack.length === 0) {
      if (root !== undefined) throw new Error(`second root element <${name}>`);
      root = el;
    } else stack[stack.length - 1].children.push(el);
    if (text.startsWith('/>', i)) i += 2;
    else {
      i += 1;
      stack.push(el);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root === undefined) throw new Error('no root element');
  return root;
}

/** Every element named `name` in the tree, in document order. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (e.name === name) out.push(e);
    for (const c of e.children) walk(c);
  };
  walk(el);
  return out;
}

/** All decoded text under `el`. */
export function textOf(el: XmlElement): string {
  return el.text + el.children.map(textOf).join('');
}
