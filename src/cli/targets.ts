// What `sleeveless run X` runs: a scenario file (a path), a catalogued bug (its id, e.g.
// serving-8878) or a scenario shipped in scenarios/ (its name). The target reference goes into
// replay strings: `bug:<id>`, `pkg:<path inside the package>` or a path relative to the cwd.

import { existsSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { validateOracleSpec } from '../oracles/check-oracles.js';
import type { Bug } from '../scenario/bug.js';
import { listBugs, loadBug } from '../scenario/load-bug.js';
import { listScenarios, loadScenario } from '../scenario/load-scenario.js';
import type { Scenario } from '../scenario/types.js';
import { BUGS_DIR, PACKAGE_ROOT, SCENARIOS_DIR } from './package-root.js';
import { UsageError } from './usage-error.js';

export interface Target {
  scenario: Scenario;
  bug: Bug | null;
  /** What a replay string names. */
  ref: string;
}

const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();

export function loadScenarioFile(path: string): Scenario {
  return loadScenario(path, { validateOracle: validateOracleSpec });
}

function refForFile(abs: string): string {
  const inPackage = relative(PACKAGE_ROOT, abs);
  if (!inPackage.startsWith('..') && !inPackage.startsWith(sep)) return `pkg:${inPackage.split(sep).join('/')}`;
  return relative(process.cwd(), abs).split(sep).join('/');
}

export function bugFile(id: string): string {
  return resolve(BUGS_DIR, `${id}.yaml`);
}

export function resolveTarget(arg: string): Target {
  if (arg.startsWith('bug:')) return resolveTarget(arg.slice(4));
  if (arg.startsWith('pkg:')) {
    const abs = resolve(PACKAGE_ROOT, arg.slice(4));
    if (!isFile(abs)) throw new UsageError(`no scenario ${arg.slice(4)} in this version of sleeveless`);
    return { scenario: loadScenarioFile(abs), bug: null, ref: arg };
  }
  const looksLikePath = arg.includes('/') || arg.includes(sep) || /\.ya?ml$/.test(arg);
  if (looksLikePath || isFile(arg)) {
    const abs = resolve(arg);
    if (!isFile(abs)) throw new UsageError(`no such scenario file: ${arg}`);
    return { scenario: loadScenarioFile(abs), bug: null, ref: refForFile(abs) };
  }
  if (isFile(bugFile(arg))) {
    const bug = loadBug(bugFile(arg), { validateOracle: validateOracleSpec });
    return { scenario: bug.scenario, bug, ref: `bug:${bug.id}` };
  }
  const shipped = resolve(SCENARIOS_DIR, `${arg}.yaml`);
  if (isFile(shipped)) return { scenario: loadScenarioFile(shipped), bug: null, ref: refForFile(shipped) };
  const known = [...listBugs(BUGS_DIR).map((b) => b.id), ...listScenarios(SCENARIOS_DIR).map((s) => s.name)];
  throw new UsageError(`${JSON.stringify(arg)} is neither a scenario file nor a catalogued bug or scenario; known: ${known.join(', ') || '(none)'}`);
}
