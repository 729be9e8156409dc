// The Deployment and PodAutoscaler the revision reconciler makes, read back from the API server.
// Shapes follow knative/serving pkg/reconciler/revision/resources/deploy_test.go, queue_test.go
// and pa_test.go.
import t from 'tap';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { DEPLOYMENTS } from '../../../src/kube/resources.js';
import { PODAUTOSCALERS } from '../../../src/knative/apis/resources.js';
import { LABELS } from '../../../src/knative/apis/serving-labels.js';
import { addReconcilers, must, newHarness, QUEUE_IMAGE, run, type ControllerHarness } from './controller-fixtures.js';
import { createRevision, revision, type RevisionOptions } from './revision-fixtures.js';
import { DEPLOYMENT_HASH_LABEL, makeDeployment } from '../../../src/knative/controller/revision-deployment.js';
import { DEFAULT_AUTOSCALER_CONFIG } from '../../../src/knative/config/autoscaler-config.js';
import { DEFAULT_DEPLOYMENT_CONFIG } from '../../../src/knative/config/deployment-config.js';
import { DEFAULT_DEFAULTS_CONFIG } from '../../../src/knative/controller/defaults-config.js';
import { KnativeProfile } from '../../../src/knative/versions.js';

type Json = Record<string, any>;

function deployed(o: RevisionOptions = {}, config?: Record<string, Record<string, string>>): { h: ControllerHarness; rev: KubeObject; d: KubeObject; pa: KubeObject } {
  const h = newHarness({ config });
  addReconcilers(h, ['revision']);
  const rev = createRevision(h, 'rev', o);
  run(h, 5_000);
  return { h, rev, d: must(h, DEPLOYMENTS, 'rev-deployment'), pa: must(h, PODAUTOSCALERS, 'rev') };
}

const envOf = (c: Json, name: string): string | undefined => (c.env as Json[]).find((e) => e.name === name)?.value;

t.test('deployment: <rev>-deployment owned by the revision, initial scale 1, deadline 600s, maxUnavailable 0, selector on revisionUID', async (t) => {
  const { rev, d } = deployed();
  t.match(d.metadata.ownerReferences, [{ kind: 'Revision', name: 'rev', uid: rev.metadata.uid, controller: true }]);
  t.equal(d.spec.replicas, 1);
  t.equal(d.spec.progressDeadlineSeconds, 600);
  t.equal(d.spec.revisionHistoryLimit, 0);
  t.same(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } }, 'maxSurge is the API default');
  t.same(d.spec.selector, { matchLabels: { [LABELS.revisionUID]: rev.metadata.uid } });
  t.match(d.metadata.labels, { [LABELS.revision]: 'rev', [LABELS.revisionUID]: rev.metadata.uid, app: 'rev', [LABELS.configuration]: 'cfg' });
  t.equal(d.metadata.labels?.[LABELS.routingState], undefined, 'routingState is not copied');
  t.ok(d.metadata.labels?.['serving.knative.dev/deployment-hash'], 'hash label');
  t.equal(d.spec.template.spec.terminationGracePeriodSeconds, 300, 'grace = timeoutSeconds');
  t.equal(d.spec.template.spec.enableServiceLinks, false);
  t.equal(d.spec.template.metadata.annotations['kubectl.kubernetes.io/default-container'], 'user-container');
});

t.test('deployment: initial-scale and progress-deadline annotations override the config; autoscaling annotations stay off the pods', async (t) => {
  const { d, pa } = deployed({ annotations: { 'autoscaling.knative.dev/initial-scale': '3', 'autoscaling.knative.dev/min-scale': '2', 'serving.knative.dev/progress-deadline': '42s' } });
  t.equal(d.spec.replicas, 3);
  t.equal(d.spec.progressDeadlineSeconds, 42);
  t.equal(d.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale'], undefined);
  t.equal(d.metadata.annotations?.['autoscaling.knative.dev/min-scale'], undefined);
  t.equal(pa.metadata.annotations?.['autoscaling.knative.dev/min-scale'], '2', 'the PA keeps them');
});

t.test('deployment: config-autoscaler initial-scale and config-deployment progress-deadline are the defaults', async (t) => {
  const { d } = deployed({}, { 'config-autoscaler': { 'initial-scale': '2' }, 'config-deployment': { 'queue-sidecar-image': QUEUE_IMAGE, 'progress-deadline': '120s' } });
  t.equal(d.spec.replicas, 2);
  t.equal(d.spec.progressDeadlineSeconds, 120);
});

t.test('user container: user-port, PORT, preStop /wait-for-drain on 8022, readiness probe moved to queue-proxy', async (t) => {
  const { d } = deployed();
  const user = d.spec.template.spec.containers[0];
  t.equal(user.name, 'user-container');
  t.equal(user.image, 'busybox', 'the resolved digest is the image');
  t.same(user.ports, [{ name: 'user-port', containerPort: 8080 }]);
  t.equal(envOf(user, 'PORT'), '8080');
  t.same(user.lifecycle, { preStop: { httpGet: { port: 8022, path: '/wait-for-drain' } } });
  t.equal(user.readinessProbe, undefined);
  t.equal(user.terminationMessagePolicy, 'FallbackToLogsOnError');
});

t.test('queue-proxy: image, ports, kubelet probe through 8012 with K-Network-Probe, the user probe encoded', async (t) => {
  const { d } = deployed({ containerConcurrency: 10, container: { ports: [{ containerPort: 8888 }] } });
  const qp = d.spec.template.spec.containers[1];
  t.equal(qp.name, 'queue-proxy');
  t.equal(qp.image, QUEUE_IMAGE);
  t.same(qp.ports.map((p: Json) => p.containerPort), [9090, 9091, 8012, 8112]);
  t.same(qp.readinessProbe, { successThreshold: 1, httpGet: { port: 8012, httpHeaders: [{ name: 'K-Network-Probe', value: 'queue' }] } });
  t.equal(envOf(qp, 'SERVING_READINESS_PROBE'), '{"tcpSocket":{"port":8888,"host":"127.0.0.1"},"successThreshold":1}');
  t.equal(envOf(qp, 'CONTAINER_CONCURRENCY'), '10');
  t.equal(envOf(qp, 'REVISION_TIMEOUT_SECONDS'), '300');
  t.equal(envOf(qp, 'USER_PORT'), '8888');
  t.equal(envOf(qp, 'SERVING_REVISION'), 'rev');
  t.equal(envOf(qp, 'QUEUE_SERVING_PORT'), '8012');
  t.same(qp.resources, { requests: { cpu: '25m' } });
  t.equal(envOf(d.spec.template.spec.containers[0], 'PORT'), '8888');
});

t.test('queue-proxy: an HTTP readiness probe keeps its path and period; the kubelet probes queue-proxy at that period', async (t) => {
  const { d } = deployed({ container: { readinessProbe: { httpGet: { path: '/healthz' }, periodSeconds: 2 } } });
  const qp = d.spec.template.spec.containers[1];
  t.equal(envOf(qp, 'SERVING_READINESS_PROBE'), '{"httpGet":{"path":"/healthz","port":8080,"host":"127.0.0.1","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":2,"successThreshold":1,"failureThreshold":3}');
  t.match(qp.readinessProbe, { periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3, httpGet: { port: 8012 } });
});

t.test('PA: named after the revision, owned, KPA class from config, scale target, protocol, no containerConcurrency when 0', async (t) => {
  const { rev, pa } = deployed();
  t.match(pa.metadata.ownerReferences, [{ kind: 'Revision', name: 'rev', uid: rev.metadata.uid, controller: true }]);
  t.equal(pa.metadata.annotations?.['autoscaling.knative.dev/class'], 'kpa.autoscaling.knative.dev');
  t.same(pa.spec, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'rev-deployment' }, reachability: 'Reachable', protocolType: 'http1' });
  t.equal(pa.metadata.labels?.[LABELS.revision], 'rev');
});

t.test('PA reachability follows the routing state: active Reachable, reserve Unreachable, pending unknown', async (t) => {
  for (const [state, want] of [['active', 'Reachable'], ['reserve', 'Unreachable'], ['pending', undefined]] as const) {
    const { pa } = deployed({ routingState: state, containerConcurrency: 5 });
    t.equal(pa.spec.reachability, want, state);
    t.equal(pa.spec.containerConcurrency, 5);
  }
});

// The deployment-hash label appears in the Deployment's labels and its value must not move when
// the hashing is reimplemented: FNV-32a over the UTF-8 bytes of the sorted-key JSON of
// [spec, annotations, labels without the hash] of the Deployment makeDeployment builds, base 36
// (computed here the direct way).
function referenceHash(d: KubeObject): string {
  const sorted = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(sorted).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      const o = v as Json;
      return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${sorted(o[k])}`).join(',')}}`;
    }
    return JSON.stringify(v);
  };
  const labels: Json = { ...(d.metadata.labels ?? {}) };
  delete labels[DEPLOYMENT_HASH_LABEL];
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(sorted([d.spec, d.metadata.annotations, labels]))) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(36);
}

t.test('deployment-hash: FNV-32a base 36 of the sorted JSON of spec, annotations and labels, also with non-ASCII and escaped text', async (t) => {
  const cfg = { autoscaler: DEFAULT_AUTOSCALER_CONFIG, deployment: DEFAULT_DEPLOYMENT_CONFIG, defaults: DEFAULT_DEFAULTS_CONFIG };
  const notes: Record<string, string>[] = [{}, { 'example.com/note': 'café ☕ 😀 "quoted" back\\slash\ttab \u0001' }];
  for (const annotations of notes) {
    const rev = { ...revision('rev', { annotations, container: { env: [{ name: 'GREETING', value: 'grüß dich' }] } }) };
    rev.metadata = { ...rev.metadata, uid: 'uid-1' };
    const d = makeDeployment(rev, cfg, new KnativeProfile('latest'));
    t.equal(d.metadata.labels?.[DEPLOYMENT_HASH_LABEL], referenceHash(d), `annotations ${JSON.stringify(annotations)}`);
  }
});
