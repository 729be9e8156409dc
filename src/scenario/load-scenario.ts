// Loading scenario files: YAML → schema check → the Scenario model with every default filled in.
// Bad input of any kind (YAML syntax, unknown or misspelt fields, wrong types, bad durations, unknown
// releases, fault families or components, missing files, manifests the API server rejects) throws one
// ScenarioError listing every problem with file, line and field; nothing else is thrown for bad input.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { buildScenario } from './build-scenario.js';
import type { OracleValidator } from './build-oracles.js';
import { FieldReader } from './field-reader.js';
import { ScenarioError, type ScenarioIssue } from './scenario-error.js';
import { scenarioSchema } from './schema.js';
import type { Scenario } from './types.js';
import { YamlSource } from './yaml-source.js';

export interface LoadScenarioOptions {
  /** Checks a library oracle's name and parameters (the oracle library's parse), or accepts all when absent. */
  validateOracle?: OracleValidator;
}

export interface ParseScenarioOptions extends LoadScenarioOptions {
  /** How messages name the file (default `<inline>`). */
  file?: string;
  /** Where `file:` and `module:` references resolve (default: the file's directory, else the working directory). */
  baseDir?: string;
}

const INLINE = '<inline>';

/** Reads a file for the loaders: a missing or unreadable file is bad input, reported like any other. */
export function readInputFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new ScenarioError([{ file: path, path: '', message: `cannot read the file: ${why}` }]);
  }
}

/** Parses scenario text; throws ScenarioError. */
export function parseScenario(text: string, options: ParseScenarioOptions = {}): Scenario {
  const shown = options.file ?? INLINE;
  const inline = shown === INLINE;
  const baseDir = options.baseDir ?? (inline ? process.cwd() : dirname(resolve(shown)));
  const { source, issues } = YamlSource.parse(shown, text);
  if (source === undefined) throw new ScenarioError(issues);
  const { value, issue } = source.value();
  if (issue !== undefined) throw new ScenarioError([issue]);
  const reader = new FieldReader(source);
  const schema = scenarioSchema();
  if (!reader.conforms(value, schema, schema)) throw new ScenarioError(reader.issues);
  const scenario = buildScenario(reader, value as Record<string, unknown>, {
    file: inline ? INLINE : resolve(shown),
    defaultName: inline ? 'inline' : basename(shown, extname(shown)),
    baseDir,
    shownDir: inline ? '.' : dirname(shown),
    validateOracle: options.validateOracle,
  });
  if (scenario === undefined) throw new ScenarioError(reader.issues);
  return scenario;
}

/** Loads a scenario file; throws ScenarioError. */
export function loadScenario(path: string, options: LoadScenarioOptions = {}): Scenario {
  return parseScenario(readInputFile(path), { ...options, file: path });
}

/** Every `*.yaml` / `*.yml` scenario in `dir`, sorted by name; all problems of all files in one ScenarioError. */
export function listScenarios(dir: string, options: LoadScenarioOptions = {}): Scenario[] {
  const files = yamlFiles(dir);
  const scenarios: Scenario[] = [];
  const issues: ScenarioIssue[] = [];
  for (const file of files) {
    try {
      scenarios.push(loadScenario(join(dir, file), options));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return scenarios.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** YAML file names in `dir`, sorted; a missing directory is bad input. */
export function yamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new ScenarioError([{ file: dir, path: '', message: `cannot read the directory: ${(error as Error).message}` }]);
  }
  return names.filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
}
