// knative/serving #5327 "SKS goes to Serve mode when autoscaler restarts", fixed by #5328
// (f9cb578b9c, first released in v0.9). A restarted autoscaler has no decider data: the decider
// starts at DesiredScale −1 (and, before #6227, EBC 0), so the KPA's `want` is −1 for a revision
// that sits at zero. The v0.8 mode rule (kpa.go: Serve unless want == 0 or EBC < 0) then puts the
// SKS of every scaled-to-zero revision into Serve mode; #5328 adds "want −1 on an Inactive PA →
// Proxy". Trigger here: a revision that scaled to zero, then the autoscaler's container crashes
// and the kubelet restarts it. Symptom (the issue's `kubectl get sks`): mode Serve, Ready Unknown
// NoHealthyBackends, on a revision with 0 replicas. The SKS reconciler still puts the activator
// behind a Serve-mode SKS that has no ready pods (serverlessservice.go, v0.8 and now), so a cold
// request is still buffered and served: the model shows no request failure, in 0.8 as upstream.
import t from 'tap';
import { ENDPOINTS } from '../../../src/kube/resources.js';
import { crashContainer } from '../../../src/kube/pod-faults.js';
import { SERVERLESSSERVICES } from '../../../src/knative/apis/resources.js';
import { KNATIVE_NAMESPACE } from '../../../src/knative/serving-system.js';
import { firstSample, servingWorld, type ServingWorld } from '../serving-harness.js';

const CRASH_AT_MS = 120_000;
const COLD_REQUEST_AT_MS = 145_000;
const SEEDS = [1, 2, 3, 4, 5];

interface Observed {
  world: ServingWorld;
  /** SKS mode, Ready reason and whether the public Endpoints hold an activator IP, 15 s after the crash. */
  afterRestart: { mode: string | undefined; readyReason: string | undefined; activatorBehind: boolean };
}

function run(release: string, seed: number): Observed {
  const world = servingWorld({
    seed,
    serving: { release },
    // No traffic until the cold request: the revision's first pod scales away after the stable window.
    phases: [{ name: 'cold', durationMs: 1, load: { kind: 'burst', size: 1, everyMs: 0 } }],
    workloadAtMs: COLD_REQUEST_AT_MS,
  });
  crashContainer({ cluster: world.cluster, runtime: world.kube.runtime },
    { namespace: KNATIVE_NAMESPACE, labels: { app: 'autoscaler' }, container: 'autoscaler' }, { atMs: CRASH_AT_MS });
  world.run(CRASH_AT_MS + 15_000);
  const sks = world.cluster.api.list(SERVERLESSSERVICES, { namespace: 'default' }).items[0];
  const publicEps = world.cluster.api.get(ENDPOINTS, sks.metadata.name!, { namespace: 'default' });
  const activatorIps = new Set(world.cluster.api.list(ENDPOINTS, { namespace: KNATIVE_NAMESPACE }).items
    .filter((e) => e.metadata.name === 'activator-service')
    .flatMap((e) => (e.subsets ?? []).flatMap((s: { addresses?: { ip: string }[] }) => (s.addresses ?? []).map((a) => a.ip))));
  const publicIps = (publicEps.subsets ?? []).flatMap((s: { addresses?: { ip: string }[] }) => (s.addresses ?? []).map((a) => a.ip));
  const afterRestart = {
    mode: sks.spec?.mode as string | undefined,
    readyReason: (sks.status?.conditions as { type: string; reason?: string }[] | undefined)?.find((c) => c.type === 'Ready')?.reason,
    activatorBehind: publicIps.length > 0 && publicIps.every((ip: string) => activatorIps.has(ip)),
  };
  world.run(COLD_REQUEST_AT_MS + 25_000);
  return { world, afterRestart };
}

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];

function atZeroBeforeCrash(t: TapTest, w: ServingWorld, seed: number): void {
  const before = firstSample(w.samples, CRASH_AT_MS - 1_000, () => true)!;
  t.same([before.replicas, before.pods, before.sksMode, before.paActive], [0, 0, 'Proxy', 'False'], `seed ${seed}: scaled to zero, SKS Proxy, PA Inactive before the crash`);
}

t.test('0.8: after an autoscaler restart the SKS of a revision at zero goes to Serve (NoHealthyBackends)', async (t) => {
  let reproduced = 0;
  for (const seed of SEEDS) {
    const { world: w, afterRestart } = run('0.8', seed);
    atZeroBeforeCrash(t, w, seed);
    const serveAtZero = w.samples.filter((s) => s.atMs > CRASH_AT_MS && s.atMs < COLD_REQUEST_AT_MS && s.sksMode === 'Serve' && s.replicas === 0);
    t.same([afterRestart.mode, afterRestart.readyReason], ['Serve', 'NoHealthyBackends'], `seed ${seed}: SKS Serve / NoHealthyBackends after the restart`);
    if (serveAtZero.length > 0) reproduced += 1;
    t.ok(afterRestart.activatorBehind, `seed ${seed}: the public Endpoints still hold only activators (Serve without ready pods falls back to them)`);
    t.same(w.outcomes.map((o) => [o.status, Boolean(o.activator)]), [[200, true]], `seed ${seed}: the cold request is buffered by the activator and served`);
  }
  t.equal(reproduced, SEEDS.length, `Serve at 0 replicas in ${reproduced}/${SEEDS.length} seeds`);
});

t.test('0.9: the same restart leaves the SKS in Proxy', async (t) => {
  for (const seed of SEEDS) {
    const { world: w, afterRestart } = run('0.9', seed);
    atZeroBeforeCrash(t, w, seed);
    t.equal(afterRestart.mode, 'Proxy', `seed ${seed}: Proxy after the restart`);
    t.notOk(w.samples.some((s) => s.atMs > CRASH_AT_MS && s.sksMode === 'Serve' && s.replicas === 0), `seed ${seed}: never Serve at 0 replicas`);
    t.same(w.outcomes.map((o) => o.status), [200], `seed ${seed}: the cold request is served`);
  }
});
