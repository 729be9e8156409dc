// The sleeveless command. Wall time is allowed here (DESIGN.md determinism rule 1 exempts cli/).

import { parseArgs } from 'node:util';
import chalk from 'chalk';
import { runKnativeDemo } from '../examples/knative-demo.js';
import { DEMO_FAULTS, runMirrorDemo, type DemoFault } from '../examples/mirror-demo.js';
import { UnknownReleaseError, parseRelease } from '../knative/versions.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { FaultSpecError } from '../faults/fault-spec-error.js';
import { OracleModuleError } from '../oracles/module-oracle.js';
import { formatTraceLine } from '../sim/trace.js';
import { listCommand, showCommand } from './catalog-commands.js';
import { catalogCommand, regressCommand } from './regress-command.js';
import { replayCommand, runCommand, type CliIo } from './run-command.js';
import { UsageError } from './usage-error.js';

export { UsageError };

const USAGE = `usage: sleeveless <command> [options]

commands:
  run <scenario.yaml | bug-id | scenario-name> [--knative R] [--seed S | --seeds N] [--json]
      [--junit FILE] [--report DIR] [--verbose]
      Run a scenario (or a catalogued bug's scenario) on the simulation for each seed and check its
      oracles. Exit 0 when every oracle held on every seed, 1 when one failed. A failing run prints
      its seed, release and a replay string. --json prints one result object; --junit writes JUnit
      XML; --report writes each run's history (JSON) and an HTML report with an index.html.
  replay <replay-string> [--json] [--report DIR]
      Re-run exactly the run a replay string names (same trace hash).
  list [--json]
      The catalogued bugs and the shipped scenarios.
  catalog [--json]
      The bug catalog: upstream issue and fix, affected releases, first fixed release, components.
  regress --knative R [--json] [--junit FILE] [--bugs id,id] [--quick | --seeds N] [--threads N]
      Run every catalogued bug against release R on worker threads and compare with the catalog:
      each bug must reproduce where R is affected and stay absent where it is fixed (N seeds to find
      it, M to trust its absence; --quick uses the smaller CI numbers; --seeds N sets both). Exit 1 on
      any mismatch. --checkpoints runs every release where the catalog makes a claim instead.
  show <bug-id | scenario> [--json]
      Details of a bug (upstream links, releases, mechanism) and its scenario.
  knative [--seed S] [--knative R] [--json]
      Install Knative Serving (release R, default latest) on a simulated Kubernetes, deploy one
      Knative Service, drive 20 requests/s, go idle until it scales to zero, then a 50 requests/s
      burst that cold-starts through the activator. Prints the timeline and request statistics.
  demo [--seed S] [--fault F] [--json] [--verbose]
      Run the foundation demonstration: a ConfigMap-to-Secret mirror controller (two replicas under
      leader election) and the garbage collector in a simulated cluster, with one fault.
      F is one of: ${DEMO_FAULTS.join(', ')} (default: none). The same seed gives the same trace hash.
  help
      Print this text.

exit codes: 0 success, 1 a check failed, 2 bad input`;


function demo(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string', default: '1' },
      fault: { type: 'string', default: 'none' },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const fault = values.fault as DemoFault;
  if (!DEMO_FAULTS.includes(fault)) throw new UsageError(`--fault: unknown fault ${JSON.stringify(values.fault)}; expected one of ${DEMO_FAULTS.join(', ')}`);
  const started = performance.now();
  const result = runMirrorDemo({ seed: values.seed!, fault });
  const wallMs = Math.round(performance.now() - started);
  if (values.json) {
    console.log(JSON.stringify({ ...result, timeline: result.timeline.map(formatTraceLine), wallMs }, null, 2));
    return 0;
  }
  console.log(chalk.bold(`sleeveless demo — seed ${result.seed}, fault ${result.fault}`));
  for (const line of values.verbose ? result.timeline : result.timeline.filter((l) => l.kind !== 'fault-hit')) {
    console.log(chalk.dim(`  ${(line.atMs / 1000).toFixed(3).padStart(8)}s `) + formatTraceLine(line).replace(/^\d+ /, ''));
  }
  console.log('');
  result.mirroredAtMs.forEach((at, i) => {
    console.log(`  edit ${i + 1} mirrored ${at === null ? chalk.red('never') : `at ${(at / 1000).toFixed(3)}s`}`);
  });
  console.log(`  secrets left after the ConfigMap was deleted: ${result.secretsLeft}`);
  console.log(`  ${result.events} events, ${result.decisions} decisions, ${result.requests} controller requests, ${wallMs} ms wall`);
  console.log(`  trace hash ${chalk.cyan(result.traceHash)}`);
  return 0;
}

function knative(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: { seed: { type: 'string', default: '1' }, knative: { type: 'string', default: 'latest' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  try {
    parseRelease(values.knative!);
  } catch (e) {
    if (e instanceof UnknownReleaseError) throw new UsageError(`--knative: ${e.message}`);
    throw e;
  }
  const started = performance.now();
  const result = runKnativeDemo({ seed: values.seed!, release: values.knative! });
  const wallMs = Math.round(performance.now() - started);
  if (values.json) {
    console.log(JSON.stringify({ ...result, wallMs }, null, 2));
    return 0;
  }
  console.log(chalk.bold(`sleeveless knative — seed ${result.seed}, Knative ${result.release}`));
  for (const e of result.timeline) console.log(chalk.dim(`  ${(e.atMs / 1000).toFixed(2).padStart(8)}s `) + e.what);
  console.log('');
  for (const p of result.phases) {
    const statuses = Object.entries(p.byStatus).map(([s, n]) => `${s}×${n}`).join(' ');
    console.log(`  ${p.phase.padEnd(20)} ${String(p.requests).padStart(6)} requests  ${statuses}  p50 ${p.p50Ms} ms  p99 ${p.p99Ms} ms  max ${p.maxMs} ms  via activator ${p.viaActivator}`);
  }
  console.log(`  ${result.events} events, ${wallMs} ms wall, trace hash ${chalk.cyan(result.traceHash)}`);
  return 0;
}

function defaultIo(): CliIo {
  return {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    colour: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    stderr: process.stderr,
  };
}

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, io);
      case 'replay':
        return await replayCommand(rest, io);
      case 'list':
        return listCommand(rest, io);
      case 'catalog':
        return catalogCommand(rest, io);
      case 'regress':
        return await regressCommand(rest, io);
      case 'show':
        return showCommand(rest, io);
      case 'demo':
        return demo(rest);
      case 'knative':
        return knative(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    if (e instanceof ScenarioError) {
      io.err(e.format());
      return 2;
    }
    if (e instanceof FaultSpecError) {
      io.err(`sleeveless: ${e.message}`);
      return 2;
    }
    if (e instanceof OracleModuleError) {
      io.err(`sleeveless: ${e.spec.source.file}: ${e.spec.source.path}: ${e.message}`);
      return 2;
    }
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`sleeveless: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
