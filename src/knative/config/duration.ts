// Go duration strings, as Knative reads them from ConfigMaps and annotations (Go's time package
// ParseDuration and Duration.String, which knative.dev/pkg configmap/parser/parse.go and
// knative/serving pkg/apis/autoscaling/annotation_validation.go use). Durations are exact integer
// nanoseconds (bigint) here, because upstream validates "whole seconds" on nanoseconds; callers
// convert to virtual milliseconds with nsToMs.
import { goQuote } from './go-strconv.js';

export class DurationSyntaxError extends Error {
  constructor(message: string, readonly input: string) {
    super(message);
    this.name = 'DurationSyntaxError';
  }
}

export const NS_PER_MS = 1_000_000n;
export const NS_PER_SECOND = 1_000_000_000n;
const MAX_UNSIGNED = 1n << 63n;

const UNIT_NS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n], ['us', 1_000n], ['\u00b5s', 1_000n], ['\u03bcs', 1_000n], ['ms', NS_PER_MS], ['s', NS_PER_SECOND],
  ['m', 60n * NS_PER_SECOND], ['h', 3600n * NS_PER_SECOND],
]);

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

interface Cursor { text: string; at: number }

function invalid(input: string): DurationSyntaxError {
  return new DurationSyntaxError(`time: invalid duration ${goQuote(input)}`, input);
}

/** Leading decimal integer; null on overflow of Go's uint64 accumulator. */
function leadingInt(cursor: Cursor): bigint | null {
  let value = 0n;
  while (isDigit(cursor.text[cursor.at])) {
    if (value > MAX_UNSIGNED / 10n) return null;
    value = value * 10n + BigInt(cursor.text.charCodeAt(cursor.at) - 48);
    if (value > MAX_UNSIGNED) return null;
    cursor.at += 1;
  }
  return value;
}

/** Leading fraction digits: the digits as an integer and the power of ten they scale by. */
function leadingFraction(cursor: Cursor): { fraction: bigint; scale: number } {
  let fraction = 0n;
  let scale = 1;
  let overflow = false;
  while (isDigit(cursor.text[cursor.at])) {
    if (!overflow) {
      if (fraction > (MAX_UNSIGNED - 1n) / 10n) overflow = true;
      else {
        const next = fraction * 10n + BigInt(cursor.text.charCodeAt(cursor.at) - 48);
        if (next > MAX_UNSIGNED) overflow = true;
        else { fraction = next; scale *= 10; }
      }
    }
    cursor.at += 1;
  }
  return { fraction, scale };
}

/** One `<number><unit>` term, in nanoseconds. */
function parseTerm(cursor: Cursor, input: string): bigint {
  const first = cursor.text[cursor.at];
  if (!(first === '.' || isDigit(first))) throw invalid(input);
  const startWhole = cursor.at;
  const whole = leadingInt(cursor);
  if (whole === null) throw invalid(input);
  const hadWhole = cursor.at !== startWhole;
  let fraction = { fraction: 0n, scale: 1 };
  let hadFraction = false;
  if (cursor.text[cursor.at] === '.') {
    cursor.at += 1;
    const startFraction = cursor.at;
    fraction = leadingFraction(cursor);
    hadFraction = cursor.at !== startFraction;
  }
  if (!hadWhole && !hadFraction) throw invalid(input);
  const unitStart = cursor.at;
  while (cursor.at < cursor.text.length && !(cursor.text[cursor.at] === '.' || isDigit(cursor.text[cursor.at]))) cursor.at += 1;
  if (cursor.at === unitStart) throw new DurationSyntaxError(`time: missing unit in duration ${goQuote(input)}`, input);
  const unitText = cursor.text.slice(unitStart, cursor.at);
  const unit = UNIT_NS.get(unitText);
  if (unit === undefined) throw new DurationSyntaxError(`time: unknown unit ${goQuote(unitText)} in duration ${goQuote(input)}`, input);
  if (whole > MAX_UNSIGNED / unit) throw invalid(input);
  let value = whole * unit;
  if (fraction.fraction > 0n) {
    value += BigInt(Math.trunc(Number(fraction.fraction) * (Number(unit) / fraction.scale)));
    if (value > MAX_UNSIGNED) throw invalid(input);
  }
  return value;
}

/** time.ParseDuration: "300ms", "-1.5h", "2h45m"; throws DurationSyntaxError with Go's message. */
export function parseDurationNs(input: string): bigint {
  let text = input;
  let negative = false;
  if (text.startsWith('-') || text.startsWith('+')) {
    negative = text.startsWith('-');
    text = text.slice(1);
  }
  if (text === '0') return 0n;
  if (text === '') throw invalid(input);
  const cursor: Cursor = { text, at: 0 };
  let total = 0n;
  while (cursor.at < text.length) {
    total += parseTerm(cursor, input);
    if (total > MAX_UNSIGNED) throw invalid(input);
  }
  if (negative) return -total;
  if (total > MAX_UNSIGNED - 1n) throw invalid(input);
  return total;
}

/** The fraction v/10^precision as ".123" (trailing zeros and an empty fraction omitted). */
function fractionText(value: bigint, precision: number): { text: string; rest: bigint } {
  let digits = '';
  let rest = value;
  let printing = false;
  for (let i = 0; i < precision; i += 1) {
    const digit = rest % 10n;
    printing = printing || digit !== 0n;
    if (printing) digits = `${digit}${digits}`;
    rest /= 10n;
  }
  return { text: printing ? `.${digits}` : '', rest };
}

function formatSubSecond(ns: bigint): string {
  if (ns === 0n) return '0s';
  if (ns < 1_000n) return `${ns}ns`;
  const [precision, unit] = ns < NS_PER_MS ? [3, '\u00b5s'] : [6, 'ms'];
  const { text, rest } = fractionText(ns, precision);
  return `${rest}${text}${unit}`;
}

/** Duration.String: "1h0m0s", "6s", "1.5s", "500ms", "0s". */
export function formatDurationNs(ns: bigint): string {
  const negative = ns < 0n;
  const magnitude = negative ? -ns : ns;
  let body: string;
  if (magnitude < NS_PER_SECOND) body = formatSubSecond(magnitude);
  else {
    const { text, rest: seconds } = fractionText(magnitude, 9);
    const minutes = seconds / 60n;
    const hours = minutes / 60n;
    body = `${seconds % 60n}${text}s`;
    if (minutes > 0n) body = `${hours > 0n ? `${hours}h` : ''}${minutes % 60n}m${body}`;
  }
  return negative ? `-${body}` : body;
}

/** Nanoseconds as (possibly fractional) virtual milliseconds. */
export function nsToMs(ns: bigint): number {
  const whole = ns / NS_PER_MS;
  const rest = ns % NS_PER_MS;
  return Number(whole) + Number(rest) / 1e6;
}

/** Virtual milliseconds as nanoseconds (sub-nanosecond parts dropped). */
export function msToNs(ms: number): bigint {
  const whole = Math.trunc(ms);
  return BigInt(whole) * NS_PER_MS + BigInt(Math.round((ms - whole) * 1e6));
}

/** Duration.String of a millisecond count. */
export function formatDurationMs(ms: number): string {
  return formatDurationNs(msToNs(ms));
}

/** time.ParseDuration, in virtual milliseconds. */
export function parseDurationMs(input: string): number {
  return nsToMs(parseDurationNs(input));
}
