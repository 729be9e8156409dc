// Resource quantities ("500m", "1", "256Mi", "1Gi", "1e3"), after k8s.io/apimachinery
// pkg/api/resource/quantity.go: a decimal number, an optional exponent, and an optional suffix that
// is either binary (Ki Mi Gi Ti Pi Ei) or decimal (n u m "" k M G T P E). The scheduler and the
// kubelet only need them as numbers: CPU in millicores (rounded up, as Quantity.MilliValue does),
// memory and counts as integers (rounded up, as Quantity.Value does).

const SUFFIX: Readonly<Record<string, number>> = Object.freeze({
  '': 1,
  n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
});

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/** A quantity as a plain number of base units (cores, bytes, pods). Throws RangeError on bad syntax. */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  const m = QUANTITY.exec(quantity.trim());
  if (!m) throw new RangeError(`quantities must match the regular expression '${QUANTITY.source}': ${JSON.stringify(quantity)}`);
  const [, digits, exponent, suffix] = m;
  return Number(digits) * (exponent ? 10 ** Number(exponent) : 1) * SUFFIX[suffix ?? ''];
}

/** Rounds up, tolerating binary floating-point noise ("0.1" × 1000 is not exactly 100). */
function roundUp(value: number): number {
  const nearest = Math.round(value);
  return Math.abs(value - nearest) < 1e-6 ? nearest : Math.ceil(value);
}

/** Quantity.MilliValue: CPU in millicores, rounded up ("500m" → 500, "1" → 1000, "0.1" → 100). */
export function milliValue(quantity: string | number): number {
  return roundUp(parseQuantity(quantity) * 1000);
}

/** Quantity.Value: memory in bytes or a count, rounded up ("256Mi" → 268435456). */
export function intValue(quantity: string | number): number {
  return roundUp(parseQuantity(quantity));
}

/** Millicores as the API writes them: whole cores without a suffix, else with "m". */
export function formatMilli(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes with the largest binary suffix that divides them exactly ("16Gi", "1536Mi", "1000"). */
export function formatBytes(bytes: number): string {
  for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const unit = SUFFIX[suffix];
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return String(bytes);
}
