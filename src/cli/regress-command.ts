// `sleeveless catalog` (the table of catalogued bugs) and `sleeveless regress --knative R` (run every
// bug against release R and compare with the catalog: the "before you upgrade Knative" command).

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Chalk } from 'chalk';
import { UnknownReleaseError, parseRelease, type Release } from '../knative/versions.js';
import { regressJUnit } from '../report/index.js';
import type { Bug } from '../scenario/bug.js';
import { listBugs } from '../scenario/load-bug.js';
import { validateOracleSpec } from '../oracles/check-oracles.js';
import { BUGS_DIR } from './package-root.js';
import { runRegress, type RegressResult } from './regress.js';
import { checkpointReleases, ownCheckpoints, seedBudget } from '../catalog/expectation.js';
import { performance } from 'node:perf_hooks';
import type { CliIo } from './run-command.js';
import { SeedPool } from './seed-pool.js';
import { UsageError } from './usage-error.js';

export function loadCatalog(): Bug[] {
  return listBugs(BUGS_DIR, { validateOracle: validateOracleSpec });
}

export function catalogCommand(argv: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } }, strict: true });
  if (positionals.length > 0) throw new UsageError('catalog takes no arguments');
  const bugs = loadCatalog();
  if (values.json) {
    io.out(JSON.stringify(bugs.map((b) => ({
      id: b.id, title: b.title,
      upstream: { issue: b.upstream.issueUrl, fixPr: b.upstream.fixPrUrl ?? null, ...(b.upstream.commit ? { commit: b.upstream.commit } : {}) },
      affected: b.affected, fixedIn: b.fixedIn, components: b.components, class: b.class, tags: b.tags,
      switches: b.switches, status: b.needsRealCluster !== undefined ? 'needs-real-cluster' : b.fixedIn === null ? 'open-upstream' : 'fixed-upstream',
      expectation: b.expectation,
      ...(b.scenarioFrom ? { scenarioFrom: b.scenarioFrom } : {}),
      ...(b.sharesSymptomWith ? { sharesSymptomWith: b.sharesSymptomWith } : {}),
    })), null, 2));
    return 0;
  }
  const c = new Chalk({ level: io.colour ? 1 : 0 });
  const rows = bugs.map((b) => [b.id, b.affected.from === b.affected.to ? b.affected.from : `${b.affected.from}–${b.affected.to}`, b.fixedIn ?? 'open', b.components.join(','), b.needsRealCluster ? 'real cluster' : 'sim', b.title]);
  const header = ['bug', 'affected', 'fixed in', 'components', 'runs on', 'title'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((x, i) => (i === cells.length - 1 ? x : x.padEnd(widths[i]))).join('  ');
  io.out(c.bold(line(header)));
  for (const r of rows) io.out(line(r));
  io.out(c.dim(`\n${bugs.length} bugs. sleeveless show <bug> for one; sleeveless regress --knative <release> to check a release.`));
  return 0;
}

function release(text: string | undefined): Release {
  if (text === undefined) throw new UsageError('regress: --knative <release> is required (e.g. 1.11 or latest)');
  try {
    return parseRelease(text);
  } catch (e) {
    if (e instanceof UnknownReleaseError) throw new UsageError(`--knative: ${e.message}`);
    throw e;
  }
}

export async function regressCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      knative: { type: 'string' },
      json: { type: 'boolean', default: false },
      junit: { type: 'string' },
      bugs: { type: 'string' },
      quick: { type: 'boolean', default: false },
      checkpoints: { type: 'boolean', default: false },
      seeds: { type: 'string' },
      threads: { type: 'string' },
    },
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError('regress takes options only');
  if (values.checkpoints && values.knative !== undefined) throw new UsageError('regress: give --knative R or --checkpoints, not both');
  const catalog = loadCatalog();
  let bugs = catalog;
  if (values.bugs !== undefined) {
    const wanted = values.bugs.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = wanted.filter((id) => !bugs.some((b) => b.id === id));
    if (unknown.length > 0) throw new UsageError(`--bugs: unknown bug ${unknown.join(', ')}; known: ${bugs.map((b) => b.id).join(', ')}`);
    bugs = bugs.filter((b) => wanted.includes(b.id));
  }
  if (values.threads !== undefined && !/^\d+$/.test(values.threads)) throw new UsageError('--threads: expected a whole number (0 runs in this thread)');
  const only = values.checkpoints ? undefined : release(values.knative);
  const pool = new SeedPool(values.threads !== undefined ? { threads: Number(values.threads) } : {});
  try {
    const seeds = values.seeds === undefined ? undefined : /^\d+$/.test(values.seeds) && Number(values.seeds) > 0 ? Number(values.seeds) : undefined;
    if (values.seeds !== undefined && seeds === undefined) throw new UsageError('--seeds: expected a positive whole number');
    if (only !== undefined) {
      return await regressOne(bugs, only, pool, {
        json: values.json!, quick: values.quick!, catalog, ...(seeds !== undefined ? { budget: () => seeds } : {}), ...(values.junit !== undefined ? { junit: values.junit } : {}),
      }, io);
    }
    // Every release where the catalog makes a claim: each bug gets its full budgets on its own
    // checkpoints (affected range ends, fixed release) and the quick absence budget elsewhere.
    const started = performance.now();
    const all: RegressResult[] = [];
    for (const rel of checkpointReleases(bugs)) {
      const result = await regressRelease(bugs, rel, pool, {
        quick: values.quick!,
        catalog,
        budget: (bug) => seedBudget(bug, rel, { quick: values.quick! || !ownCheckpoints(bug).has(rel.name), catalog }),
      }, io);
      all.push(result);
      if (!values.json) printRegress(result, io);
    }
    const mismatches = all.flatMap((r) => r.mismatches.map((id) => `${id}@${r.knative}`));
    if (values.json) io.out(JSON.stringify({ releases: all, mismatches, wallMs: Math.round(performance.now() - started) }, null, 2));
    else io.out(`\n${all.length} releases checked; ${mismatches.length === 0 ? 'no mismatches' : `mismatches: ${mismatches.join(', ')}`}; total wall time ${((performance.now() - started) / 1000).toFixed(1)}s`);
    return mismatches.length === 0 ? 0 : 1;
  } finally {
    await pool.close();
  }
}

async function regressRelease(bugs: Bug[], rel: Release, pool: SeedPool, options: { quick: boolean; catalog: Bug[]; budget?: (bug: Bug) => number }, io: CliIo): Promise<RegressResult> {
  const c = new Chalk({ level: io.colour ? 1 : 0 });
  io.err(c.dim(`regress: ${bugs.length} bugs against Knative ${rel.name} on ${pool.threads || 1} thread(s)${options.quick ? ' (quick: the CI seed budgets)' : ''}`));
  return runRegress(bugs, rel, {
    pool, quick: options.quick, catalog: options.catalog, ...(options.budget ? { budget: options.budget } : {}),
    onBugDone: (r, n, total) => {
      const ok = r.observed === r.expected && r.error === undefined;
      io.err(`  [${String(n).padStart(String(total).length)}/${total}] ${ok ? c.green('ok      ') : c.red('MISMATCH')} ${r.id.padEnd(16)} expected ${r.expected.padEnd(10)} observed ${r.observed.padEnd(10)} ${r.seedsTried} seed(s) ${(r.wallMs / 1000).toFixed(1)}s${r.error ? ` error: ${r.error}` : ''}`);
    },
  });
}

async function regressOne(bugs: Bug[], rel: Release, pool: SeedPool, options: { json: boolean; quick: boolean; catalog: Bug[]; junit?: string; budget?: (bug: Bug) => number }, io: CliIo): Promise<number> {
  const result = await regressRelease(bugs, rel, pool, { quick: options.quick, catalog: options.catalog, ...(options.budget ? { budget: options.budget } : {}) }, io);
  if (options.junit !== undefined) await writeFile(options.junit, regressJUnit(result));
  if (options.json) io.out(JSON.stringify(result, null, 2));
  else printRegress(result, io);
  return result.mismatches.length === 0 ? 0 : 1;
}

function printRegress(result: RegressResult, io: CliIo): void {
  const c = new Chalk({ level: io.colour ? 1 : 0 });
  {
    io.out(c.bold(`Knative ${result.knative}: ${result.results.length - result.mismatches.length} of ${result.results.length} bugs as the catalog expects`));
    for (const r of result.results) {
      const ok = r.observed === r.expected && r.error === undefined;
      io.out(`  ${ok ? c.green('✓') : c.red('✗')} ${r.id.padEnd(16)} expected ${r.expected.padEnd(10)} observed ${r.observed.padEnd(10)} in ${String(r.seedsTried).padStart(3)} seed(s)  ${r.title}`);
      if (!ok && r.failure !== undefined) io.out(c.dim(`      ${r.failure.violations[0]?.reason ?? ''}\n      re-run: sleeveless replay ${r.failure.replay}`));
      if (r.error !== undefined) io.out(c.red(`      ${r.error}`));
    }
    for (const s of result.skipped) io.out(c.yellow(`  - ${s.id.padEnd(16)} skipped: ${s.reason.split('\n')[0]}`));
    io.out(`${result.mismatches.length === 0 ? c.green('no mismatches') : c.red(`${result.mismatches.length} mismatch(es): ${result.mismatches.join(', ')}`)}; total wall time ${(result.wallMs / 1000).toFixed(1)}s`);
  }
}
