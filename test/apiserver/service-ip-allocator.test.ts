// ClusterIP allocation by the API server's Service storage (k8s.io/kubernetes
// pkg/registry/core/service/storage/storage_test.go and alloc.go: create with and without a
// requested IP, headless and ExternalName Services, family defaults, updates that omit or change
// the allocated values, release on delete; ipallocator/bitmap.go: the range and its bands).
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { edit, newServer, SERVICES, statusOf } from './fixtures.js';

const svc = (name: string, spec: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } });

t.test('Services without a clusterIP get the lowest free address of the dynamic band of 10.96.0.0/12, with clusterIPs and families', async (t) => {
  const { server } = newServer();
  const a = server.create(SERVICES, svc('a'));
  t.match(a.spec, { clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', type: 'ClusterIP' });
  const ips = [a, ...Array.from({ length: 300 }, (_, i) => server.create(SERVICES, svc(`s${i}`)))].map((s) => s.spec.clusterIP as string);
  t.equal(new Set(ips).size, ips.length, 'never duplicated');
  t.equal(ips[255], '10.96.2.0', 'sequential through the range');
});

t.test('a deleted Service gives its address back; the next Service takes the lowest free one', async (t) => {
  const { server } = newServer();
  for (const name of ['a', 'b', 'c']) server.create(SERVICES, svc(name));
  server.delete(SERVICES, 'b', { namespace: 'default' });
  t.equal(server.create(SERVICES, svc('d')).spec.clusterIP, '10.96.1.2', 'b\'s address reused');
  t.equal(server.create(SERVICES, svc('e')).spec.clusterIP, '10.96.1.4');
});

t.test('a Service held by a finalizer keeps its address until it is really gone', async (t) => {
  const { server } = newServer();
  const held = server.create(SERVICES, { ...svc('held'), metadata: { name: 'held', namespace: 'default', finalizers: ['test/hold'] } });
  server.delete(SERVICES, 'held', { namespace: 'default' });
  t.equal(server.create(SERVICES, svc('next')).spec.clusterIP, '10.96.1.2', 'still allocated while terminating');
  server.update(SERVICES, { ...edit(server.get(SERVICES, 'held', { namespace: 'default' })), metadata: { ...edit(held.metadata), resourceVersion: undefined, finalizers: [] } });
  t.equal(server.create(SERVICES, svc('after')).spec.clusterIP, '10.96.1.1', 'released on removal');
});

t.test('headless Services stay None; without a selector they ask for RequireDualStack, as upstream defaults them', async (t) => {
  const { server } = newServer();
  t.match(server.create(SERVICES, svc('h', { clusterIP: 'None' })).spec, { clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
  const bare = server.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bare', namespace: 'default' }, spec: { clusterIP: 'None' } });
  t.match(bare.spec, { clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'RequireDualStack' });
  t.equal(server.create(SERVICES, svc('next')).spec.clusterIP, '10.96.1.1', 'headless took no address');
});

t.test('ExternalName Services get no address and no families', async (t) => {
  const { server } = newServer();
  const ext = server.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
  t.equal(ext.spec.clusterIP, undefined);
  t.equal(ext.spec.ipFamilies, undefined);
});

t.test('a requested address is honoured if free and in range; refused otherwise (422)', async (t) => {
  const { server } = newServer();
  t.equal(server.create(SERVICES, svc('static', { clusterIP: '10.96.0.10' })).spec.clusterIP, '10.96.0.10', 'static band');
  t.same(server.create(SERVICES, svc('ips', { clusterIPs: ['10.96.5.5'] })).spec.clusterIP, '10.96.5.5', 'clusterIPs alone fills clusterIP');
  t.match(statusOf(() => server.create(SERVICES, svc('dup', { clusterIP: '10.96.0.10' }))), {
    code: 422, reason: 'Invalid', message: /spec\.clusterIPs: Invalid value: \["10\.96\.0\.10"\]: failed to allocate IP 10\.96\.0\.10: provided IP is already allocated/,
  });
  t.match(statusOf(() => server.create(SERVICES, svc('kube', { clusterIP: '10.96.0.1' }))), { code: 422 }, '10.96.0.1 is the kubernetes Service\'s');
  t.match(statusOf(() => server.create(SERVICES, svc('far', { clusterIP: '192.168.0.1' }))), {
    code: 422, message: /the provided IP \(192\.168\.0\.1\) is not in the valid range\. The range of valid IPs is 10\.96\.0\.0\/12/,
  });
  t.match(statusOf(() => server.create(SERVICES, svc('v6', { ipFamilies: ['IPv6'] }))), { code: 422 }, 'no IPv6 on this cluster');
  t.match(statusOf(() => server.create(SERVICES, svc('dual', { ipFamilyPolicy: 'RequireDualStack' }))), { code: 422 }, 'no dual stack either');
  t.equal(server.create(SERVICES, svc('after')).spec.clusterIP, '10.96.1.1', 'refused requests took nothing');
});

t.test('updates: omitted allocated values are restored, a change is refused, type changes allocate and release', async (t) => {
  const { server } = newServer();
  const a = server.create(SERVICES, svc('a'));
  const replaced = server.update(SERVICES, { ...svc('a'), metadata: { ...edit(a.metadata) } });
  t.match(replaced.spec, { clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }, 'a PUT without them keeps them');
  t.equal(replaced.metadata.resourceVersion, a.metadata.resourceVersion, 'and is a no-op');
  t.match(statusOf(() => server.patch(SERVICES, 'a', { spec: { clusterIP: '10.96.9.9', clusterIPs: ['10.96.9.9'] } }, { namespace: 'default', patchType: 'merge' })), {
    code: 422, message: /spec\.clusterIPs\[0\]: Invalid value: "10\.96\.9\.9": may not change once set/,
  });
  const ext = server.patch(SERVICES, 'a', { spec: { type: 'ExternalName', externalName: 'example.com' } }, { namespace: 'default', patchType: 'merge' });
  t.same([ext.spec.clusterIP, ext.spec.clusterIPs, ext.spec.ipFamilies], [undefined, undefined, undefined], 'to ExternalName: cleared');
  t.equal(server.create(SERVICES, svc('b')).spec.clusterIP, '10.96.1.1', 'and released');
  const back = server.patch(SERVICES, 'a', { spec: { type: 'ClusterIP', externalName: null } }, { namespace: 'default', patchType: 'merge' });
  t.equal(back.spec.clusterIP, '10.96.1.2', 'back to ClusterIP: a new address');
});

t.test('dry-run creates do not take an address', async (t) => {
  const { server } = newServer();
  const dry = server.create(SERVICES, svc('dry'), { dryRun: true });
  t.equal(dry.spec.clusterIP, '10.96.1.1', 'the answer shows the address it would get');
  t.equal(server.create(SERVICES, svc('real')).spec.clusterIP, '10.96.1.1', 'not taken');
});

t.test('allocation is deterministic: two servers given the same requests hand out the same addresses', async (t) => {
  const run = (): string[] => {
    const { server } = newServer({ seed: 'x' });
    const out: string[] = [];
    for (let i = 0; i < 20; i++) {
      out.push(server.create(SERVICES, svc(`s${i}`)).spec.clusterIP as string);
      if (i % 3 === 0) server.delete(SERVICES, `s${i}`, { namespace: 'default' });
    }
    return out;
  };
  t.same(run(), run());
});
