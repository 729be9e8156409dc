// The replay string: one token that re-runs a run exactly (DESIGN.md rule 5). It names what ran (a
// catalogued bug id or a scenario path), the release, the seed, any chooser overrides an explorer
// forced, and a fingerprint of the loaded scenario, so a replay of an edited scenario is refused
// instead of silently running something else. Format: `sl1.` + base64url(JSON).

import { fnv64a, hash64Hex } from '../knative/hash/fnv64a.js';
import type { Scenario } from './types.js';

export interface ReplayRef {
  /** `bug:<id>` or a scenario file path (as given on the command line). */
  target: string;
  knative: string;
  seed: number;
  /** Fingerprint of the scenario content (see scenarioFingerprint). */
  fingerprint: string;
  /** Decision index -> forced value. */
  overrides?: [number, number][];
}

const PREFIX = 'sl1.';

export class ReplayStringError extends Error {
  override readonly name = 'ReplayStringError';
}

export function encodeReplay(ref: ReplayRef): string {
  const body: Record<string, unknown> = { t: ref.target, k: ref.knative, s: ref.seed, f: ref.fingerprint };
  if (ref.overrides !== undefined && ref.overrides.length > 0) body.o = ref.overrides;
  return PREFIX + Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeReplay(text: string): ReplayRef {
  const t = text.trim();
  if (!t.startsWith(PREFIX)) throw new ReplayStringError(`not a sleeveless replay string (expected it to start with ${PREFIX}): ${JSON.stringify(text.slice(0, 40))}`);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(t.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw new ReplayStringError('the replay string is damaged (not base64url JSON); copy it again in full');
  }
  const b = body as Record<string, unknown>;
  if (typeof b !== 'object' || b === null || typeof b.t !== 'string' || typeof b.k !== 'string' || typeof b.s !== 'number' || !Number.isInteger(b.s) || typeof b.f !== 'string') {
    throw new ReplayStringError('the replay string is damaged (missing target, release, seed or fingerprint)');
  }
  const ref: ReplayRef = { target: b.t, knative: b.k, seed: b.s, fingerprint: b.f };
  if (b.o !== undefined) {
    if (!Array.isArray(b.o) || !b.o.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isInteger(n)))) {
      throw new ReplayStringError('the replay string is damaged (bad overrides)');
    }
    ref.overrides = b.o as [number, number][];
  }
  return ref;
}

/** Drops where things came from (file paths differ between machines), keeps what they say. */
function contentOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(contentOnly);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    if (k === 'source' || k === 'file') continue;
    out[k] = contentOnly((value as Record<string, unknown>)[k]);
  }
  return out;
}

/** A fingerprint of what the scenario says (manifests, workload, faults, oracles, ...), not where it lives. */
export function scenarioFingerprint(scenario: Scenario): string {
  return hash64Hex(fnv64a(JSON.stringify(contentOnly({ ...scenario, seeds: [] }))));
}
