// The sleeveless command. Wall time is allowed here (DESIGN.md determinism rule 1 exempts cli/).

import { parseArgs } from 'node:util';
import chalk from 'chalk';
import { DEMO_FAULTS, runMirrorDemo, type DemoFault } from '../examples/mirror-demo.js';
import { formatTraceLine } from '../sim/trace.js';

const USAGE = `usage: sleeveless <command> [options]

commands:
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

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'demo':
        return demo(rest);
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
