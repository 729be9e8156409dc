// Escaping for XML and HTML text and attribute values. Everything a report prints that came from a
// scenario, a history or a result goes through here: object names, condition reasons and oracle
// reasons are free text and may hold markup or control characters.

// XML 1.0 §2.2 Char: tab, newline and carriage return are the only characters below U+0020 a
// document may hold, even as character references; U+FFFE, U+FFFF and lone surrogates are not
// characters at all. We show such a character as its JavaScript escape (`\u0007`), which a person
// can still read and which keeps the document well-formed.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // In attribute values a parser would normalise these to spaces; references keep them.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function visibleEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` made safe as XML or HTML character data and as a quoted attribute value: markup characters
 * become entity references, characters XML cannot hold become a visible `\uXXXX`. With
 * `{ keepNewlines: true }` tab, newline and carriage return stay literal (for element content).
 */
export function escapeMarkup(text: string, options: { keepNewlines?: boolean } = {}): string {
  const cleaned = text.replace(NOT_XML_CHAR, visibleEscape);
  const special = options.keepNewlines ? /[&<>"']/g : /[&<>"'\t\n\r]/g;
  return cleaned.replace(special, (ch) => ENTITY[ch]);
}
