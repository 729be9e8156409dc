// The kubelet's pod lifecycle stages and the status it writes, against the real API server with
// exact timings (no jitter, 1 ms network): each stage starts when the previous one ends and takes
// its KubeletTimings delay; the status at each step has upstream's shape (kubelet_pods.go
// generateAPIPodStatus, status/generate.go).
import t from 'tap';
import { DEFAULT_KUBELET_TIMINGS } from '../../src/kube/kubelet-timings.js';
import { PODS } from '../../src/kube/resources.js';
import { defaultNodes } from '../../src/kube/install-nodes.js';
import { formatSimTime } from '../../src/sim/time-format.js';
import { containerStatus, createPod, firstAt, firstCommit, getPod, lines, nodesCluster, podLog, NS } from './node-fixtures.js';

const T = DEFAULT_KUBELET_TIMINGS;
const stagesOf = (c: Parameters<typeof lines>[0], pod: string, container?: string): [string, number][] =>
  lines(c, 'kubelet-stage', { pod: `${NS}/${pod}` }).filter((l) => container === undefined || l.fields.c === container).map((l) => [String(l.fields.stage), l.atMs]);

t.test('a pod goes sandbox → image pull → create → start, each after its KubeletTimings delay, and ends Running with upstream status', async (t) => {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  const log = podLog(c);
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'web', { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] });
  c.cluster.sim.run({ untilMs: 10_000 });

  const bindAt = firstAt(c, 'bind', { pod: `${NS}/web` })!;
  const stages = stagesOf(c, 'web');
  t.same(stages.map(([s]) => s), ['sandbox-create', 'image-pull', 'container-create', 'container-start']);
  const [sandboxAt, pulledAt, createdAt, startedAt] = stages.map(([, at]) => at);
  t.equal(sandboxAt - bindAt, T.sandbox.ms, 'the kubelet sees the binding when the scheduler does (1 ms watch) and creates the sandbox');
  t.equal(pulledAt - sandboxAt, T.imagePull.ms, 'first pull of the image on this node');
  t.equal(createdAt - pulledAt, T.containerCreate.ms);
  t.equal(startedAt - createdAt, T.containerStart.ms);

  const first = firstCommit(log, 'web', (p) => p.status?.containerStatuses !== undefined)!;
  t.ok(first.atMs - bindAt <= 5, 'the kubelet writes a Pending status as soon as it admits the pod');
  const puts = lines(c, 'api', { c: 'kubelet/node-1', res: 'pods', sub: 'status' }).map((l) => l.fields.code);
  t.same(puts.slice(0, 2), [409, 200], "its first PUT races the scheduler's PodScheduled patch: 409, re-read, written");
  t.equal(first.pod.status.phase, 'Pending');
  t.same(containerStatus(first.pod, 'app')?.state, { waiting: { reason: 'ContainerCreating' } });
  t.equal(containerStatus(first.pod, 'app')?.ready, false);
  const conds = Object.fromEntries((first.pod.status.conditions as any[]).map((x) => [x.type, x]));
  t.equal(conds.PodReadyToStartContainers.status, 'False', 'no sandbox yet');
  t.match(conds.Ready, { status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });

  const pod = getPod(c, 'web')!;
  const s = pod.status;
  t.equal(s.phase, 'Running');
  t.same((s.conditions as any[]).map((x) => [x.type, x.status]), [
    ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True'],
  ], 'conditions in upstream order');
  t.ok((s.conditions as any[]).every((x) => x.lastProbeTime === null && typeof x.lastTransitionTime === 'string'));
  t.equal(conditionOf(pod, 'Ready').lastTransitionTime, formatSimTime(startedAt), 'Ready (no readiness probe) when the container started');
  t.equal(conditionOf(pod, 'PodScheduled').lastTransitionTime, formatSimTime(bindAt - 1), 'PodScheduled from the binding');
  t.equal(s.qosClass, 'Burstable', 'qosClass, set by the API server, is kept');
  t.equal(s.startTime, formatSimTime(bindAt));
  t.equal(s.hostIP, '172.18.0.3');
  t.same(s.hostIPs, [{ ip: '172.18.0.3' }]);
  t.match(s.podIP, /^10\.244\.1\.\d+$/, 'pod IP from the node pod CIDR');
  t.same(s.podIPs, [{ ip: s.podIP }]);
  const cs = containerStatus(pod, 'app')!;
  t.same(Object.keys(cs).sort(), ['containerID', 'image', 'imageID', 'lastState', 'name', 'ready', 'restartCount', 'started', 'state']);
  t.match(cs, { name: 'app', ready: true, started: true, restartCount: 0, image: 'docker.io/library/nginx:1.27', lastState: {} });
  t.same(cs.state, { running: { startedAt: formatSimTime(startedAt) } });
  t.match(cs.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  t.match(cs.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  const node = c.cluster.api.get({ group: '', version: 'v1', resource: 'nodes' }, 'node-1');
  t.equal(node.spec.podCIDR, '10.244.1.0/24');
});

function conditionOf(pod: any, type: string): any {
  return (pod.status.conditions as any[]).find((x) => x.type === type);
}

t.test('containers of one pod start one after another in spec order; a second pod on the node finds the images cached', async (t) => {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  c.cluster.sim.run({ untilMs: 1_000 });
  const containers = [{ name: 'user-container', image: 'example.com/user:v1' }, { name: 'queue-proxy', image: 'example.com/queue:v1' }];
  createPod(c, 'first', { containers });
  c.cluster.sim.run({ untilMs: 20_000 });
  const user = Object.fromEntries(stagesOf(c, 'first', 'user-container'));
  const queue = Object.fromEntries(stagesOf(c, 'first', 'queue-proxy'));
  t.equal(queue['image-pull'] - user['container-start'], T.imagePull.ms, 'the second container is pulled only after the first one started');
  t.equal(getPod(c, 'first')?.status.phase, 'Running');

  createPod(c, 'second', { containers });
  c.cluster.sim.run({ untilMs: 40_000 });
  const stages = stagesOf(c, 'second');
  const sandboxAt = stages[0][1];
  const startedAt = Object.fromEntries(stagesOf(c, 'second', 'queue-proxy'))['container-start'];
  const perContainer = T.cachedImagePull.ms + T.containerCreate.ms + T.containerStart.ms;
  t.equal(startedAt - sandboxAt, 2 * perContainer, 'no pull delay: both images are in the node cache');
  const pulled = lines(c, 'event', { name: 'second', reason: 'Pulled' });
  t.equal(pulled.length, 2);
  t.equal(lines(c, 'event', { name: 'second', reason: 'Pulling' }).length, 0, 'no Pulling event for a cached image');
});

t.test('per-pod annotations override stage delays (sleeveless.dev/<stage>-ms, kwok style)', async (t) => {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'slow', { annotations: { 'sleeveless.dev/image-pull-ms': '7000', 'sleeveless.dev/container-start-ms': '10', 'sleeveless.dev/sandbox-ms': '0' } });
  c.cluster.sim.run({ untilMs: 20_000 });
  const [[, sandboxAt], [, pulledAt], [, createdAt], [, startedAt]] = stagesOf(c, 'slow');
  t.equal(sandboxAt - firstAt(c, 'bind', { pod: `${NS}/slow` })!, 0);
  t.equal(pulledAt - sandboxAt, 7_000);
  t.equal(createdAt - pulledAt, T.containerCreate.ms, 'not overridden');
  t.equal(startedAt - createdAt, 10);
});

t.test('restartPolicy Never: exit 0 ends the pod Succeeded, exit 1 Failed; the sandbox and its IP are released', async (t) => {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  c.runtime.register({ name: 'batch', matches: (p) => p.metadata.labels?.batch === 'yes', exitAfterMs: () => 2_000, exitCode: (p) => Number(p.metadata.labels?.code) });
  c.cluster.sim.run({ untilMs: 1_000 });
  const job = (name: string, code: number): void => void createPod(c, name, { labels: { batch: 'yes', code: String(code) }, spec: { restartPolicy: 'Never' } });
  job('ok', 0);
  job('bad', 1);
  c.cluster.sim.run({ untilMs: 15_000 });
  const ok = getPod(c, 'ok')!;
  const bad = getPod(c, 'bad')!;
  t.equal(ok.status.phase, 'Succeeded');
  t.equal(bad.status.phase, 'Failed');
  t.match(containerStatus(ok, 'app')?.state.terminated, { exitCode: 0, reason: 'Completed' });
  t.match(containerStatus(bad, 'app')?.state.terminated, { exitCode: 1, reason: 'Error' });
  t.equal(containerStatus(bad, 'app')?.restartCount, 0, 'not restarted');
  t.match(conditionOf(ok, 'Ready'), { status: 'False', reason: 'PodCompleted' });
  t.same(c.runtime.machine('node-1')!.ips.allocated(), [], 'both IPs released');
  t.ok(ok.status.podIP, 'the status still reports the IP the pod had');
  t.equal(lines(c, 'kubelet-delete').length, 0, 'finished pods are not deleted by the kubelet');
});

t.test('a force-deleted pod (gracePeriodSeconds 0) is torn down at once: containers killed, IP released', async (t) => {
  const c = nodesCluster({ exact: true, nodes: defaultNodes(1) });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'web');
  c.cluster.sim.run({ untilMs: 10_000 });
  t.equal(c.runtime.machine('node-1')!.ips.allocated().length, 1);
  c.cluster.api.delete(PODS, 'web', { namespace: NS, gracePeriodSeconds: 0 });
  t.equal(getPod(c, 'web'), undefined, 'gone from the API at once');
  c.cluster.sim.run({ untilMs: 10_010 });
  t.same(c.runtime.machine('node-1')!.ips.allocated(), [], 'the kubelet saw the deletion and removed the sandbox');
  t.match(lines(c, 'container', { pod: `${NS}/web`, event: 'exited' })[0]?.fields, { code: 137, signal: 'SIGKILL' });
});
