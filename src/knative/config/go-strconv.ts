// Go's strconv parsers as Knative's ConfigMap and annotation readers use them (knative.dev/pkg
// configmap/parser/parse.go calls strconv.ParseFloat, ParseInt(s, 10, 32), ParseBool; the
// annotation validators call ParseInt, Atoi and ParseFloat directly). Each parser returns the value
// or a StrconvError carrying Go's message, e.g. `strconv.ParseFloat: parsing "x": invalid syntax`.

export type StrconvProblem = 'invalid syntax' | 'value out of range';

export class StrconvError extends Error {
  constructor(readonly func: string, readonly input: string, readonly problem: StrconvProblem) {
    super(`strconv.${func}: parsing ${goQuote(input)}: ${problem}`);
    this.name = 'StrconvError';
  }
}

export type StrconvResult<T> = { ok: true; value: T } | { ok: false; error: StrconvError };

const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/;
const DECIMAL_INT = /^[+-]?\d+$/;
const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.Quote for the ASCII inputs configuration carries: quotes and backslashes escaped. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function fail<T>(func: string, input: string, problem: StrconvProblem): StrconvResult<T> {
  return { ok: false, error: new StrconvError(func, input, problem) };
}

function hexFloat(match: RegExpExecArray): number {
  const [, sign, whole, fraction = '', exponent] = match;
  const digits = `${whole}${fraction}`;
  if (digits.length === 0) return Number.NaN;
  const mantissa = Number.parseInt(digits, 16);
  const value = mantissa * 2 ** (Number(exponent) - 4 * fraction.length);
  return sign === '-' ? -value : value;
}

/** strconv.ParseFloat(s, 64): decimal, inf/infinity/nan, and hex floats with a p exponent. */
function parseFloat64(input: string): StrconvResult<number> {
  const special = SPECIAL_FLOAT.exec(input);
  if (special) {
    const word = special[2].toLowerCase();
    if (word === 'nan') return special[1] === '' ? { ok: true, value: Number.NaN } : fail('ParseFloat', input, 'invalid syntax');
    return { ok: true, value: special[1] === '-' ? -Infinity : Infinity };
  }
  let value: number;
  if (DECIMAL_FLOAT.test(input)) value = Number(input);
  else {
    const hex = HEX_FLOAT.exec(input);
    value = hex ? hexFloat(hex) : Number.NaN;
    if (Number.isNaN(value)) return fail('ParseFloat', input, 'invalid syntax');
  }
  if (!Number.isFinite(value)) return fail('ParseFloat', input, 'value out of range');
  return { ok: true, value };
}

/** strconv.ParseInt(s, 10, bits) (or Atoi with bits 64): optional sign, decimal digits. */
function parseIntBits(input: string, bits: 32 | 64, func = 'ParseInt'): StrconvResult<number> {
  if (!DECIMAL_INT.test(input)) return fail(func, input, 'invalid syntax');
  const big = BigInt(input);
  const limit = 1n << BigInt(bits - 1);
  if (big >= limit || big < -limit) return fail(func, input, 'value out of range');
  return { ok: true, value: Number(big) };
}

/** strconv.ParseBool: 1, t, T, TRUE, true, True and their false counterparts. */
function parseBool(input: string): StrconvResult<boolean> {
  if (TRUE_WORDS.has(input)) return { ok: true, value: true };
  if (FALSE_WORDS.has(input)) return { ok: true, value: false };
  return fail('ParseBool', input, 'invalid syntax');
}

export const goStrconv = Object.freeze({
  parseFloat: parseFloat64,
  parseInt32: (input: string) => parseIntBits(input, 32),
  parseInt64: (input: string) => parseIntBits(input, 64),
  atoi: (input: string) => parseIntBits(input, 64, 'Atoi'),
  parseBool,
});
