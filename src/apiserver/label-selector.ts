// Label selectors: the `labelSelector` query parameter's string syntax (k8s.io/apimachinery
// pkg/labels/selector.go: Lexer, Parser, Parse, NewRequirement) and the structured form objects
// carry (metav1.LabelSelector, converted as in pkg/apis/meta/v1/helpers.go
// LabelSelectorAsSelector). Our own parser; it accepts and rejects what upstream does, orders
// requirements the same way (stably by key) and prints the same canonical string.
//
// Grammar (selector.go, Parse):
//   selector    ::= requirement | requirement "," selector
//   requirement ::= ["!"] KEY [ ("in" | "notin") "(" VALUES ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
// A bare KEY means "exists", "!KEY" "does not exist"; ">" and "<" compare integers.
import { labelKeyErrors, labelValueErrors } from './label-validation.js';

/** A selector string or structured selector that cannot be used: the server answers 400. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

/** selection.Operator values, spelled as upstream spells them. */
type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** meta/v1 LabelSelector. */
export interface StructuredLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

const STRUCTURED_OPERATORS: Readonly<Record<string, Operator>> = {
  In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!',
};

export class LabelSelector {
  /** Requirements sorted by key; null for the selector that matches nothing. */
  readonly #requirements: readonly Requirement[] | null;

  private constructor(requirements: readonly Requirement[] | null) {
    this.#requirements = requirements;
  }

  /** Matches every label set (labels.Everything). */
  static everything(): LabelSelector {
    return new LabelSelector([]);
  }

  /** Matches no label set, not even the empty one (labels.Nothing). */
  static nothing(): LabelSelector {
    return new LabelSelector(null);
  }

  /** Parses the string syntax; "" selects everything. Throws SelectorError naming the bad part. */
  static parse(text: string): LabelSelector {
    return new LabelSelector(sortByKey(new Parser(text).parse()));
  }

  /** LabelSelectorAsSelector: null or undefined matches nothing, an empty selector everything. */
  static fromLabelSelector(selector: StructuredLabelSelector | null | undefined): LabelSelector {
    if (selector === null || selector === undefined) return LabelSelector.nothing();
    const requirements: Requirement[] = [];
    const matchLabels = selector.matchLabels;
    if (matchLabels !== undefined && matchLabels !== null) {
      for (const key of Object.keys(matchLabels)) requirements.push(newRequirement(key, '=', [matchLabels[key]]));
    }
    for (const expression of selector.matchExpressions ?? []) {
      const operator = Object.hasOwn(STRUCTURED_OPERATORS, expression.operator)
        ? STRUCTURED_OPERATORS[expression.operator]
        : undefined;
      if (operator === undefined) throw new SelectorError(`"${String(expression.operator)}" is not a valid label selector operator`);
      requirements.push(newRequirement(expression.key, operator, [...(expression.values ?? [])]));
    }
    return new LabelSelector(sortByKey(requirements));
  }

  /** True when every requirement holds for `labels` (undefined = no labels). */
  matches(labels: Record<string, string> | undefined): boolean {
    if (this.#requirements === null) return false;
    const requirements = this.#requirements;
    if (requirements.length === 0) return true;
    const set = labels ?? {};
    for (let i = 0; i < requirements.length; i++) if (!requirementMatches(requirements[i], set)) return false;
    return true;
  }

  /** True for a selector without requirements (labels.Selector.Empty). */
  isEverything(): boolean {
    return this.#requirements !== null && this.#requirements.length === 0;
  }

  /** True for LabelSelector.nothing() (labels.MatchesNothing). */
  isNothing(): boolean {
    return this.#requirements === null;
  }

  /** The one value `key` must have (`=`, `==`, or `in` with one value), if the selector pins it. */
  requiresExactMatch(key: string): string | undefined {
    const requirement = this.#requirements?.find((candidate) => candidate.key === key);
    if (requirement === undefined || requirement.values.length !== 1) return undefined;
    return ['=', '==', 'in'].includes(requirement.operator) ? requirement.values[0] : undefined;
  }

  /** Canonical form: requirements by key, set values sorted; "" for everything and for nothing. */
  toString(): string {
    return (this.#requirements ?? []).map(requirementString).join(',');
  }
}

/** Sorts by key in place, keeping the given order among equal keys (Array.prototype.sort is stable). */
function sortByKey(requirements: Requirement[]): Requirement[] {
  for (let i = 1; i < requirements.length; i++) {
    if (requirements[i - 1].key > requirements[i].key) return requirements.sort(compareKeys);
  }
  return requirements;
}

function compareKeys(a: Requirement, b: Requirement): number {
  return compareStrings(a.key, b.key);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function requirementMatches(requirement: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = has ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'in': case '=': case '==':
      return has && requirement.values.includes(value!);
    case 'notin': case '!=':
      return !has || !requirement.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt': case 'lt':
      return has && compareIntegers(requirement, value!);
  }
}

function compareIntegers(requirement: Requirement, value: string): boolean {
  const actual = parseInt64(value);
  const bound = parseInt64(requirement.values[0]);
  if (actual === undefined || bound === undefined) return false;
  return requirement.operator === 'gt' ? actual > bound : actual < bound;
}

/** strconv.ParseInt(s, 10, 64). */
function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value >= -(2n ** 63n) && value < 2n ** 63n ? value : undefined;
}

function requirementString(requirement: Requirement): string {
  const { key, operator, values } = requirement;
  const shown = values.length === 1 ? values[0] : [...values].sort(compareStrings).join(',');
  switch (operator) {
    case 'exists': return key;
    case '!': return `!${key}`;
    case 'in': return `${key} in (${shown})`;
    case 'notin': return `${key} notin (${shown})`;
    case 'gt': return `${key}>${shown}`;
    case 'lt': return `${key}<${shown}`;
    default: return `${key}${operator}${shown}`;
  }
}

/** NewRequirement: validates the key, the operator's arity and every value. */
function newRequirement(key: string, operator: Operator, values: string[]): Requirement {
  const errors: string[] = [];
  const keyErrors = labelKeyErrors(key);
  if (keyErrors.length > 0) errors.push(invalid('key', key, keyErrors));
  const arity = arityError(operator, values);
  if (arity !== undefined) errors.push(arity);
  values.forEach((value, index) => {
    const valueErrors = labelValueErrors(value);
    if (valueErrors.length > 0) errors.push(invalid(`values[${index}][${key}]`, value, valueErrors));
  });
  if (errors.length > 0) throw new SelectorError(aggregate(errors));
  return { key, operator, values };
}

function arityError(operator: Operator, values: string[]): string | undefined {
  switch (operator) {
    case 'in': case 'notin':
      return values.length === 0 ? invalid('values', values, ["for 'in', 'notin' operators, values set can't be empty"]) : undefined;
    case '=': case '==': case '!=':
      return values.length !== 1 ? invalid('values', values, ['exact-match compatibility requires one single value']) : undefined;
    case 'exists': case '!':
      return values.length !== 0 ? invalid('values', values, ['values set must be empty for exists and does not exist']) : undefined;
    case 'gt': case 'lt':
      if (values.length !== 1) return invalid('values', values, ["for 'Gt', 'Lt' operators, exactly one value is required"]);
      return parseInt64(values[0]) === undefined
        ? invalid('values[0]', values[0], ["for 'Gt', 'Lt' operators, the value must be an integer"])
        : undefined;
  }
}

/** field.Invalid(...).Error(): `<field>: Invalid value: <value>: <details>`. */
function invalid(field: string, value: unknown, details: string[]): string {
  return `${field}: Invalid value: ${JSON.stringify(value)}: ${details.join('; ')}`;
}

/** utilerrors.NewAggregate(...).Error(). */
function aggregate(errors: string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

type TokenKind = 'identifier' | 'end' | 'error' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';

interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOL_TOKENS: ReadonlySet<string> = new Set(['(', ')', ',', '!', '=', '==', '!=', '>', '<']);
const KEYWORDS: ReadonlySet<string> = new Set(['in', 'notin']);
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSymbol(ch: string): boolean {
  return '=!(),<>'.includes(ch);
}

/** Lexer.Lex over the whole input, ending with an 'end' token. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isWhitespace(text[pos])) pos++;
    if (pos >= text.length) {
      tokens.push({ kind: 'end', text: '' });
      return tokens;
    }
    const scanned = isSymbol(text[pos]) ? scanSymbol(text, pos) : scanWord(text, pos);
    tokens.push(scanned.token);
    pos = scanned.end;
  }
}

/** The longest run of symbol characters that is still a token ("!=" rather than "!"). */
function scanSymbol(text: string, start: number): { token: Token; end: number } {
  let end = start + 1;
  while (end < text.length && isSymbol(text[end]) && SYMBOL_TOKENS.has(text.slice(start, end + 1))) end++;
  const symbol = text.slice(start, end);
  return { token: { kind: symbol as TokenKind, text: symbol }, end };
}

function scanWord(text: string, start: number): { token: Token; end: number } {
  let end = start;
  while (end < text.length && !isSymbol(text[end]) && !isWhitespace(text[end])) end++;
  const word = text.slice(start, end);
  return { token: { kind: KEYWORDS.has(word) ? (word as TokenKind) : 'identifier', text: word }, end };
}

/** Parser.parse: recursive descent over the token list. */
class Parser {
  readonly #tokens: Token[];
  #position = 0;

  constructor(text: string) {
    this.#tokens = tokenize(text);
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const token = this.peek({ asValue: true });
      if (token.kind === 'end') return requirements;
      if (token.kind !== 'identifier' && token.kind !== '!') {
        throw new SelectorError(`found '${token.text}', expected: !, identifier, or 'end of string'`);
      }
      requirements.push(this.requirement());
      const after = this.next({ asValue: true });
      if (after.kind === 'end') return requirements;
      if (after.kind !== ',') throw new SelectorError(`found '${after.text}', expected: ',' or 'end of string'`);
      const following = this.peek({ asValue: true });
      if (following.kind !== 'identifier' && following.kind !== '!') {
        throw new SelectorError(`found '${following.text}', expected: identifier after ','`);
      }
    }
  }

  /** "in" and "notin" are identifiers where a key or value is expected (ParserContext Values). */
  private peek(options: { asValue: boolean }): Token {
    const token = this.#tokens[this.#position];
    return options.asValue && KEYWORDS.has(token.kind) ? { kind: 'identifier', text: token.text } : token;
  }

  private next(options: { asValue: boolean }): Token {
    const token = this.peek(options);
    if (token.kind !== 'end') this.#position++;
    return token;
  }

  private requirement(): Requirement {
    try {
      return this.parseRequirement();
    } catch (error) {
      if (error instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${error.message}`);
      throw error;
    }
  }

  private parseRequirement(): Requirement {
    let token = this.next({ asValue: true });
    const negated = token.kind === '!';
    if (negated) token = this.next({ asValue: true });
    if (token.kind !== 'identifier') throw new SelectorError(`found '${token.text}', expected: identifier`);
    const key = token.text;
    const keyErrors = labelKeyErrors(key);
    if (keyErrors.length > 0) throw new SelectorError(invalid('<nil>', key, keyErrors));
    const lookahead = this.peek({ asValue: true }).kind;
    if (negated) return newRequirement(key, '!', []);
    if (lookahead === 'end' || lookahead === ',') return newRequirement(key, 'exists', []);
    const operator = this.operator();
    const values = operator === 'in' || operator === 'notin' ? this.setValues() : [this.exactValue()];
    return newRequirement(key, operator, values);
  }

  private operator(): Operator {
    const token = this.next({ asValue: false });
    const operators: Partial<Record<TokenKind, Operator>> = {
      'in': 'in', 'notin': 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt',
    };
    const operator = operators[token.kind];
    if (operator === undefined) throw new SelectorError(`found '${token.text}', expected: ${BINARY_OPERATORS}`);
    return operator;
  }

  private exactValue(): string {
    const lookahead = this.peek({ asValue: true });
    if (lookahead.kind === 'end' || lookahead.kind === ',') return '';
    const token = this.next({ asValue: true });
    if (token.kind !== 'identifier') throw new SelectorError(`found '${token.text}', expected: identifier`);
    return token.text;
  }

  /** "(" comma-separated values ")"; an empty field is the value "" ("x in ()" selects x=""). */
  private setValues(): string[] {
    const open = this.next({ asValue: true });
    if (open.kind !== '(') throw new SelectorError(`found '${open.text}' expected: '('`);
    const values = new Set<string>();
    let expectingValue = true;
    for (;;) {
      const token = this.next({ asValue: true });
      if (token.kind === 'identifier' && expectingValue) {
        values.add(token.text);
        expectingValue = false;
      } else if (token.kind === ',' || token.kind === ')') {
        if (expectingValue) values.add('');
        if (token.kind === ')') return [...values].sort(compareStrings);
        expectingValue = true;
      } else {
        const expected = expectingValue ? "',', ')' or identifier" : "',' or ')'";
        throw new SelectorError(`found '${token.text}', expected: ${expected}`);
      }
    }
  }
}
