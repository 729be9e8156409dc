// `npm run bench`: throughput and memory figures. Wall time is read here, outside the simulation.
// It runs the compiled JavaScript (tsc into .bench-dist), as the package ships it, not through tsx.
import { benchKernel } from '../bench/kernel.js';
import { benchKubeRollout } from '../bench/kube-rollout.js';
import { benchKnativeReference } from '../bench/knative-reference.js';

const now = (): number => performance.now();

function line(name: string, value: string): void {
  console.log(`${name.padEnd(44)} ${value}`);
}

function main(): void {
  console.log(`sleeveless bench — node ${process.version}, ${process.arch}`);
  benchKernel({ actors: 1000, events: 500_000, now }); // warm-up
  const runs = [1, 2, 3].map(() => benchKernel({ actors: 1000, events: 5_000_000, now }));
  const best = runs.reduce((a, b) => (a.eventsPerSecond > b.eventsPerSecond ? a : b));
  line('kernel: events/s (1000 actors, 5M events, best of 3)', best.eventsPerSecond.toLocaleString('en-US'));
  line('kernel: trace hash (same on every run)', runs.every((r) => r.traceHash === best.traceHash) ? best.traceHash : 'MISMATCH');
  // The first run pays for the JIT's warm-up; exploring seeds runs many in one process, which the
  // steady state (best of 5 after 3 more warm-up runs) measures.
  const first = benchKnativeReference({ now });
  for (let i = 0; i < 3; i++) benchKnativeReference({ now });
  const knative = [1, 2, 3, 4, 5].map(() => benchKnativeReference({ now })).reduce((a, b) => (a.simSecondsPerWallSecond > b.simSecondsPerWallSecond ? a : b));
  line('knative: reference (1 ksvc, 10 min of 50 rps, 2 idle gaps)', `${knative.ok}/${knative.requests} requests served, ${knative.events.toLocaleString('en-US')} events`);
  line('knative: simulated seconds per wall second', `${knative.simSecondsPerWallSecond} (steady state: best of 5 after 4 warm-up runs; target 5000)`);
  line('knative: the same, first run in the process', String(first.simSecondsPerWallSecond));
  line('knative: trace hash (same on every run)', first.traceHash === knative.traceHash ? knative.traceHash : 'MISMATCH');
  line('knative: heap after the run (MiB)', String(knative.heapUsedMiB));
  const rollout = benchKubeRollout({ deployments: 100, podsPerDeployment: 10, events: true, now });
  line('kube: 100 Deployments × 10 pods, rollout', `${rollout.rolledOut}/100 rolled out in ${(rollout.simulatedMs / 1000).toFixed(0)} simulated s`);
  line('kube: simulated seconds per wall second', String(rollout.simSecondsPerWallSecond));
  line('kube: wall time (s) / events', `${(rollout.wallMs / 1000).toFixed(1)} / ${rollout.events.toLocaleString('en-US')}`);
  line('kube: heap after the run (MiB)', String(rollout.heapUsedMiB));
  line('peak RSS (MiB)', (process.resourceUsage().maxRSS / 1024).toFixed(0));
}

main();
