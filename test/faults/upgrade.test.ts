// upgrade: applying another release's manifests mid-run rolls the Knative system Deployments (old
// and new processes side by side, each running its own release) and, through config-deployment's
// queue-proxy image, every revision Deployment; the heal applies the old release again.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { LABELS } from '../../src/knative/apis/serving-labels.js';
import { KNATIVE_NAMESPACE } from '../../src/knative/serving-system.js';
import { CONFIGMAPS, DEPLOYMENTS, PODS, REPLICASETS } from '../../src/kube/resources.js';
import { isPodReady } from '../../src/kube/pod-status.js';
import { servingWorld, type ServingWorld } from '../knative/serving-harness.js';
import { faultSpec, inject, recordWrites } from './fault-harness.js';

const APPS = ['controller', 'autoscaler', 'activator', 'ingress-gateway'];
const imageOf = (obj: KubeObject | undefined, container: string): string =>
  (obj?.spec?.template?.spec?.containers ?? obj?.spec?.containers ?? []).find((c: { name: string }) => c.name === container)?.image ?? '';

function deployment(w: ServingWorld, namespace: string, name: string): KubeObject | undefined {
  return w.cluster.api.list(DEPLOYMENTS, { namespace }).items.find((d) => d.metadata.name === name);
}

function world(seed: number): { w: ServingWorld; running: Map<string, number> } {
  const w = servingWorld({ seed, serving: { release: '0.16' }, annotations: { 'autoscaling.knative.dev/min-scale': '1' }, phases: [], keepTrace: true });
  // The most processes of each app seen running at once.
  const running = new Map<string, number>();
  const sample = (): void => {
    for (const app of APPS) {
      const n = w.cluster.components().filter((c) => c.name.startsWith(`${app}/`) && c.state === 'running').length;
      running.set(app, Math.max(running.get(app) ?? 0, n));
    }
    w.cluster.sim.schedule(250, sample);
  };
  w.cluster.sim.at(60_000, sample);
  return { w, running };
}

t.test('upgrade 0.16 → latest: system pods roll to the new image and run the new release; every revision Deployment rolls to the new queue-proxy', async (t) => {
  const { w, running } = world(31);
  const writes = recordWrites(w);
  const injected = inject(w, faultSpec({ family: 'upgrade', to: 'latest' }), 60_000);
  w.run(59_000);
  const revisionDeployment = deployment(w, 'default', 'hello-00001-deployment');
  t.match(imageOf(revisionDeployment, 'queue-proxy'), /queue:v0\.16$/, 'the revision starts with 0.16\'s queue-proxy');
  const [oldRevisionPod] = w.cluster.api.list(PODS, { namespace: 'default' }).items;
  w.run(240_000);
  t.equal(injected.fired?.detail, 'user applies Knative Serving 1.20 over 0.16: config-deployment queue-sidecar-image, then the controller, autoscaler, activator and ingress-gateway Deployments');
  t.same(writes.filter((x) => x.component === 'user').map((x) => `${x.verb} ${x.resource} ${x.name} ${x.code}`), [
    'patch configmaps config-deployment 200',
    ...APPS.map((app) => `patch deployments ${app} 200`),
  ], 'the user patched config-deployment, then the four Deployments');
  for (const app of APPS) {
    t.match(imageOf(deployment(w, KNATIVE_NAMESPACE, app), app), /:v1\.20$/, `${app} Deployment: new image`);
    const pods = w.cluster.api.list(PODS, { namespace: KNATIVE_NAMESPACE, labelSelector: `app=${app}` }).items;
    t.ok(pods.length === 1 && /:v1\.20$/.test(imageOf(pods[0], app)) && isPodReady(pods[0]), `${app}: one Ready pod of the new image`);
    t.equal(running.get(app), 2, `${app}: old and new processes ran side by side during the rollout`);
  }
  const setups = w.cluster.sim.trace.lines().filter((l) => l.kind === 'knative-controller' && l.fields.event === 'setup').map((l) => l.fields.release);
  t.same(setups, ['0.16', '1.20'], 'the old controller ran 0.16, the new one runs 1.20');
  const revisionAfter = deployment(w, 'default', 'hello-00001-deployment');
  t.match(imageOf(revisionAfter, 'queue-proxy'), /queue:v1\.20$/, 'the revision Deployment now has the new queue-proxy');
  const newReplicaSets = writes.filter((x) => x.resource === 'replicasets' && x.verb === 'create' && x.code === 201 && x.atMs > 60_000 && (x.name ?? '').startsWith('hello-00001-deployment-'));
  t.equal(newReplicaSets.length, 1, 'its template changed: the Deployment controller created a new ReplicaSet');
  const [rs] = w.cluster.api.list(REPLICASETS, { namespace: 'default' }).items;
  t.equal(rs.metadata.name, newReplicaSets[0].name, 'and the old one is gone (revisionHistoryLimit 0)');
  const pods = w.cluster.api.list(PODS, { namespace: 'default', labelSelector: `${LABELS.revision}=hello-00001` }).items;
  t.ok(pods.length === 1 && pods[0].metadata.uid !== oldRevisionPod.metadata.uid && /queue:v1\.20$/.test(imageOf(pods[0], 'queue-proxy')), 'the revision pod was replaced by one with the new queue-proxy');
});

t.test('upgrade with durationMs: the heal applies the installed release again (a downgrade)', async (t) => {
  const { w } = world(32);
  const injected = inject(w, faultSpec({ family: 'upgrade', to: '1.11' }, { durationMs: 100_000 }), 60_000);
  w.run(400_000);
  t.equal(injected.healed?.detail, 'user applies Knative Serving 0.16 again (downgrade from 1.11)');
  for (const app of APPS) t.match(imageOf(deployment(w, KNATIVE_NAMESPACE, app), app), /:v0\.16$/, `${app}: back to 0.16`);
  const config = w.cluster.api.list(CONFIGMAPS, { namespace: KNATIVE_NAMESPACE }).items.find((c) => c.metadata.name === 'config-deployment');
  t.match(config?.data?.['queue-sidecar-image'], /queue:v0\.16$/);
  t.match(imageOf(deployment(w, 'default', 'hello-00001-deployment'), 'queue-proxy'), /queue:v0\.16$/, 'the revision rolled back too');
  const setups = w.cluster.sim.trace.lines().filter((l) => l.kind === 'knative-controller' && l.fields.event === 'setup').map((l) => l.fields.release);
  t.same(setups, ['0.16', '1.11', '0.16']);
});
