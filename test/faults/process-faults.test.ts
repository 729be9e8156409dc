// crash, restart and kill-leader on Knative's and Kubernetes' components, in a whole simulated
// Knative: what the kubelet, the Deployments and the leader elections make of them.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { KNATIVE_NAMESPACE } from '../../src/knative/serving-system.js';
import { LEASES, PODS } from '../../src/kube/resources.js';
import { servingWorld, type ServingWorld } from '../knative/serving-harness.js';
import { faultSpec, inject, recordWrites } from './fault-harness.js';

function systemPods(w: ServingWorld, app: string): KubeObject[] {
  return w.cluster.api.list(PODS, { namespace: KNATIVE_NAMESPACE, labelSelector: `app=${app}` }).items;
}

function restarts(pod: KubeObject, container: string): number {
  return pod.status?.containerStatuses?.find((c: { name: string }) => c.name === container)?.restartCount ?? 0;
}

function leaseHolders(w: ServingWorld, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of w.cluster.api.list(LEASES, { namespace: KNATIVE_NAMESPACE }).items) {
    if (l.metadata.name!.startsWith(prefix)) out.set(l.metadata.name!, l.spec?.holderIdentity ?? '');
  }
  return out;
}

t.test('crash autoscaler: its container restarts in the same pod as a new incarnation, which renews its own bucket lease', async (t) => {
  const w = servingWorld({ seed: 1, phases: [] });
  const injected = inject(w, faultSpec({ family: 'crash', component: 'autoscaler' }), 30_000);
  w.run(29_000);
  const [pod] = systemPods(w, 'autoscaler');
  const process = w.cluster.component(`autoscaler/${pod.metadata.name}`);
  const before = { incarnation: process.incarnation, holders: leaseHolders(w, 'autoscaler-bucket') };
  t.equal(before.incarnation, 1);
  t.equal(before.holders.size, 1, 'one bucket lease');
  w.run(60_000);
  t.match(injected.fired?.detail, new RegExp(`^crashed autoscaler pod ${pod.metadata.name} on node-\\d \\(incarnation 1\\); the kubelet restarts its container$`));
  const [after] = systemPods(w, 'autoscaler');
  t.equal(after.metadata.uid, pod.metadata.uid, 'the same pod');
  t.equal(restarts(after, 'autoscaler'), 1, 'restartCount 1');
  t.equal(process.incarnation, 2, 'a new incarnation of its process');
  t.equal(process.state, 'running');
  t.same(leaseHolders(w, 'autoscaler-bucket'), before.holders, 'the lease stays with POD_NAME_POD_IP, renewed by the new incarnation');
});

t.test('crash autoscaler for 40 s: every start crashes until the heal (CrashLoopBackOff), then it stays up', async (t) => {
  const w = servingWorld({ seed: 2, phases: [] });
  const injected = inject(w, faultSpec({ family: 'crash', component: 'autoscaler' }, { durationMs: 40_000 }), 30_000);
  const states: { atMs: number; running: boolean }[] = [];
  const sample = (): void => {
    const [pod] = systemPods(w, 'autoscaler');
    states.push({ atMs: w.cluster.sim.nowMs, running: w.cluster.component(`autoscaler/${pod.metadata.name}`).state === 'running' });
    w.cluster.sim.schedule(250, sample);
  };
  w.cluster.sim.at(30_001, sample);
  w.run(150_000);
  t.match(injected.fired?.detail, /it crashes again at every start until healed/);
  t.notOk(states.some((s) => s.atMs < 70_000 && s.running), 'never up during the 40 s');
  const [pod] = systemPods(w, 'autoscaler');
  t.ok(restarts(pod, 'autoscaler') >= 3, `restartCount ${restarts(pod, 'autoscaler')}: crashed again at each back-off restart`);
  const upAt = states.find((s) => s.atMs >= 70_000 && s.running)?.atMs;
  t.ok(upAt !== undefined && upAt <= 70_000 + 80_000, `up again at ${upAt} ms, at the kubelet's next back-off restart after the heal`);
  t.ok(states.filter((s) => s.atMs >= upAt!).every((s) => s.running), 'and stays up');
});

t.test('crash kube-controller-manager for 20 s: it writes nothing while down and resumes after the heal', async (t) => {
  const w = servingWorld({ seed: 3, phases: [] });
  const writes = recordWrites(w);
  const injected = inject(w, faultSpec({ family: 'crash', component: 'kube-controller-manager' }, { durationMs: 20_000 }), 10_000);
  w.run(60_000);
  t.equal(injected.fired?.detail, 'crashed kube-controller-manager (incarnation 1); it stays down until healed');
  t.equal(injected.healed?.detail, 'restarted kube-controller-manager (incarnation 2)');
  const kcm = writes.filter((x) => x.component === 'kube-controller-manager');
  t.notOk(kcm.some((x) => x.atMs > 10_010 && x.atMs < 30_000), 'no write while it is down');
  t.ok(kcm.some((x) => x.atMs >= 30_000 && x.resource === 'pods'), 'the ReplicaSet controller creates the Knative Service\'s pod after the heal (it was created at 15 s)');
});

t.test('crash kubelet: systemd restarts it 10 s later', async (t) => {
  const w = servingWorld({ seed: 4, phases: [] });
  inject(w, faultSpec({ family: 'crash', component: 'kubelet/node-2' }), 20_000);
  w.run(25_000);
  t.equal(w.cluster.component('kubelet/node-2').state, 'crashed');
  w.run(31_000);
  t.equal(w.cluster.component('kubelet/node-2').state, 'running');
  t.equal(w.cluster.component('kubelet/node-2').incarnation, 2);
});

t.test('restart controller: the user deletes its pods gracefully and the Deployment replaces them', async (t) => {
  const w = servingWorld({ seed: 5, serving: { replicas: { controller: 2 } }, phases: [] });
  const writes = recordWrites(w);
  const injected = inject(w, faultSpec({ family: 'restart', component: 'controller' }), 30_000);
  w.run(29_000);
  const old = systemPods(w, 'controller').map((p) => p.metadata.name!).sort();
  t.equal(old.length, 2);
  w.run(120_000);
  t.equal(injected.fired?.detail, `user deletes controller pods ${old.join(', ')} (graceful; the Deployment replaces them)`);
  t.same(writes.filter((x) => x.component === 'user').map((x) => `${x.verb} ${x.name} ${x.code}`), old.map((n) => `delete ${n} 200`), 'two deletes by the user');
  const now = systemPods(w, 'controller');
  t.equal(now.length, 2, 'two controller pods again');
  t.notOk(now.some((p) => old.includes(p.metadata.name!)), 'both new');
  t.ok(now.every((p) => w.cluster.component(`controller/${p.metadata.name}`).state === 'running'), 'their processes run');
});

t.test('kill-leader controller: the pod holding its leases crashes, and the leases move to a new holder', async (t) => {
  const w = servingWorld({ seed: 6, serving: { replicas: { controller: 2 } }, phases: [] });
  const injected = inject(w, faultSpec({ family: 'kill-leader', component: 'controller' }), 100_000);
  w.run(99_000);
  const before = leaseHolders(w, 'controller.');
  t.ok(before.size >= 7, `${before.size} controller leases`);
  const leaderPods = new Set([...before.values()].map((id) => id.split('_')[0]));
  w.run(100_000);
  t.match(injected.fired?.detail, /^leader holding \d+ of the \d+ lease\(s\) controller pods hold: crashed controller pod /);
  const victim = /crashed controller pod (\S+)/.exec(injected.fired!.detail)![1];
  t.ok(leaderPods.has(victim), `the victim ${victim} held leases`);
  w.run(200_000);
  const after = leaseHolders(w, 'controller.');
  const moved = [...before].filter(([name, id]) => id.startsWith(`${victim}_`) && after.get(name) !== id);
  const held = [...before].filter(([, id]) => id.startsWith(`${victim}_`));
  t.equal(moved.length, held.length, `all ${held.length} leases the victim held have a new holder: ${[...new Set(moved.map(([n]) => after.get(n)))].join(', ')}`);
});
