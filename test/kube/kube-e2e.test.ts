// End-to-end runs of the whole Kubernetes model (controller manager, scheduler, kubelets) on the
// in-memory API server: rollouts, Endpoints, node loss, crash loops, determinism.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { SimCluster } from '../../src/client/sim-cluster.js';
import { installKube, type Kube } from '../../src/kube/install-kube.js';
import { defaultNodes } from '../../src/kube/install-nodes.js';
import { crashLoop, flapReadiness, loseNode } from '../../src/kube/pod-faults.js';
import { isPodReady } from '../../src/kube/pod-status.js';
import { DEPLOYMENTS, ENDPOINTS, PODS, SERVICES } from '../../src/kube/resources.js';

const NS = 'default';

interface World {
  cluster: SimCluster;
  kube: Kube;
  /** Every pod and Endpoints commit, in order. */
  commits: { atMs: number; type: string; kind: string; obj: KubeObject }[];
}

function world(seed: number | string, nodes = 3): World {
  const cluster = new SimCluster({ seed });
  const kube = installKube(cluster, { nodes: defaultNodes(nodes) });
  const commits: World['commits'] = [];
  cluster.api.onCommit((ev) => {
    if (ev.resource.plural === 'pods' || ev.resource.plural === 'endpoints') commits.push({ atMs: cluster.sim.nowMs, type: ev.type, kind: ev.resource.kind, obj: ev.object });
  });
  return { cluster, kube, commits };
}

function web(replicas: number, image: string, strategy?: unknown): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS },
    spec: {
      replicas, selector: { matchLabels: { app: 'web' } }, ...(strategy ? { strategy } : {}),
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { port: 8080 }, periodSeconds: 2 } }] } },
    },
  };
}

const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } };

/**
 * Replays pod commits: at each commit, how many pods are ready and how many are active (neither
 * terminal nor being deleted — a terminating pod does not count against maxSurge upstream).
 */
function podCounts(commits: World['commits']): { atMs: number; ready: number; total: number }[] {
  const pods = new Map<string, KubeObject>();
  const out: { atMs: number; ready: number; total: number }[] = [];
  for (const c of commits) {
    if (c.kind !== 'Pod') continue;
    if (c.type === 'DELETED') pods.delete(c.obj.metadata.name!);
    else pods.set(c.obj.metadata.name!, c.obj);
    const active = [...pods.values()].filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase) && !p.metadata.deletionTimestamp);
    out.push({ atMs: c.atMs, ready: active.filter((p) => isPodReady(p)).length, total: active.length });
  }
  return out;
}

t.test('a Deployment of 3 rolls to a new template with real kubelets, never below replicas − maxUnavailable ready pods nor above replicas + maxSurge pods', async (t) => {
  for (const [seed, strategy, maxUnavailable, maxSurge] of [
    [1, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, 0, 1],
    [2, undefined, 0, 1], // defaults 25%/25%: surge rounds up to 1, unavailable down to 0
    [3, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }, 1, 0],
  ] as const) {
    const w = world(seed);
    w.cluster.sim.schedule(1_000, () => void w.cluster.api.create(DEPLOYMENTS, web(3, 'app:v1', strategy)));
    w.cluster.sim.run({ untilMs: 60_000 });
    const rolloutAt = w.cluster.sim.nowMs;
    w.cluster.api.patch(DEPLOYMENTS, 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:v2' }] } } } }, { namespace: NS, patchType: 'strategic' });
    w.cluster.sim.run({ untilMs: 240_000 });
    const d = w.cluster.api.get(DEPLOYMENTS, 'web', { namespace: NS });
    t.match(d.status, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 }, `seed ${seed}: rolled out`);
    const pods = w.cluster.api.list(PODS, { namespace: NS }).items;
    t.same(pods.map((p) => p.spec.containers[0].image), ['app:v2', 'app:v2', 'app:v2']);
    const during = podCounts(w.commits).filter((c) => c.atMs >= rolloutAt);
    const minReady = Math.min(...during.map((c) => c.ready));
    const maxTotal = Math.max(...during.map((c) => c.total));
    t.ok(minReady >= 3 - maxUnavailable, `seed ${seed}: at least ${3 - maxUnavailable} ready throughout (min ${minReady})`);
    t.ok(maxTotal <= 3 + maxSurge, `seed ${seed}: at most ${3 + maxSurge} active pods (max ${maxTotal})`);
    t.equal(maxTotal, 3 + maxSurge, `seed ${seed}: the surge budget is used exactly`);
    t.equal(minReady, 3 - maxUnavailable, `seed ${seed}: the unavailability budget is used exactly`);
  }
});

t.test('Endpoints list only ready pods while readiness flaps: every address is a pod ready at that commit (or within the 10 ms watch propagation)', async (t) => {
  const w = world(7);
  w.cluster.sim.schedule(1_000, () => {
    w.cluster.api.create(DEPLOYMENTS, web(3, 'app:v1'));
    w.cluster.api.create(SERVICES, service);
  });
  flapReadiness({ cluster: w.cluster, runtime: w.kube.runtime }, { labels: { app: 'web' } }, { atMs: 40_000, durationMs: 60_000, mode: 'alternate', periodMs: 7_000 });
  w.cluster.sim.run({ untilMs: 150_000 });
  const readySince = new Map<string, number | null>();
  let addressesChecked = 0;
  let notReadySeen = 0;
  const problems: string[] = [];
  for (const c of w.commits) {
    if (c.kind === 'Pod') {
      const ip = c.obj.status?.podIP;
      if (!ip) continue;
      const ready = c.type !== 'DELETED' && isPodReady(c.obj) && !c.obj.metadata.deletionTimestamp;
      if (!ready) notReadySeen++;
      const was = readySince.get(ip);
      readySince.set(ip, ready ? (was ?? c.atMs) : null);
      if (!ready) readySince.set(`${ip}/lost`, c.atMs);
      continue;
    }
    if (c.type === 'DELETED') continue;
    for (const subset of c.obj.subsets ?? []) {
      for (const a of subset.addresses ?? []) {
        addressesChecked++;
        if (readySince.get(a.ip) != null) continue;
        const lostAt = readySince.get(`${a.ip}/lost`) ?? -Infinity;
        if (c.atMs - (lostAt as number) > 10) problems.push(`${c.atMs}: ${a.ip} listed, not ready since ${lostAt}`);
      }
    }
  }
  t.ok(notReadySeen > 5, `readiness really flapped (${notReadySeen} not-ready pod versions)`);
  t.ok(addressesChecked > 20, `${addressesChecked} addresses checked`);
  t.same(problems, []);
  const ep = w.cluster.api.get(ENDPOINTS, 'web', { namespace: NS });
  t.equal(ep.subsets?.[0]?.addresses?.length, 3, 'all three back in addresses after the flapping ends');
});

t.test('node loss: the node goes NotReady, its pods are evicted after the 300 s toleration and the ReplicaSet replaces them on the other nodes', async (t) => {
  const w = world(11, 3);
  w.cluster.sim.schedule(1_000, () => void w.cluster.api.create(DEPLOYMENTS, web(6, 'app:v1')));
  w.cluster.sim.run({ untilMs: 60_000 });
  const before = w.cluster.api.list(PODS, { namespace: NS }).items;
  const victim = before[0].spec.nodeName as string;
  const onVictim = before.filter((p) => p.spec.nodeName === victim).map((p) => p.metadata.name);
  t.ok(onVictim.length > 0, `${onVictim.length} pods on ${victim}`);
  loseNode({ cluster: w.cluster, runtime: w.kube.runtime }, { node: victim });
  w.cluster.sim.run({ untilMs: 60_000 + 45_000 });
  t.equal(w.cluster.api.list(PODS, { namespace: NS }).items.filter((p) => onVictim.includes(p.metadata.name)).length, onVictim.length, 'still there well inside the grace and toleration periods');
  w.cluster.sim.run({ untilMs: 60_000 + 50_000 + 300_000 + 60_000 });
  const node = w.cluster.api.get({ group: '', version: 'v1', resource: 'nodes' }, victim);
  t.equal(node.status.conditions.find((c: any) => c.type === 'Ready')?.status, 'Unknown');
  t.ok(node.spec.taints?.some((x: any) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoExecute'));
  const after = w.cluster.api.list(PODS, { namespace: NS }).items.filter((p) => !p.metadata.deletionTimestamp);
  t.equal(after.filter((p) => p.spec.nodeName !== victim && isPodReady(p)).length, 6, 'six ready pods on the surviving nodes');
  const evictedAt = w.commits.filter((c) => c.kind === 'Pod' && onVictim.includes(c.obj.metadata.name!) && c.obj.metadata.deletionTimestamp).map((c) => c.atMs);
  t.ok(evictedAt.length > 0 && Math.min(...evictedAt) >= 60_000 + 50_000 + 300_000 - 5_000, `evicted at ${Math.min(...evictedAt)}`);
});

t.test('a crash-looping container backs off 10, 20, 40, 80 s between restarts, as the kubelet does', async (t) => {
  const w = world(5, 1);
  w.cluster.sim.schedule(1_000, () => void w.cluster.api.create(DEPLOYMENTS, web(1, 'app:v1')));
  w.cluster.sim.run({ untilMs: 30_000 });
  crashLoop({ cluster: w.cluster, runtime: w.kube.runtime }, { labels: { app: 'web' } }, { atMs: 30_000, durationMs: 400_000, crashAfterMs: 1_000 });
  w.cluster.sim.run({ untilMs: 400_000 });
  const starts: number[] = [];
  let last = -1;
  for (const c of w.commits) {
    if (c.kind !== 'Pod' || c.type === 'DELETED') continue;
    const cs = c.obj.status?.containerStatuses?.[0];
    if (cs?.state?.running && cs.restartCount !== last) {
      starts.push(c.atMs);
      last = cs.restartCount;
    }
  }
  const gaps = starts.slice(2).map((s, i) => Math.round((s - starts[i + 1]) / 1000));
  t.ok(starts.length >= 6, `${starts.length} starts`);
  // Each gap is the back-off plus the 1 s the container lives plus detection (PLEG relist ≤ 1 s) and start latency.
  const backoffs = [10, 20, 40, 80];
  backoffs.forEach((b, i) => t.ok(gaps[i] >= b && gaps[i] <= b + 4, `restart ${i + 2}: ${gaps[i]} s after the previous (back-off ${b} s)`));
  const pod = w.cluster.api.list(PODS, { namespace: NS }).items[0];
  t.ok(pod.status.containerStatuses[0].restartCount >= 5);
});

t.test('with every model running, the same seed gives the same trace hash and another seed a different one', async (t) => {
  const run = (seed: number): string => {
    const w = world(seed);
    w.cluster.sim.schedule(1_000, () => {
      w.cluster.api.create(DEPLOYMENTS, web(3, 'app:v1'));
      w.cluster.api.create(SERVICES, service);
    });
    w.cluster.sim.schedule(40_000, () => void w.cluster.api.patch(DEPLOYMENTS, 'web', { spec: { replicas: 5 } }, { namespace: NS, patchType: 'merge' }));
    w.cluster.sim.run({ untilMs: 90_000 });
    return w.cluster.sim.traceHash();
  };
  const a = run(1);
  t.equal(run(1), a);
  t.not(run(2), a);
});
