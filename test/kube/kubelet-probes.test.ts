// Readiness timing: with exact timings, the Ready condition reaches the API server at the virtual
// time the probe spec implies (prober/worker.go: ticks every periodSeconds from the container's
// start, none within initialDelaySeconds, successThreshold / failureThreshold results in a row,
// readiness only after the startup probe passed), whatever decides the probe outcome: the default
// app (ready after appStartMs) or a PodRuntime behaviour.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { defaultNodes } from '../../src/kube/install-nodes.js';
import type { ProbeOutcome } from '../../src/kube/pod-runtime.js';
import { containerStatus, createPod, firstAt, firstCommit, isReady, nodesCluster, podLog, NS } from './node-fixtures.js';

interface Row {
  name: string;
  appStartMs: number;
  probe: Record<string, number>;
  startupProbe?: Record<string, number>;
  /** Outcome override from a PodRuntime behaviour, by ms since the container started. */
  outcome?: (sinceStartMs: number) => ProbeOutcome | undefined;
  /** Expected: ms after the container start at which the Ready condition turns True (null: never). */
  readyAfterMs: number | null;
  /** Expected: ms after the start at which it turns False again (after being True). */
  unreadyAfterMs?: number;
}

const TABLE: Row[] = [
  { name: 'defaults-app-1s', appStartMs: 1_000, probe: {}, readyAfterMs: 10_000 },
  { name: 'app-instant', appStartMs: 0, probe: {}, readyAfterMs: 0 },
  { name: 'initial-delay-15-period-10', appStartMs: 0, probe: { initialDelaySeconds: 15 }, readyAfterMs: 20_000 },
  { name: 'initial-delay-5-period-2', appStartMs: 0, probe: { initialDelaySeconds: 5, periodSeconds: 2 }, readyAfterMs: 6_000 },
  { name: 'success-threshold-3', appStartMs: 4_000, probe: { periodSeconds: 3, successThreshold: 3 }, readyAfterMs: 12_000 },
  { name: 'runtime-fails-until-25s', appStartMs: 0, probe: {}, outcome: (s) => (s < 25_000 ? 'failure' : undefined), readyAfterMs: 30_000 },
  { name: 'runtime-always-fails', appStartMs: 0, probe: {}, outcome: () => 'failure', readyAfterMs: null },
  { name: 'failure-threshold-3', appStartMs: 0, probe: {}, outcome: (s) => (s > 15_000 ? 'failure' : undefined), readyAfterMs: 0, unreadyAfterMs: 40_000 },
  { name: 'failure-threshold-1', appStartMs: 0, probe: { failureThreshold: 1 }, outcome: (s) => (s > 15_000 ? 'failure' : undefined), readyAfterMs: 0, unreadyAfterMs: 20_000 },
  { name: 'timeout-2s', appStartMs: 0, probe: { timeoutSeconds: 2 }, outcome: (s) => (s > 15_000 ? 'timeout' : undefined), readyAfterMs: 0, unreadyAfterMs: 42_000 },
  { name: 'startup-gates-readiness', appStartMs: 12_000, probe: {}, startupProbe: { periodSeconds: 5, failureThreshold: 30 }, readyAfterMs: 20_000 },
];

for (const row of TABLE) {
  t.test(`readiness ${row.name}: Ready ${row.readyAfterMs === null ? 'never' : `${row.readyAfterMs} ms`} after the container starts`, async (t) => {
    const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
    let startedAtMs = 0;
    if (row.outcome) {
      c.runtime.register({
        name: 'table',
        matches: () => true,
        probe: (_pod, ctr, kind, nowMs) => (kind === 'readiness' ? row.outcome!(nowMs - (ctr.startedAtMs ?? nowMs)) : undefined),
      });
    }
    const log = podLog(c);
    c.cluster.sim.run({ untilMs: 1_000 });
    const container: Record<string, unknown> = { name: 'app', image: 'example.com/app:v1', readinessProbe: { httpGet: { port: 8080 }, ...row.probe } };
    if (row.startupProbe) container.startupProbe = { httpGet: { port: 8080 }, ...row.startupProbe };
    createPod(c, row.name, { containers: [container], annotations: { 'sleeveless.dev/app-start-ms': String(row.appStartMs) } });
    c.cluster.sim.run({ untilMs: 90_000 });
    startedAtMs = firstAt(c, 'kubelet-stage', { pod: `${NS}/${row.name}`, stage: 'container-start' })!;
    const ready = firstCommit(log, row.name, isReady);
    if (row.readyAfterMs === null) {
      t.equal(ready, undefined, 'never Ready');
      t.equal(containerStatus(log.at(-1)!.pod, 'app')?.ready, false);
      return;
    }
    t.equal(ready!.atMs - startedAtMs, row.readyAfterMs + 1, 'Ready written 1 ms (the PUT) after the deciding probe');
    if (row.startupProbe) {
      const started = firstCommit(log, row.name, (p: KubeObject) => containerStatus(p, 'app')?.started === true)!;
      t.equal(started.atMs - startedAtMs, 15_001, 'started once the startup probe passed (ticks at 0, 5, 10 fail; 15 passes)');
    }
    if (row.unreadyAfterMs !== undefined) {
      const after = log.filter((e) => e.pod.metadata.name === row.name && e.atMs > ready!.atMs);
      const unready = after.find((e) => !isReady(e.pod))!;
      t.equal(unready.atMs - startedAtMs, row.unreadyAfterMs + 1, 'NotReady after failureThreshold failures in a row');
    }
  });
}

t.test('a readiness probe keeps running while the pod terminates; liveness stops', async (t) => {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  const probed: string[] = [];
  c.runtime.register({ name: 'spy', matches: () => true, probe: (pod, _c, kind, nowMs) => void probed.push(`${kind}@${nowMs}${pod.metadata.deletionTimestamp ? ' deleting' : ''}`), shutdownMs: () => 25_000 });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'web', { containers: [{ name: 'app', image: 'example.com/app:v1', readinessProbe: { periodSeconds: 5 }, livenessProbe: { periodSeconds: 5 } }], annotations: { 'sleeveless.dev/app-start-ms': '0' } });
  c.cluster.sim.run({ untilMs: 20_000 });
  c.cluster.api.delete({ group: '', version: 'v1', resource: 'pods' }, 'web', { namespace: NS });
  c.cluster.sim.run({ untilMs: 40_000 });
  const whileDeleting = probed.filter((p) => p.endsWith('deleting'));
  t.ok(whileDeleting.length >= 3, 'readiness probes continue during the grace period');
  t.ok(whileDeleting.every((p) => p.startsWith('readiness')), 'no liveness probe after the deletion');
});
