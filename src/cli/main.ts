// The sleeveless command. Wall time is allowed here (DESIGN.md determinism rule 1 exempts cli/).

import { parseArgs } from 'node:util';
import chalk from 'chalk';
import { runKnativeDemo } from '../examples/knative-demo.js';
import { DEMO_FAULTS, runMirrorDemo, type DemoFault } from '../examples/mirror-demo.js';
import { UnknownReleaseError, parseRelease } from '../knative/versions.js';
import { formatTraceLine } from '../sim/trace.js';

const USAGE = `usage: sleeveless <command> [options]

commands:
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

export class UsageError extends Error {}

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

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
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
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`sleeveless: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
