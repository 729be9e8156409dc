// `oracles:` of a scenario, as OracleSpecs: library oracles (a bare name, or `use:` with parameters,
// validated by the caller's hook since the library lives elsewhere), the YAML shapes always /
// eventually / never over a per-revision series or an object condition, and TypeScript modules.

import { existsSync, statSync } from 'node:fs';
import { extname, basename, resolve } from 'node:path';
import type { RevisionSample } from './history.js';
import type { FieldReader } from './field-reader.js';
import { checkKind, comparison, type ScenarioEnv } from './build-trigger.js';
import type { FileEnv } from './build-manifests.js';
import { ORACLE_SHAPES } from './schema.js';
import { unknownName } from './suggest.js';
import type { OracleSpec } from './types.js';

type NumericSeries = Exclude<{ [K in keyof RevisionSample]-?: NonNullable<RevisionSample[K]> extends number ? K : never }[keyof RevisionSample], 'atMs'>;

/** The numeric per-revision series (history.ts RevisionSample), which shapes compare with numbers. */
export const NUMERIC_SERIES = ['readyPods', 'pods', 'replicas', 'desiredScale', 'inFlight', 'maxPodConcurrency', 'activatorQueue'] as const satisfies readonly NumericSeries[];
// Fails to compile when RevisionSample gains a numeric field that the list above lacks.
const SERIES_COMPLETE: Exclude<NumericSeries, (typeof NUMERIC_SERIES)[number]> extends never ? true : never = true;
/** String series: compared with eq / ne only. */
export const STRING_SERIES = ['sksMode'] as const;

const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** Validates a library oracle's name and parameters: the oracle library's check, wired by the caller. */
export type OracleValidator = (spec: OracleSpec) => { field: string; message: string } | null;

type Raw = Record<string, unknown>;

function checkShape(reader: FieldReader, path: (string | number)[], shape: string, body: Raw, env: ScenarioEnv): boolean {
  const before = reader.issues.length;
  const cmp = comparison(body);
  if (typeof body.series === 'string') {
    const series = body.series;
    const all: string[] = [...NUMERIC_SERIES, ...STRING_SERIES];
    if (!all.includes(series)) reader.fail([...path, 'series'], unknownName('series', series, all));
    else if (cmp === undefined) reader.fail(path, 'a series needs one of `eq`, `ne`, `lt`, `le`, `gt`, `ge`');
    else if ((STRING_SERIES as readonly string[]).includes(series)) {
      if (cmp.key !== 'eq' && cmp.key !== 'ne') reader.fail([...path, cmp.key], `${series} compares with eq or ne only`, { atKey: true });
      else if (typeof cmp.value !== 'string') reader.fail([...path, cmp.key], `${series} is a string; expected a string such as Serve or Proxy`);
    } else if (typeof cmp.value !== 'number') {
      reader.fail([...path, cmp.key], `${series} is a number; expected a number, got "${String(cmp.value)}"`);
    }
    const where = body.where as Raw | undefined;
    for (const [name, w] of Object.entries(where ?? {})) {
      const wcmp = comparison(w as Raw);
      if (wcmp === undefined || Object.keys(w as Raw).length !== 1) {
        reader.fail([...path, 'where', name], 'a `where` entry takes exactly one of `eq`, `ne`, `lt`, `le`, `gt`, `ge`');
        continue;
      }
      if ((STRING_SERIES as readonly string[]).includes(name)) {
        if (wcmp.key !== 'eq' && wcmp.key !== 'ne') reader.fail([...path, 'where', name, wcmp.key], `${name} compares with eq or ne only`, { atKey: true });
        else if (typeof wcmp.value !== 'string') reader.fail([...path, 'where', name, wcmp.key], `${name} is a string; expected a string such as Serve or Proxy`);
      } else if (typeof wcmp.value !== 'number') {
        reader.fail([...path, 'where', name, wcmp.key], `${name} is a number; expected a number, got "${String(wcmp.value)}"`);
      }
    }
  } else {
    if (body.where !== undefined) reader.fail([...path, 'where'], '`where` goes with `series`, not `condition`', { atKey: true });
    if (cmp !== undefined) reader.fail([...path, cmp.key], `\`${cmp.key}\` goes with \`series\`, not \`condition\``, { atKey: true });
    for (const key of ['revision'] as const) if (body[key] !== undefined) reader.fail([...path, key], `\`${key}\` goes with \`series\`; a condition names its object itself`, { atKey: true });
    const condition = body.condition as Raw;
    checkKind(reader, [...path, 'condition', 'kind'], condition.kind as string, env);
  }
  if (shape === 'eventually' && body.within === undefined) reader.fail(path, 'eventually needs `within`');
  if (shape !== 'eventually' && body.within !== undefined) reader.fail([...path, 'within'], `\`within\` goes with eventually; ${shape} checks the whole window (from, to)`, { atKey: true });
  if (shape === 'eventually' && body.to !== undefined) reader.fail([...path, 'to'], 'eventually ends its window with `within`', { atKey: true });
  const fromMs = body.from === undefined ? 0 : reader.duration([...path, 'from'], body.from);
  const toMs = body.to === undefined ? env.durationMs : reader.duration([...path, 'to'], body.to, { positive: true });
  const withinMs = body.within === undefined ? 0 : reader.duration([...path, 'within'], body.within, { positive: true });
  if (fromMs !== undefined && toMs !== undefined && withinMs !== undefined) {
    if (toMs <= fromMs) reader.fail([...path, 'to'], 'the window ends before it starts');
    else if (toMs > env.durationMs) reader.fail([...path, 'to'], 'the window ends after the end of the run');
    else if (fromMs + withinMs > env.durationMs) reader.fail([...path, 'within'], 'the deadline is after the end of the run');
  }
  return reader.issues.length === before;
}

export interface OracleEnv extends ScenarioEnv, FileEnv {
  validateOracle?: OracleValidator;
}

export function buildOracles(reader: FieldReader, items: unknown[], env: OracleEnv): OracleSpec[] {
  const out: OracleSpec[] = [];
  const ids = new Map<string, number>();
  const named = new Set<string>();
  const idFor = (path: (string | number)[], name: unknown, base: string): string => {
    if (typeof name === 'string') {
      if (named.has(name) || ids.has(name)) reader.fail([...path, 'name'], `duplicate oracle name "${name}"`);
      named.add(name);
      return name;
    }
    const n = (ids.get(base) ?? 0) + 1;
    ids.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  };
  const library = (path: (string | number)[], item: unknown, spec: OracleSpec): void => {
    const problem = env.validateOracle?.(spec) ?? null;
    if (problem === null) return void out.push(spec);
    const named = typeof item === 'object' && item !== null && problem.field !== '' && Object.hasOwn(item, problem.field);
    reader.fail(named ? [...path, problem.field] : path, problem.message);
  };
  items.forEach((item, i) => {
    const path = ['oracles', i];
    if (typeof item === 'string') {
      return library(path, item, { id: idFor(path, undefined, item), use: item, params: {}, source: reader.ref(path) });
    }
    const raw = item as Raw;
    if (typeof raw.use === 'string') {
      const { use, name, ...params } = raw;
      const clash = Object.keys(params).find((k) => (ORACLE_SHAPES as readonly string[]).includes(k) || k === 'module');
      if (clash !== undefined) return void reader.fail([...path, clash], `\`${clash}\` cannot go with \`use\`: an oracle is either a library oracle or a ${clash}`, { atKey: true });
      return library(path, item, { id: idFor(path, name, use as string), use: use as string, params, source: reader.ref(path) });
    }
    const shape = ORACLE_SHAPES.find((s) => Object.hasOwn(raw, s));
    if (shape !== undefined) {
      const body = raw[shape] as Raw;
      if (!checkShape(reader, [...path, shape], shape, body, env)) return;
      return void out.push({ id: idFor(path, raw.name, shape), use: shape, params: { ...body }, source: reader.ref(path) });
    }
    const module = raw.module as string;
    if (!MODULE_EXTENSIONS.includes(extname(module))) return void reader.fail([...path, 'module'], `expected a TypeScript or JavaScript module (${MODULE_EXTENSIONS.join(', ')}), got "${module}"`);
    const abs = resolve(env.baseDir, module);
    if (!existsSync(abs) || !statSync(abs).isFile()) return void reader.fail([...path, 'module'], `no such file: ${module} (relative to the scenario file)`);
    out.push({ id: idFor(path, raw.name, basename(module, extname(module))), use: 'module', params: { path: abs }, source: reader.ref(path) });
  });
  return out;
}

void SERIES_COMPLETE;
