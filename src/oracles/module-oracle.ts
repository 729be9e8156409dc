// Oracles written in TypeScript (or JavaScript) next to a scenario: `oracles: [{module: ./x.ts}]`.
// The module's default export is either a function `(history) => {reason, atMs, objects?} | null`
// or an object with such a `check` function (and optionally a `name`). Modules load once, before any
// run starts, so a broken module is bad input (exit 2) and not a failed run.

import { pathToFileURL } from 'node:url';
import type { History } from '../scenario/history.js';
import type { OracleSpec } from '../scenario/types.js';
import type { Violation } from './oracle.js';

type CheckFn = (history: History) => { reason: string; atMs: number; objects?: string[] } | null | undefined;

export interface ModuleOracle {
  id: string;
  path: string;
  check: CheckFn;
}

export class OracleModuleError extends Error {
  override readonly name = 'OracleModuleError';
  constructor(readonly spec: OracleSpec, message: string) {
    super(message);
  }
}

export async function loadModuleOracles(specs: readonly OracleSpec[]): Promise<ModuleOracle[]> {
  const out: ModuleOracle[] = [];
  for (const spec of specs) {
    if (spec.use !== 'module') continue;
    const path = String(spec.params.path);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (e) {
      throw new OracleModuleError(spec, `cannot load oracle module ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const def = mod.default;
    const check = typeof def === 'function' ? def : typeof def === 'object' && def !== null && typeof (def as { check?: unknown }).check === 'function' ? (def as { check: CheckFn }).check.bind(def) : undefined;
    if (check === undefined) throw new OracleModuleError(spec, `oracle module ${path} must default-export a function (history) => violation | null, or an object with such a check function`);
    out.push({ id: spec.id, path, check: check as CheckFn });
  }
  return out;
}

/** Runs a module oracle; an exception in it is reported as a violation of that oracle, naming the module. */
export function checkModuleOracle(oracle: ModuleOracle, history: History): Violation | null {
  try {
    const v = oracle.check(history);
    if (v === null || v === undefined) return null;
    return { oracle: oracle.id, reason: String(v.reason), atMs: Number(v.atMs) || 0, objects: Array.isArray(v.objects) ? v.objects.map(String) : [] };
  } catch (e) {
    return { oracle: oracle.id, reason: `oracle module ${oracle.path} threw: ${e instanceof Error ? e.message : String(e)}`, atMs: history.endMs, objects: [] };
  }
}
