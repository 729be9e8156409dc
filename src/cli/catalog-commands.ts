// `sleeveless list` and `sleeveless show <id>`: what the package ships (scenarios/ and the bug
// catalog in bugs/) and the details of one entry.

import { parseArgs } from 'node:util';
import { Chalk } from 'chalk';
import type { Bug } from '../scenario/bug.js';
import { listBugs } from '../scenario/load-bug.js';
import { listScenarios } from '../scenario/load-scenario.js';
import type { Scenario } from '../scenario/types.js';
import { formatDurationMs } from '../knative/config/duration.js';
import { BUGS_DIR, SCENARIOS_DIR } from './package-root.js';
import type { CliIo } from './run-command.js';
import { resolveTarget } from './targets.js';
import { UsageError } from './usage-error.js';

function releaseRange(bug: Bug): string {
  return `${bug.affected.from}–${bug.affected.to}`;
}

export function listCommand(argv: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } }, strict: true });
  if (positionals.length > 0) throw new UsageError('list takes no arguments');
  const scenarios = listScenarios(SCENARIOS_DIR);
  const bugs = listBugs(BUGS_DIR);
  if (values.json) {
    io.out(JSON.stringify({
      scenarios: scenarios.map((s) => ({ name: s.name, description: s.description ?? '', file: s.file })),
      bugs: bugs.map((b) => ({ id: b.id, title: b.title, affected: b.affected, fixedIn: b.fixedIn, components: b.components })),
    }, null, 2));
    return 0;
  }
  const c = new Chalk({ level: io.colour ? 1 : 0 });
  io.out(c.bold(`Catalogued bugs (${bugs.length})`));
  for (const b of bugs) io.out(`  ${c.cyan(b.id.padEnd(16))} ${b.title}  ${c.dim(`affected ${releaseRange(b)}, fixed in ${b.fixedIn ?? 'not yet'}`)}`);
  io.out('');
  io.out(c.bold(`Scenarios (${scenarios.length})`));
  for (const s of scenarios) io.out(`  ${c.cyan(s.name.padEnd(28))} ${(s.description ?? '').split('\n')[0]}`);
  io.out(c.dim('\nsleeveless show <id> for details; sleeveless run <id> to run it.'));
  return 0;
}

function describeScenario(s: Scenario): string[] {
  const lines = [
    `scenario ${s.name} (${s.file})`,
    `  knative ${s.knative}, duration ${formatDurationMs(s.durationMs)}, seeds ${s.seeds.length === 1 ? s.seeds[0] : `${s.seeds[0]}..${s.seeds[s.seeds.length - 1]} (${s.seeds.length})`}`,
    `  cluster: ${s.cluster.nodes.length} nodes; knative replicas ${Object.entries(s.cluster.knativeReplicas).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `  setup: ${s.manifests.map((m) => `${m.object.kind} ${m.object.metadata.namespace ?? ''}/${m.object.metadata.name ?? ''}`).join(', ') || '(nothing)'}`,
  ];
  for (const w of s.workload) {
    lines.push(`  workload to ${w.host} from ${formatDurationMs(w.startMs)}: ${w.phases.map((p) => `${p.name} ${formatDurationMs(p.durationMs)}`).join(' → ')}`);
  }
  for (const a of s.actions) lines.push(`  action ${a.id}: ${'at' in a.trigger ? `at ${formatDurationMs(a.trigger.at)}` : `when ${a.trigger.when.kind}`}`);
  for (const f of s.faults) lines.push(`  fault ${f.id}: ${f.family} ${'at' in f.trigger ? `at ${formatDurationMs(f.trigger.at)}` : `when ${f.trigger.when.kind}`}${f.durationMs !== undefined ? ` for ${formatDurationMs(f.durationMs)}` : ''}`);
  for (const o of s.oracles) lines.push(`  oracle ${o.id}: ${o.use}${Object.keys(o.params).length ? ` ${JSON.stringify(o.params)}` : ''}`);
  if (s.description) lines.push('', ...s.description.trimEnd().split('\n').map((l) => `  ${l}`));
  return lines;
}

export function showCommand(argv: string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } }, strict: true });
  if (positionals.length !== 1) throw new UsageError('show: name one bug id, scenario name or scenario file');
  const target = resolveTarget(positionals[0]);
  const { bug, scenario } = target;
  if (values.json) {
    io.out(JSON.stringify({ bug: bug === null ? null : { ...bug, scenario: scenario.name }, scenario }, null, 2));
    return 0;
  }
  const c = new Chalk({ level: io.colour ? 1 : 0 });
  if (bug !== null) {
    io.out(c.bold(`${bug.id}: ${bug.title}`));
    io.out(`  upstream issue ${bug.upstream.issueUrl}${bug.upstream.fixPrUrl ? `, fix ${bug.upstream.fixPrUrl}` : ' (open upstream)'}`);
    io.out(`  affected ${releaseRange(bug)}; fixed in ${bug.fixedIn ?? 'no release yet'}; switches ${bug.switches.join(', ') || '(none)'}`);
    io.out(`  components ${bug.components.join(', ')}; class ${bug.class}${bug.tags.length ? `; study tags ${bug.tags.join(', ')}` : ''}`);
    io.out(`  expectation: reproduces within ${bug.expectation.reproducesWithin} seeds on an affected release; absent in ${bug.expectation.absentIn} on a fixed one`);
    if (bug.needsRealCluster) io.out(c.yellow(`  needs a real cluster: ${bug.needsRealCluster}`));
    const indented = (text: string): string => text.trim().split('\n').map((l) => `      ${l}`).join('\n');
    if (bug.scenarioFrom) io.out(`  the scenario applies from ${bug.scenarioFrom.release} on:\n${indented(bug.scenarioFrom.why)}`);
    for (const s of bug.sharesSymptomWith ?? []) io.out(`  also reproduces where ${s.bug} is affected:\n${indented(s.why)}`);
    io.out('');
    io.out(bug.mechanism.trimEnd().split('\n').map((l) => `  ${l}`).join('\n'));
    io.out('');
  }
  io.out(describeScenario(scenario).join('\n'));
  return 0;
}
