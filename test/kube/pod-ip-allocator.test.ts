// Pod IPs: host-local-style round-robin allocation per node subnet — unique, deterministic, and
// reused only after release (and only once the range wraps around); across a cluster each node hands
// out its own /24.
import t from 'tap';
import { PodIpAllocator } from '../../src/kube/pod-ip-allocator.js';
import { defaultNodes } from '../../src/kube/install-nodes.js';
import { PODS } from '../../src/kube/resources.js';
import { createPod, nodesCluster, NS } from './node-fixtures.js';

t.test('allocation walks the range from .2, skips addresses in use and wraps around', async (t) => {
  const a = new PodIpAllocator({ subnetIndex: 3 });
  t.equal(a.cidr, '10.244.3.0/24');
  t.same([a.allocate('p1'), a.allocate('p2'), a.allocate('p3')], ['10.244.3.2', '10.244.3.3', '10.244.3.4']);
  a.release('10.244.3.3');
  t.equal(a.allocate('p4'), '10.244.3.5', 'a released address is not handed out again at once');
  for (let i = 0; i < 250; i++) a.allocate(`q${i}`);
  t.equal(a.allocated().length, 253, 'the range .2–.254 is full');
  t.throws(() => a.allocate('one-too-many'), /no IP addresses available/);
  a.release('10.244.3.3');
  t.equal(a.allocate('again'), '10.244.3.3', 'after wrapping, the only free address is reused');
  t.equal(a.ownerOf('10.244.3.3'), 'again');
  t.throws(() => new PodIpAllocator({ subnetIndex: 256 }), RangeError);
});

t.test('pod IPs in a cluster are unique, from each node\'s subnet, and the same for the same seed', async (t) => {
  const run = (seed: number): Map<string, string> => {
    const c = nodesCluster({ seed, nodes: defaultNodes(3) });
    c.cluster.sim.run({ untilMs: 1_000 });
    for (let i = 0; i < 12; i++) createPod(c, `p${i}`);
    c.cluster.sim.run({ untilMs: 30_000 });
    const ips = new Map<string, string>();
    for (const p of c.cluster.api.list(PODS, { namespace: NS }).items) ips.set(p.metadata.name!, `${p.spec.nodeName} ${p.status.podIP}`);
    return ips;
  };
  const a = run(7);
  const ips = [...a.values()].map((v) => v.split(' ')[1]);
  t.equal(new Set(ips).size, 12, 'unique');
  for (const v of a.values()) {
    const [node, ip] = v.split(' ');
    t.equal(ip.split('.').slice(0, 3).join('.'), `10.244.${node.slice('node-'.length)}`, `${ip} is in ${node}'s subnet`);
  }
  t.same([...run(7)], [...a], 'deterministic for a seed');
});

t.test('a deleted pod\'s IP is not reused while the next pods arrive; a replacement gets a fresh one', async (t) => {
  const c = nodesCluster({ nodes: defaultNodes(1) });
  c.cluster.sim.run({ untilMs: 1_000 });
  createPod(c, 'a');
  createPod(c, 'b');
  c.cluster.sim.run({ untilMs: 20_000 });
  const ipOf = (name: string): string => c.cluster.api.get(PODS, name, { namespace: NS }).status.podIP;
  const aIp = ipOf('a');
  c.cluster.api.delete(PODS, 'a', { namespace: NS });
  c.cluster.sim.run({ untilMs: 60_000 });
  t.notOk(c.runtime.machine('node-1')!.ips.ownerOf(aIp), 'released once the pod is gone');
  createPod(c, 'c');
  c.cluster.sim.run({ untilMs: 80_000 });
  t.not(ipOf('c'), aIp, 'the next pod gets the next address, not the released one');
  t.not(ipOf('c'), ipOf('b'));
});
