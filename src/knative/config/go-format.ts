// Go's fmt verbs for float64 as Knative's error messages print numbers: `%v` (strconv 'g' with the
// shortest digits, exponent form when the exponent is < -4 or >= 6, e.g. 1e+06), `%f` (six
// decimals) and Go's math.Round (half away from zero), which the autoscaler uses for rounding.

function special(value: number): string | null {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return null;
}

/** fmt's %v (and %g) for a float64. */
export function formatGoFloat(value: number): string {
  const named = special(value);
  if (named !== null) return named;
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 6) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction.length > 0 ? `.${fraction}` : ''}`;
}

/** fmt's %f for a float64: six decimals, never an exponent. */
export function formatGoFixed(value: number): string {
  const named = special(value);
  if (named !== null) return named;
  if (Math.abs(value) < 1e21) return value.toFixed(6);
  return `${BigInt(value).toString()}.000000`;
}

/** math.Round: to the nearest integer, halves away from zero. */
export function goRound(value: number): number {
  if (!Number.isFinite(value)) return value;
  const whole = Math.trunc(value);
  if (Math.abs(value - whole) >= 0.5) return whole + Math.sign(value);
  return whole;
}
