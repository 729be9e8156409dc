// config-gc as knative/serving pkg/gc/config.go (defaultConfig, NewConfigFromConfigMapFunc) reads
// it: keep revisions for 48h after creation and 15h after they were last routed, at least 20 and
// at most 1000 non-active ones per Configuration; `disabled` (any case) switches a bound off (-1).

import { ConfigError } from '../config/config-error.js';
import { DurationSyntaxError, parseDurationMs } from '../config/duration.js';
import { goStrconv } from '../config/go-strconv.js';

export const GC_CONFIG_NAME = 'config-gc';
export const GC_DISABLED = -1;

export interface GcConfig {
  retainSinceCreateTimeMs: number;
  retainSinceLastActiveTimeMs: number;
  minNonActiveRevisions: number;
  maxNonActiveRevisions: number;
}

export const DEFAULT_GC_CONFIG: Readonly<GcConfig> = Object.freeze({
  retainSinceCreateTimeMs: 48 * 3_600_000,
  retainSinceLastActiveTimeMs: 15 * 3_600_000,
  minNonActiveRevisions: 20,
  maxNonActiveRevisions: 1000,
});

const reject = (key: string, value: string, message: string): ConfigError => new ConfigError(GC_CONFIG_NAME, key, value, message);

function durationOrDisabled(data: Readonly<Record<string, string>>, key: string, current: number): number {
  const raw = data[key] ?? '';
  if (raw === '') return current;
  if (raw.toLowerCase() === 'disabled') return GC_DISABLED;
  let ms: number;
  try {
    ms = parseDurationMs(raw);
  } catch (e) {
    if (e instanceof DurationSyntaxError) throw reject(key, raw, `failed to parse ${key}: ${e.message}`);
    throw e;
  }
  if (ms < 0) throw reject(key, raw, `failed to parse ${key}: must be non-negative`);
  return ms;
}

function countOrDisabled(data: Readonly<Record<string, string>>, key: string, current: number): number {
  const raw = data[key] ?? '';
  if (raw === '') return current;
  if (raw.toLowerCase() === 'disabled') return GC_DISABLED;
  if (!/^\d+$/.test(raw)) throw reject(key, raw, `failed to parse ${key}: strconv.ParseUint: parsing ${JSON.stringify(raw)}: invalid syntax`);
  return Number(raw);
}

/** NewConfigFromConfigMapFunc. Throws ConfigError. */
export function parseGcConfig(data: Readonly<Record<string, string>>): GcConfig {
  const c: GcConfig = { ...DEFAULT_GC_CONFIG };
  const minRaw = data['min-non-active-revisions'];
  if (minRaw !== undefined) {
    const parsed = goStrconv.parseInt64(minRaw);
    if (!parsed.ok) throw reject('min-non-active-revisions', minRaw, `failed to parse data: failed to parse "min-non-active-revisions": ${parsed.error.message}`);
    c.minNonActiveRevisions = parsed.value;
  }
  c.retainSinceCreateTimeMs = durationOrDisabled(data, 'retain-since-create-time', c.retainSinceCreateTimeMs);
  c.retainSinceLastActiveTimeMs = durationOrDisabled(data, 'retain-since-last-active-time', c.retainSinceLastActiveTimeMs);
  c.maxNonActiveRevisions = countOrDisabled(data, 'max-non-active-revisions', c.maxNonActiveRevisions);
  if (c.minNonActiveRevisions < 0) {
    throw reject('min-non-active-revisions', String(c.minNonActiveRevisions), `min-non-active-revisions must be non-negative, was: ${c.minNonActiveRevisions}`);
  }
  if (c.maxNonActiveRevisions >= 0 && c.minNonActiveRevisions > c.maxNonActiveRevisions) {
    throw reject('min-non-active-revisions', String(c.minNonActiveRevisions), `min-non-active-revisions(${c.minNonActiveRevisions}) must be <= max-non-active-revisions(${c.maxNonActiveRevisions})`);
  }
  return c;
}
