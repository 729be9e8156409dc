// knative/serving#14200 and #13531 at the level of the activator's revision watcher (probePodIPs),
// after the cases #14303 and #14347 added to pkg/activator/net/revision_backends_test.go
// TestProbePodIPs ("one pod fails probe", "non-probe removals count as changes"): the release's
// probing behaviour against pods on the real HttpNetwork.
import t from 'tap';
import { HttpNetwork } from '../../../src/dataplane/http-network.js';
import { RevisionWatcher, type WatcherFixes } from '../../../src/knative/activator-component/revision-watcher.js';
import { TimerGroup } from '../../../src/knative/runtime/timer-group.js';
import { KnativeProfile } from '../../../src/knative/versions.js';
import { Simulation } from '../../../src/sim/simulation.js';

/** Each pod answers its probes after `delayMs` with OK or a transport error. */
function rig(pods: Record<string, { ok: boolean; delayMs: number }>, fixes: WatcherFixes) {
  const sim = new Simulation({ seed: 1 });
  const http = new HttpNetwork(sim, { hopLatency: { minMs: 0, maxMs: 0 } });
  for (const [dest, answer] of Object.entries(pods)) {
    const [ip, port] = dest.split(':');
    http.listen(ip, Number(port), (ex) => {
      sim.schedule(answer.delayMs, () => ex.respond(answer.ok ? { status: 200, body: 'queue' } : { status: 0, error: 'connection reset' }), 'test-answer');
    });
  }
  const updates: string[][] = [];
  const watcher = new RevisionWatcher({
    key: 'ns/rev', portName: 'http', http, selfIp: '130.0.0.2', timers: new TimerGroup(sim), choices: sim.choices('test/select'),
    enableProbeOptimisation: true, probeTimeoutMs: 300, probeFrequencyMs: 200, fixes,
    onUpdate: (dests) => void updates.push([...dests].sort()),
  });
  return { sim, watcher, updates };
}

function fixesOf(release: string): WatcherFixes {
  const p = new KnativeProfile(release);
  return { independentProbes: !p.has('pr-9540') || p.has('pr-14303'), noopBySetEquality: p.has('pr-14347') };
}

t.test('#14200: a pod whose probe fails first cancels the slower probes of healthy pods from 0.18 to 1.11, not before or after', async (t) => {
  const pods = {
    '10.10.1.1:8012': { ok: false, delayMs: 10 },
    '10.10.1.2:8012': { ok: true, delayMs: 250 },
    '10.10.1.3:8012': { ok: true, delayMs: 0 },
  };
  for (const [release, want] of [['0.17', ['10.10.1.2:8012', '10.10.1.3:8012']], ['0.18', ['10.10.1.3:8012']], ['1.11', ['10.10.1.3:8012']], ['1.12', ['10.10.1.2:8012', '10.10.1.3:8012']]] as const) {
    const r = rig(pods, fixesOf(release));
    r.watcher.push({ ready: new Set(), notReady: new Set(Object.keys(pods)) });
    r.sim.run({ untilMs: 390 });
    t.same(r.updates, [want], `${release}: the first round's healthy set (sent when its last probe ended)`);
  }
});

t.test('#13531: pods gone from the Endpoints stay healthy while another pod fails its probes until 1.11; from 1.12 they are dropped', async (t) => {
  const pods = {
    '10.10.1.1:8012': { ok: true, delayMs: 0 },
    '10.10.1.2:8012': { ok: true, delayMs: 0 },
    '10.10.1.3:8012': { ok: false, delayMs: 0 },
  };
  for (const [release, want] of [['1.11', [['10.10.1.1:8012', '10.10.1.2:8012']]], ['1.12', [['10.10.1.1:8012', '10.10.1.2:8012'], ['10.10.1.1:8012']]]] as const) {
    const r = rig(pods, fixesOf(release));
    r.watcher.push({ ready: new Set(['10.10.1.1:8012', '10.10.1.2:8012']), notReady: new Set() });
    r.sim.run({ untilMs: 100 });
    // .2 terminates (gone from the Endpoints) while .3 starts and fails its probes.
    r.watcher.push({ ready: new Set(['10.10.1.1:8012']), notReady: new Set(['10.10.1.3:8012']) });
    r.sim.run({ untilMs: 2000 });
    t.same(r.updates, want, `${release}: updates sent`);
    t.same([...r.watcher.healthy].sort(), want[want.length - 1], `${release}: the watcher's healthy set`);
  }
});
