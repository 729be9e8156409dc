// Simulated wall-clock timestamps without the ambient `Date`: virtual time 0 is a fixed instant
// (SIM_EPOCH_MS) and timestamps are formatted with a civil-calendar conversion (Howard Hinnant's
// days_from_civil / civil_from_days algorithms). Kubernetes writes RFC 3339 in UTC, seconds
// precision, for metadata timestamps (apimachinery pkg/apis/meta/v1/time.go).

/** 2026-01-01T00:00:00Z in Unix milliseconds: virtual time 0. */
export const SIM_EPOCH_MS = 1767225600000;

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Unix milliseconds → `YYYY-MM-DDTHH:MM:SSZ` (or with `.mmm` when `withMillis`). */
export function formatUnixMs(unixMs: number, options: { withMillis?: boolean } = {}): string {
  const days = Math.floor(unixMs / 86400000);
  const msOfDay = unixMs - days * 86400000;
  const [y, mo, d] = civilFromDays(days);
  const h = Math.floor(msOfDay / 3600000);
  const mi = Math.floor((msOfDay % 3600000) / 60000);
  const s = Math.floor((msOfDay % 60000) / 1000);
  const base = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}`;
  return options.withMillis ? `${base}.${pad(msOfDay % 1000, 3)}Z` : `${base}Z`;
}

/** Virtual milliseconds → RFC 3339 timestamp. */
export function formatSimTime(simMs: number, options: { withMillis?: boolean } = {}): string {
  return formatUnixMs(SIM_EPOCH_MS + simMs, options);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 3339 timestamp → Unix milliseconds; throws on anything else. */
export function parseRfc3339(text: string): number {
  const m = RFC3339.exec(text);
  if (!m) throw new RangeError(`not an RFC 3339 timestamp: ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = daysFromCivil(+y, +mo, +d) * 86400000 + +h * 3600000 + +mi * 60000 + +s * 1000;
  if (frac) ms += Math.floor(+frac.padEnd(3, '0').slice(0, 3));
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (+zone.slice(1, 3) * 3600000 + +zone.slice(4, 6) * 60000);
  }
  return ms;
}

/** RFC 3339 timestamp → virtual milliseconds. */
export function parseSimTime(text: string): number {
  return parseRfc3339(text) - SIM_EPOCH_MS;
}
