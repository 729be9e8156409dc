// `sleeveless run <scenario.yaml | bug-id>` and `sleeveless replay <string>`.

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Chalk } from 'chalk';
import type { Backend } from '../backends/backend.js';
import { simBackend } from '../backends/sim/sim-backend.js';
import { UnknownReleaseError, parseRelease } from '../knative/versions.js';
import { formatJsonResult, formatScenarioResult, ProgressBar, toJUnitXml, writeReport, writeReportIndex } from '../report/index.js';
import { decodeReplay, ReplayStringError, scenarioFingerprint } from '../scenario/replay-string.js';
import type { ScenarioResult } from '../scenario/result.js';
import { prepareScenarioOracles, runScenario } from '../scenario/run-scenario.js';
import type { Scenario } from '../scenario/types.js';
import { resolveTarget, type Target } from './targets.js';
import { UsageError } from './usage-error.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout/stderr are terminals (colour, progress bar). */
  colour: boolean;
  stderr: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
}

function backendNamed(name: string): Backend {
  if (name === 'sim') return simBackend;
  if (name === 'kind' || name === 'cluster') throw new UsageError(`--backend ${name}: the real-cluster backends are not available yet; use sim`);
  throw new UsageError(`--backend: unknown backend ${JSON.stringify(name)} (sim, kind, cluster)`);
}

function releaseName(text: string, flag: string): string {
  try {
    return parseRelease(text).name;
  } catch (e) {
    if (e instanceof UnknownReleaseError) throw new UsageError(`${flag}: ${e.message}`);
    throw e;
  }
}

function positiveInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) throw new UsageError(`${flag}: expected a positive integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

interface Execution {
  target: Target;
  knative: string;
  seeds: number[];
  overrides?: ReadonlyMap<number, number>;
  json: boolean;
  junit?: string;
  reportDir?: string;
  verbose: boolean;
  backend: Backend;
}

async function execute(x: Execution, io: CliIo): Promise<{ result: ScenarioResult; code: number }> {
  const { scenario, bug, ref } = x.target;
  const problems = x.backend.unsupported(scenario);
  if (problems.length > 0) throw new UsageError(`backend ${x.backend.name} cannot run ${scenario.name}:\n  ${problems.join('\n  ')}`);
  const oracles = await prepareScenarioOracles(scenario);
  const bar = new ProgressBar({ stream: io.stderr, verbose: x.verbose });
  bar.start(x.seeds.length);
  const tails = new Map<number, string[]>();
  const result = await runScenario(scenario, oracles, {
    backend: x.backend, knative: x.knative, seeds: x.seeds, target: ref, bug: bug?.id ?? null,
    ...(x.overrides ? { overrides: x.overrides } : {}),
    wallClock: () => performance.now(),
    onRun: async (run, output) => {
      if (run.verdict === 'fail') tails.set(run.seed, output.traceTail);
      if (x.reportDir !== undefined) {
        await writeReport(x.reportDir, { history: output.history, run, scenario: reportScenario(scenario, x.knative, bug?.id ?? null) });
      }
      bar.tick({ failed: run.verdict === 'fail', seed: run.seed });
    },
  });
  bar.done();
  if (x.reportDir !== undefined) await writeReportIndex(x.reportDir, result);
  if (x.junit !== undefined) await writeFile(x.junit, toJUnitXml([result]));
  if (x.json) {
    io.out(formatJsonResult(result));
  } else {
    io.out(formatScenarioResult(result, { color: io.colour }));
    const firstFailing = result.runs.find((r) => r.verdict === 'fail');
    const tail = firstFailing ? tails.get(firstFailing.seed) : undefined;
    if (tail !== undefined && tail.length > 0) {
      const c = new Chalk({ level: io.colour ? 1 : 0 });
      io.out(c.dim(`\ntrace tail of seed ${firstFailing!.seed} (last ${tail.length} lines):\n${tail.map((l) => `  ${l}`).join('\n')}`));
    }
    if (x.reportDir !== undefined) io.out(`\nreport: ${x.reportDir}/index.html`);
  }
  return { result, code: result.verdict === 'pass' ? 0 : 1 };
}

function reportScenario(scenario: Scenario, knative: string, bug: string | null): { name: string; description?: string; knative: string; bug: string | null } {
  return { name: scenario.name, ...(scenario.description ? { description: scenario.description } : {}), knative, bug };
}

export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      knative: { type: 'string' },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      json: { type: 'boolean', default: false },
      junit: { type: 'string' },
      report: { type: 'string' },
      backend: { type: 'string', default: 'sim' },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('run: name one scenario file or bug id');
  if (values.seed !== undefined && values.seeds !== undefined) throw new UsageError('run: give --seed or --seeds, not both');
  const backend = backendNamed(values.backend!);
  const target = resolveTarget(positionals[0]);
  const knative = releaseName(values.knative ?? target.scenario.knative, values.knative !== undefined ? '--knative' : `${target.scenario.file}: knative`);
  const seeds = values.seed !== undefined
    ? [positiveInt(values.seed, '--seed')]
    : values.seeds !== undefined
      ? Array.from({ length: positiveInt(values.seeds, '--seeds') }, (_, i) => i + 1)
      : target.scenario.seeds;
  const { code } = await execute({
    target, knative, seeds, json: values.json!, verbose: values.verbose!, backend,
    ...(values.junit !== undefined ? { junit: values.junit } : {}),
    ...(values.report !== undefined ? { reportDir: values.report } : {}),
  }, io);
  return code;
}

export async function replayCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, junit: { type: 'string' }, report: { type: 'string' } },
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('replay: give the replay string a failing run printed');
  let ref;
  try {
    ref = decodeReplay(positionals[0]);
  } catch (e) {
    if (e instanceof ReplayStringError) throw new UsageError(`replay: ${e.message}`);
    throw e;
  }
  const target = resolveTarget(ref.target);
  const now = scenarioFingerprint(target.scenario);
  if (now !== ref.fingerprint) {
    throw new UsageError(`replay: ${ref.target} changed since this replay string was made (fingerprint ${ref.fingerprint}, now ${now}); check out the version that produced it`);
  }
  const { code } = await execute({
    target, knative: releaseName(ref.knative, 'replay string release'), seeds: [ref.seed], json: values.json!, verbose: false, backend: simBackend,
    ...(ref.overrides ? { overrides: new Map(ref.overrides) } : {}),
    ...(values.junit !== undefined ? { junit: values.junit } : {}),
    ...(values.report !== undefined ? { reportDir: values.report } : {}),
  }, io);
  return code;
}
