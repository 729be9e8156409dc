// Paired A/B of the Knative reference bench between two builds, in one process: `npm run bench`
// builds .bench-dist; build the other side the same way in another checkout, then
//   node .bench-dist/scripts/bench-ab.js <dirA> <dirB> [pairs]
// Each dir holds a .bench-dist. Runs alternate A,B then B,A, so drift on a shared machine hits both
// sides alike; the per-pair CPU ratio B/A is reported with its quartiles, which says more than two
// best-of-N figures when the machine is noisy (a ratio whose quartiles straddle 1 is no change).
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { KnativeBenchResult } from '../bench/knative-reference.js';

const AB_WARM_UP_RUNS = 12;

type Bench = (options: { now: () => number }) => KnativeBenchResult;

interface Sample {
  wallMs: number;
  cpuMs: number;
  result: KnativeBenchResult;
}

async function load(dir: string): Promise<Bench> {
  const url = pathToFileURL(path.resolve(dir, '.bench-dist/bench/knative-reference.js')).href;
  const mod = (await import(url)) as { benchKnativeReference: Bench };
  return mod.benchKnativeReference;
}

function once(bench: Bench): Sample {
  const cpu0 = process.cpuUsage();
  const result = bench({ now: () => performance.now() });
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: result.wallMs, cpuMs: (cpu.user + cpu.system) / 1000, result };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function describe(name: string, samples: readonly Sample[]): string {
  const cpu = samples.map((s) => s.cpuMs).sort((a, b) => a - b);
  const wall = samples.map((s) => s.wallMs).sort((a, b) => a - b);
  const r = samples[0].result;
  return `${name}: cpu min ${cpu[0].toFixed(0)} med ${quantile(cpu, 0.5).toFixed(0)} ms, wall min ${wall[0].toFixed(0)} ms ` +
    `(${Math.round(r.simulatedMs / wall[0])} sim s/wall s), ${r.ok}/${r.requests} served, ${r.events} events, trace ${r.traceHash}`;
}

async function main(): Promise<void> {
  const [dirA, dirB, pairsArg] = process.argv.slice(2);
  if (dirA === undefined || dirB === undefined) {
    console.error('usage: node .bench-dist/scripts/bench-ab.js <dirA> <dirB> [pairs]');
    process.exitCode = 2;
    return;
  }
  const pairs = Number(pairsArg ?? 16);
  const [a, b] = [await load(dirA), await load(dirB)];
  // Warm-up until V8 has settled (scripts/bench.ts: about 20 runs of the reference), both sides alike.
  for (let i = 0; i < AB_WARM_UP_RUNS; i++) { once(a); once(b); }
  const as: Sample[] = [];
  const bs: Sample[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    let sa: Sample, sb: Sample;
    if (i % 2 === 0) { sa = once(a); sb = once(b); } else { sb = once(b); sa = once(a); }
    as.push(sa);
    bs.push(sb);
    ratios.push(sb.cpuMs / sa.cpuMs);
  }
  ratios.sort((x, y) => x - y);
  console.log(describe('A', as));
  console.log(describe('B', bs));
  console.log(`B/A cpu per pair: median ${quantile(ratios, 0.5).toFixed(3)}, quartiles ${quantile(ratios, 0.25).toFixed(3)}-${quantile(ratios, 0.75).toFixed(3)} (${pairs} pairs)`);
}

await main();
