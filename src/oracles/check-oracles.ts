// Turning a scenario's oracle specs into checks and running them over a history. `module` specs
// (TypeScript oracles a scenario names by path) are left to the caller, which loads them.

import type { History } from '../scenario/history.js';
import type { OracleSpec } from '../scenario/types.js';
import { oracleByName, ORACLE_LIBRARY } from './library-index.js';
import { OracleParamError, type OracleDefinition, type Violation } from './oracle.js';
import { SHAPES } from './shapes.js';

export interface PreparedOracle {
  /** The spec's id (Violation.oracle). */
  id: string;
  use: string;
  definition: OracleDefinition;
  params: unknown;
}

function unknownUse(use: string): OracleParamError {
  const known = [...ORACLE_LIBRARY.keys(), ...SHAPES.keys(), 'module'].join(', ');
  return new OracleParamError('use', `unknown oracle ${JSON.stringify(use)}; known: ${known}`);
}

/** Parses one spec's parameters; throws OracleParamError naming the field. Undefined for a `module` spec. */
export function prepareOracle(spec: OracleSpec): PreparedOracle | undefined {
  if (spec.use === 'module') return undefined;
  const definition = oracleByName(spec.use);
  if (definition === undefined) throw unknownUse(spec.use);
  return { id: spec.id, use: spec.use, definition, params: definition.parse(spec.params ?? {}) };
}

/** Every non-module spec, parsed (throws OracleParamError on the first bad one). */
export function prepareOracles(specs: readonly OracleSpec[]): PreparedOracle[] {
  return specs.map(prepareOracle).filter((p): p is PreparedOracle => p !== undefined);
}

/** The loader's hook: null when the spec is a module or a library oracle / shape with valid parameters. */
export function validateOracleSpec(spec: OracleSpec): { field: string; message: string } | null {
  try {
    prepareOracle(spec);
    return null;
  } catch (error) {
    if (error instanceof OracleParamError) return { field: error.field, message: error.message };
    throw error;
  }
}

/** Runs every prepared oracle over the history, in the given order; one violation per oracle at most. */
export function checkOracles(prepared: readonly PreparedOracle[], history: History): Violation[] {
  const violations: Violation[] = [];
  for (const p of prepared) {
    const found = p.definition.check(history, p.params as Record<string, unknown>);
    if (found !== null) violations.push({ oracle: p.id, ...found });
  }
  return violations;
}
