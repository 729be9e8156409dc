// The activator's revision watcher probing pods over the real HttpNetwork. Ports of knative/serving
// pkg/activator/net/revision_backends_test.go: TestRevisionWatcher (pod-IP cases; probe hosts
// answer from a script, a transport error is a connection failure), TestProbePodIPs ("only ready
// pods healthy without probe optimization", "removes non-existent pods from healthy", "no changes
// without probes"), TestCheckDestsReadyToNotReady.
import t from 'tap';
import { HttpNetwork, type HttpResponse } from '../../../src/dataplane/http-network.js';
import { RevisionWatcher, type Dests } from '../../../src/knative/activator-component/revision-watcher.js';
import { TimerGroup } from '../../../src/knative/runtime/timer-group.js';
import { Simulation } from '../../../src/sim/simulation.js';

type Script = (HttpResponse | 'error')[];
const OK: HttpResponse = { status: 200, body: 'queue' };
const UNAVAILABLE: HttpResponse = { status: 503, body: '' };

interface Rig {
  sim: Simulation;
  watcher: RevisionWatcher;
  updates: { atMs: number; dests: string[] }[];
  probes: Map<string, number>;
}

function rig(scripts: Record<string, Script>, o: { optimisation?: boolean } = {}): Rig {
  const sim = new Simulation({ seed: 3 });
  const http = new HttpNetwork(sim, { hopLatency: { minMs: 0, maxMs: 0 } });
  const probes = new Map<string, number>();
  for (const [dest, script] of Object.entries(scripts)) {
    const [ip, port] = dest.split(':');
    http.listen(ip, Number(port), (ex) => {
      const n = probes.get(dest) ?? 0;
      probes.set(dest, n + 1);
      const answer = script[Math.min(n, script.length - 1)];
      t.equal(ex.request.headers['K-Network-Probe'], 'queue');
      t.equal(ex.request.headers['User-Agent'], 'Knative-Activator-Probe');
      ex.respond(answer === 'error' ? { status: 0, error: 'connection reset' } : answer);
    });
  }
  const updates: Rig['updates'] = [];
  const watcher = new RevisionWatcher({
    key: 'ns/rev', portName: 'http', http, selfIp: '130.0.0.2', timers: new TimerGroup(sim), choices: sim.choices('test/select'),
    enableProbeOptimisation: o.optimisation ?? true, probeTimeoutMs: 300, probeFrequencyMs: 200,
    onUpdate: (dests) => void updates.push({ atMs: sim.nowMs, dests: [...dests].sort() }),
  });
  return { sim, watcher, updates, probes };
}

const dests = (ready: string[], notReady: string[] = []): Dests => ({ ready: new Set(ready), notReady: new Set(notReady) });

t.test('TestRevisionWatcher (pod addressing)', async (t) => {
  const cases: { name: string; dests: Dests; scripts: Record<string, Script>; want: string[][] }[] = [
    { name: 'single healthy podIP', dests: dests(['128.0.0.1:1234']), scripts: { '128.0.0.1:1234': [OK] }, want: [['128.0.0.1:1234']] },
    { name: 'single not ready but healthy podIP', dests: dests([], ['128.0.0.1:1234']), scripts: { '128.0.0.1:1234': [OK] }, want: [['128.0.0.1:1234']] },
    { name: 'no pods', dests: dests([]), scripts: {}, want: [[]] },
    { name: 'single unavailable podIP', dests: dests(['128.0.0.1:1234']), scripts: { '128.0.0.1:1234': [UNAVAILABLE] }, want: [] },
    { name: 'single error podIP', dests: dests(['128.0.0.1:1234']), scripts: { '128.0.0.1:1234': ['error'] }, want: [] },
    { name: 'podIP slow ready', dests: dests(['128.0.0.1:1234']), scripts: { '128.0.0.1:1234': ['error', OK] }, want: [['128.0.0.1:1234']] },
    {
      name: 'multiple healthy podIP', dests: dests(['128.0.0.1:1234', '128.0.0.2:1234'], ['128.0.0.3:1234']),
      scripts: { '128.0.0.1:1234': [OK], '128.0.0.2:1234': [OK], '128.0.0.3:1234': [OK] }, want: [['128.0.0.1:1234', '128.0.0.2:1234', '128.0.0.3:1234']],
    },
    { name: 'one healthy one unhealthy podIP', dests: dests(['128.0.0.1:1234', '128.0.0.2:1234']), scripts: { '128.0.0.1:1234': ['error'], '128.0.0.2:1234': [OK] }, want: [['128.0.0.2:1234']] },
    {
      name: 'one healthy one unhealthy podIP then both healthy', dests: dests(['128.0.0.1:1234', '128.0.0.2:1234']),
      scripts: { '128.0.0.1:1234': ['error', OK], '128.0.0.2:1234': [OK] }, want: [['128.0.0.2:1234'], ['128.0.0.1:1234', '128.0.0.2:1234']],
    },
  ];
  for (const tc of cases) {
    const r = rig(tc.scripts);
    r.watcher.push(tc.dests);
    r.sim.run({ untilMs: 2000 });
    t.same(r.updates.map((u) => u.dests), tc.want, tc.name);
  }
});

t.test('probing runs on the 200 ms ticker only while some pod is not healthy, and every probe shares the 300 ms deadline', async (t) => {
  const r = rig({ '128.0.0.1:1234': ['error', 'error', 'error', OK] });
  r.sim.run({ untilMs: 50 });
  r.watcher.push(dests(['128.0.0.1:1234']));
  r.sim.run({ untilMs: 5000 });
  t.same(r.updates, [{ atMs: 600, dests: ['128.0.0.1:1234'] }], 'probes at 50 (the update), 200, 400, 600 (ticks from creation)');
  t.equal(r.probes.get('128.0.0.1:1234'), 4, 'no probing once healthy');
});

t.test('a probe that hangs past 300 ms fails', async (t) => {
  const sim = new Simulation({ seed: 3 });
  const http = new HttpNetwork(sim, { hopLatency: { minMs: 0, maxMs: 0 } });
  let probes = 0;
  http.listen('128.0.0.1', 1234, (ex) => {
    probes++;
    sim.schedule(500, () => ex.respond(OK));
  });
  const updates: string[][] = [];
  const watcher = new RevisionWatcher({
    key: 'ns/rev', portName: 'http', http, selfIp: '130.0.0.2', timers: new TimerGroup(sim), choices: sim.choices('s'),
    enableProbeOptimisation: true, probeTimeoutMs: 300, probeFrequencyMs: 200, onUpdate: (d) => void updates.push([...d]),
  });
  watcher.push(dests(['128.0.0.1:1234']));
  sim.run({ untilMs: 3000 });
  t.same(updates, [], 'never healthy');
  t.ok(probes >= 10, `it kept probing (${probes} probes)`);
  watcher.stop();
  const before = probes;
  sim.run({ untilMs: 6000 });
  t.equal(probes, before, 'stop ends the probing');
});

t.test('TestProbePodIPs: without probe optimisation only pods Kubernetes calls ready count', async (t) => {
  const r = rig({ '10.0.0.1:8012': [OK], '10.0.0.2:8012': [OK] }, { optimisation: false });
  r.watcher.push(dests(['10.0.0.1:8012'], ['10.0.0.2:8012']));
  r.sim.run({ untilMs: 1000 });
  t.same(r.updates.at(-1)?.dests, ['10.0.0.1:8012'], 'the notReady pod probed fine but does not count');
  t.ok((r.probes.get('10.0.0.2:8012') ?? 0) > 1, 'and keeps being probed');
  r.watcher.push(dests(['10.0.0.1:8012', '10.0.0.2:8012']));
  r.sim.run({ untilMs: 2000 });
  t.same(r.updates.at(-1)?.dests, ['10.0.0.1:8012', '10.0.0.2:8012'], 'once Kubernetes agrees it counts');
});

t.test('TestProbePodIPs: vanished pods leave the healthy set; an unchanged set sends nothing', async (t) => {
  const r = rig({ '10.0.0.1:8012': [OK], '10.0.0.2:8012': [OK] });
  r.watcher.push(dests(['10.0.0.1:8012', '10.0.0.2:8012']));
  r.sim.run({ untilMs: 500 });
  r.watcher.push(dests(['10.0.0.1:8012', '10.0.0.2:8012']));
  r.sim.run({ untilMs: 1000 });
  t.equal(r.updates.length, 1, 'no changes without probes: no update');
  r.watcher.push(dests(['10.0.0.2:8012']));
  r.sim.run({ untilMs: 1500 });
  t.same(r.updates.at(-1)?.dests, ['10.0.0.2:8012'], 'removes non-existent pods from healthy');
  t.equal(r.probes.get('10.0.0.2:8012'), 1, 'a known-healthy pod is not probed again');
  r.watcher.push(dests([]));
  r.sim.run({ untilMs: 2000 });
  t.same(r.updates.at(-1)?.dests, [], 'all gone: an empty update');
});

t.test('TestCheckDestsReadyToNotReady: a pod moving from ready to notReady is probed again', async (t) => {
  const r = rig({ '10.10.1.2:8012': [OK], '10.10.1.3:8012': [OK, 'error', 'error', OK] });
  r.watcher.push(dests(['10.10.1.2:8012', '10.10.1.3:8012']));
  r.sim.run({ untilMs: 100 });
  t.same(r.updates.at(-1)?.dests, ['10.10.1.2:8012', '10.10.1.3:8012']);
  r.watcher.push(dests(['10.10.1.2:8012'], ['10.10.1.3:8012']));
  r.sim.run({ untilMs: 150 });
  t.same(r.updates.at(-1)?.dests, ['10.10.1.2:8012'], 're-probed, failed: out (an update even though the probe set moved)');
  r.sim.run({ untilMs: 2000 });
  t.same(r.updates.at(-1)?.dests, ['10.10.1.2:8012', '10.10.1.3:8012'], 'back once its probe passes');
  t.equal(r.probes.get('10.10.1.2:8012'), 1, 'the other pod was never probed again');
});
