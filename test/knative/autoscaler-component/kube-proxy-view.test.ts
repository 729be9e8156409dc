// kube-proxy's view of a Service's Endpoints: a change reaches the rules at the next sync, at most
// one minSyncPeriod (1 s) after the watch delivered it, and changes take effect in order.
import t from 'tap';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { SimCluster } from '../../../src/client/sim-cluster.js';
import { ENDPOINTS } from '../../../src/kube/resources.js';
import { KUBE_PROXY_MIN_SYNC_PERIOD_MS, KubeProxyView } from '../../../src/knative/autoscaler-component/kube-proxy-view.js';

function endpoints(ip: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'rev', namespace: 'default' }, subsets: [{ addresses: [{ ip }], ports: [{ name: 'http', port: 8012 }] }] } as KubeObject;
}

function ipOf(eps: KubeObject | undefined): string | undefined {
  return eps?.subsets?.[0]?.addresses?.[0]?.ip as string | undefined;
}


/** A KubeProxyView inside a component of `cluster` (built when the component starts; read it after running). */
function viewIn(cluster: SimCluster): { get: KubeProxyView['get'] } {
  let view: KubeProxyView | undefined;
  cluster.addComponent({
    name: 'autoscaler-a',
    setup: (ctx) => {
      view = new KubeProxyView({ endpoints: ctx.informer(ENDPOINTS), choices: ctx.sim.choices('test/kube-proxy'), nowMs: () => ctx.sim.nowMs });
    },
  });
  return { get: (key) => view!.get(key) };
}

t.test('an Endpoints change is routed to within one kube-proxy sync period of its delivery, never before an earlier change', async (t) => {
  let lagged = 0;
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const cluster = new SimCluster({ seed });
    const view = viewIn(cluster);
    cluster.api.create(ENDPOINTS, endpoints('10.1.0.1'));
    cluster.sim.run({ untilMs: 5_000 });
    t.equal(ipOf(view.get('default/rev')), '10.1.0.1', `seed ${seed}: programmed after the sync period`);
    const eps = cluster.api.get(ENDPOINTS, 'rev', { namespace: 'default' })!;
    cluster.api.update(ENDPOINTS, { ...eps, subsets: endpoints('10.1.0.2').subsets });
    const changedAt = cluster.sim.nowMs;
    const seen: [number, string | undefined][] = [];
    for (let ms = changedAt; ms <= changedAt + KUBE_PROXY_MIN_SYNC_PERIOD_MS + 200; ms += 10) {
      cluster.sim.run({ untilMs: ms });
      seen.push([ms, ipOf(view.get('default/rev'))]);
    }
    const first = seen.findIndex(([, ip]) => ip === '10.1.0.2');
    t.ok(first >= 0, `seed ${seed}: the new address is routed to in the end`);
    t.ok(seen.slice(first).every(([, ip]) => ip === '10.1.0.2'), `seed ${seed}: once switched, it stays switched`);
    t.ok(seen.slice(0, first).every(([, ip]) => ip === '10.1.0.1'), `seed ${seed}: until then the old address is routed to`);
    t.ok(seen[first][0] - changedAt <= KUBE_PROXY_MIN_SYNC_PERIOD_MS + 100, `seed ${seed}: within the sync period (plus watch delivery)`);
    if (seen[first][0] - changedAt >= 100) lagged++;
  }
  t.ok(lagged >= 4, `most seeds route to the old address for 100 ms or more after the change (${lagged} of 8)`);
});

t.test('a deleted Endpoints object stops being routed to after the sync', async (t) => {
  const cluster = new SimCluster({ seed: 3 });
  const view = viewIn(cluster);
  cluster.api.create(ENDPOINTS, endpoints('10.1.0.1'));
  cluster.sim.run({ untilMs: 5_000 });
  cluster.api.delete(ENDPOINTS, 'rev', { namespace: 'default' });
  cluster.sim.run({ untilMs: 7_000 });
  t.equal(view.get('default/rev'), undefined);
});
