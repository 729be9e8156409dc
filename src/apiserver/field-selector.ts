// Field selectors: the `fieldSelector` query parameter (k8s.io/apimachinery pkg/fields/selector.go:
// splitTerms, splitTerm, UnescapeValue, EscapeValue, parseSelector). Terms are `field=value`,
// `field==value` or `field!=value`, comma-separated; in values, `\,`, `\=` and `\\` escape a comma,
// an equals sign and a backslash. Terms are kept sorted by their text, as upstream sorts them, so
// equal selectors print equally. A field the object does not have reads as "" (fields.Set.Get).
import { SelectorError } from './label-selector.js';

export interface FieldSelectorTerm {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** Checked in this order at each position, so "==" is not read as "=" followed by "=value". */
const TERM_OPERATORS = ['!=', '==', '='] as const;

export class FieldSelector {
  readonly #terms: readonly FieldSelectorTerm[];

  private constructor(terms: readonly FieldSelectorTerm[]) {
    this.#terms = terms;
  }

  /** Matches every object. */
  static everything(): FieldSelector {
    return new FieldSelector([]);
  }

  /** Parses the string syntax; "" selects everything. Throws SelectorError naming the bad term. */
  static parse(text: string): FieldSelector {
    const terms: FieldSelectorTerm[] = [];
    for (const part of splitTerms(text).sort(compareStrings)) {
      if (part === '') continue;
      terms.push(parseTerm(part, text));
    }
    return new FieldSelector(terms);
  }

  /** True when every term holds; `getField` answers a field path, undefined when absent (reads as ""). */
  matches(getField: (path: string) => string | undefined): boolean {
    return this.#terms.every((term) => ((getField(term.field) ?? '') === term.value) === (term.operator === '='));
  }

  /** The field paths the selector uses, each once, in selector order. */
  fields(): string[] {
    return [...new Set(this.#terms.map((term) => term.field))];
  }

  /** The terms, sorted as the selector keeps them. */
  terms(): readonly FieldSelectorTerm[] {
    return this.#terms;
  }

  /** The value an `=`/`==` term requires of `field`, if there is one. */
  requiresExactMatch(field: string): string | undefined {
    return this.#terms.find((term) => term.field === field && term.operator === '=')?.value;
  }

  isEverything(): boolean {
    return this.#terms.length === 0;
  }

  /** Canonical form: `==` prints as `=`, values escaped. */
  toString(): string {
    return this.#terms.map((term) => `${term.field}${term.operator}${escapeValue(term.value)}`).join(',');
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Splits at commas that are not escaped; the escapes stay in the terms. */
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** The first operator occurrence splits the term; the field part has no escaping. */
function parseTerm(term: string, selector: string): FieldSelectorTerm {
  for (let i = 0; i < term.length; i++) {
    const operator = TERM_OPERATORS.find((candidate) => term.startsWith(candidate, i));
    if (operator !== undefined) {
      const value = unescapeValue(term.slice(i + operator.length));
      return { field: term.slice(0, i), operator: operator === '!=' ? '!=' : '=', value };
    }
  }
  throw new SelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
}

function unescapeValue(text: string): string {
  let out = '';
  let escaped = false;
  for (const ch of text) {
    if (escaped) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') {
        throw new SelectorError(`invalid field selector: invalid escape sequence: \\${ch}`);
      }
      out += ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === ',' || ch === '=') {
      // Go prints the rune with %v: its code point.
      throw new SelectorError(`invalid field selector: unescaped character in value: ${ch.codePointAt(0)}`);
    } else {
      out += ch;
    }
  }
  if (escaped) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

function escapeValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}
