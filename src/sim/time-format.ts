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

/** `n` (0 ≤ n < 100) as two digits. */
function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** Unix milliseconds → `YYYY-MM-DDTHH:MM:SSZ` (or with `.mmm` when `withMillis`). */
export function formatUnixMs(unixMs: number, options: { withMillis?: boolean } = {}): string {
  const days = Math.floor(unixMs / 86400000);
  const msOfDay = unixMs - days * 86400000;
  const [y, mo, d] = civilFromDays(days);
  const h = Math.floor(msOfDay / 3600000);
  const mi = Math.floor((msOfDay % 3600000) / 60000);
  const s = Math.floor((msOfDay % 60000) / 1000);
  const year = y >= 1000 && y <= 9999 ? `${y}` : String(y).padStart(4, '0');
  const base = `${year}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}`;
  if (!options.withMillis) return `${base}Z`;
  const ms = msOfDay % 1000;
  return `${base}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}

/** Virtual milliseconds → RFC 3339 timestamp. */
export function formatSimTime(simMs: number, options: { withMillis?: boolean } = {}): string {
  return formatUnixMs(SIM_EPOCH_MS + simMs, options);
}

/** The value of the `count` ASCII digits of `text` at `at`, or -1 if one of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** RFC 3339 timestamp → Unix milliseconds; throws on anything else. */
export function parseRfc3339(text: string): number {
  // `YYYY-MM-DDTHH:MM:SS[.fraction of 1 to 9 digits](Z|±HH:MM)`, read character by character.
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = digits(text, 17, 2);
  let at = 19;
  let fracMs = 0;
  if (text.charCodeAt(at) === 46 /* . */) {
    let n = 0;
    while (n < 9 && digits(text, at + 1 + n, 1) >= 0) {
      if (n < 3) fracMs = fracMs * 10 + digits(text, at + 1 + n, 1);
      n++;
    }
    if (n === 0) at = -1;
    else {
      for (let k = n; k < 3; k++) fracMs *= 10;
      at += 1 + n;
    }
  }
  let zoneMs = 0;
  if (at >= 0 && text.charCodeAt(at) === 90 /* Z */ && text.length === at + 1) {
    // UTC
  } else if (at >= 0 && (text[at] === '+' || text[at] === '-') && text.length === at + 6 && text[at + 3] === ':') {
    const zh = digits(text, at + 1, 2);
    const zm = digits(text, at + 4, 2);
    if (zh < 0 || zm < 0) at = -1;
    else zoneMs = (text[at] === '-' ? -1 : 1) * (zh * 3600000 + zm * 60000);
  } else {
    at = -1;
  }
  if (at < 0 || y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0
    || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') {
    throw new RangeError(`not an RFC 3339 timestamp: ${JSON.stringify(text)}`);
  }
  return daysFromCivil(y, mo, d) * 86400000 + h * 3600000 + mi * 60000 + s * 1000 + fracMs - zoneMs;
}

/** RFC 3339 timestamp → virtual milliseconds. */
export function parseSimTime(text: string): number {
  return parseRfc3339(text) - SIM_EPOCH_MS;
}
