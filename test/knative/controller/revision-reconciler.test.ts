// The revision reconciler end to end against the API server, the test playing the Deployment
// controller, kubelet and KPA (cases after knative/serving pkg/reconciler/revision/revision_test.go
// and reconcile_resources_test.go).
import t from 'tap';
import { deepCopy } from '../../../src/apiserver/deep-copy.js';
import { DEPLOYMENTS, PODS } from '../../../src/kube/resources.js';
import { PODAUTOSCALERS, REVISIONS } from '../../../src/knative/apis/resources.js';
import { LABELS } from '../../../src/knative/apis/serving-labels.js';
import { addReconcilers, cond, must, newHarness, QUEUE_IMAGE, run, setConfig, setDeploymentStatus, setPaStatus, trace, type ControllerHarness } from './controller-fixtures.js';
import { createRevision, type RevisionOptions } from './revision-fixtures.js';
import { DEPLOYMENT_HASH_LABEL } from '../../../src/knative/controller/revision-deployment.js';

function started(o: RevisionOptions = {}): ControllerHarness {
  const h = newHarness();
  addReconcilers(h, ['revision']);
  createRevision(h, 'rev', o);
  run(h, 5_000);
  return h;
}

const status = (h: ControllerHarness, type: string): string | undefined => cond(must(h, REVISIONS, 'rev'), type)?.status;

t.test('a new revision is deploying: ResourcesAvailable, ContainerHealthy, Active and Ready Unknown, digests resolved', async (t) => {
  const h = started();
  const rev = must(h, REVISIONS, 'rev');
  t.match(cond(rev, 'ResourcesAvailable'), { status: 'Unknown', reason: 'Deploying' });
  t.match(cond(rev, 'ContainerHealthy'), { status: 'Unknown', reason: 'Deploying' });
  t.match(cond(rev, 'Active'), { status: 'Unknown', reason: 'Deploying' });
  t.equal(cond(rev, 'Ready')?.status, 'Unknown');
  t.same(rev.status.containerStatuses, [{ name: 'user-container', imageDigest: 'busybox' }]);
  t.equal(rev.status.observedGeneration, 1);
});

t.test('deployment ready and PA initialised: the revision is Ready and Active, replicas from the PA', async (t) => {
  const h = started();
  setDeploymentStatus(h, 'rev-deployment', { replicas: 1, ready: 1 });
  setPaStatus(h, 'rev', { ready: 'True', initialized: true, serviceName: 'rev', desired: 1, actual: 1 });
  run(h, 2_000);
  const rev = must(h, REVISIONS, 'rev');
  t.same(['Ready', 'ResourcesAvailable', 'ContainerHealthy', 'Active'].map((c) => cond(rev, c)?.status), ['True', 'True', 'True', 'True']);
  t.same([rev.status.actualReplicas, rev.status.desiredReplicas], [1, 1]);
  setPaStatus(h, 'rev', { ready: 'False', reason: 'NoTraffic', initialized: true, serviceName: 'rev', desired: 0, actual: 0 });
  setDeploymentStatus(h, 'rev-deployment', { replicas: 0, ready: 0 });
  run(h, 2_000);
  t.equal(status(h, 'Ready'), 'True', 'scaled to zero, still Ready');
  t.match(cond(must(h, REVISIONS, 'rev'), 'Active'), { status: 'False', reason: 'NoTraffic' });
});

t.test('the PA never reached initial scale and went inactive: ProgressDeadlineExceeded, Ready False (#8922)', async (t) => {
  const h = started();
  setDeploymentStatus(h, 'rev-deployment', { replicas: 0, ready: 0 });
  setPaStatus(h, 'rev', { ready: 'False', reason: 'TimedOut', initialized: false, serviceName: 'rev' });
  run(h, 2_000);
  const rev = must(h, REVISIONS, 'rev');
  t.match(cond(rev, 'ResourcesAvailable'), { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'Initial scale was never achieved' });
  t.equal(cond(rev, 'Ready')?.status, 'False');
});

t.test('the Deployment exceeds its progress deadline: ResourcesAvailable False, and the PA turns Unreachable while no pod is ready (#14660)', async (t) => {
  const h = started();
  setPaStatus(h, 'rev', { ready: 'Unknown', reason: 'Queued', initialized: false, serviceName: 'rev' });
  setDeploymentStatus(h, 'rev-deployment', { replicas: 1, ready: 0, progressing: { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow' } });
  run(h, 2_000);
  t.match(cond(must(h, REVISIONS, 'rev'), 'ResourcesAvailable'), { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow' });
  t.equal(must(h, PODAUTOSCALERS, 'rev').spec.reachability, 'Unreachable', 'routed, but failing with no ready pod');
  setDeploymentStatus(h, 'rev-deployment', { replicas: 1, ready: 1 });
  run(h, 2_000);
  t.equal(must(h, PODAUTOSCALERS, 'rev').spec.reachability, 'Reachable', 'a ready pod makes it reachable again');
});

t.test('a crash-looping user container fails ContainerHealthy with its exit code', async (t) => {
  const h = started();
  const d = must(h, DEPLOYMENTS, 'rev-deployment');
  const pod = h.cluster.api.create(PODS, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'rev-pod', namespace: 'default', labels: { ...d.spec.selector.matchLabels } },
    spec: { containers: [{ name: 'user-container', image: 'busybox' }, { name: 'queue-proxy', image: QUEUE_IMAGE }] },
  });
  const withStatus = deepCopy(pod);
  withStatus.status = { phase: 'Running', containerStatuses: [
    { name: 'queue-proxy', ready: true, restartCount: 0, state: { running: {} } },
    { name: 'user-container', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, message: 'oops' } } },
  ] };
  h.cluster.api.update(PODS, withStatus, { subresource: 'status' });
  setDeploymentStatus(h, 'rev-deployment', { replicas: 1, ready: 0 });
  run(h, 2_000);
  t.match(cond(must(h, REVISIONS, 'rev'), 'ContainerHealthy'), { status: 'False', reason: 'ExitCode1', message: 'Container failed with: oops' });
});

t.test('the routing state moving to reserve updates the PA reachability', async (t) => {
  const h = started();
  t.equal(must(h, PODAUTOSCALERS, 'rev').spec.reachability, 'Reachable');
  const rev = deepCopy(must(h, REVISIONS, 'rev'));
  rev.metadata.labels![LABELS.routingState] = 'reserve';
  h.cluster.api.update(REVISIONS, rev);
  run(h, 2_000);
  t.equal(must(h, PODAUTOSCALERS, 'rev').spec.reachability, 'Unreachable');
});

t.test('a config-deployment change resyncs: the Deployment gets the new queue image and keeps its replicas', async (t) => {
  const h = started();
  const scaled = deepCopy(must(h, DEPLOYMENTS, 'rev-deployment'));
  scaled.spec.replicas = 4;
  h.cluster.api.update(DEPLOYMENTS, scaled);
  run(h, 1_000);
  setConfig(h, 'config-deployment', { 'queue-sidecar-image': 'queue:v2' });
  run(h, 3_000);
  const d = must(h, DEPLOYMENTS, 'rev-deployment');
  t.equal(d.spec.template.spec.containers[1].image, 'queue:v2');
  t.equal(d.spec.replicas, 4, 'the KPA owns the scale');
  t.ok(trace(h, 'reconcile', { ctl: 'revision', key: 'default/rev' }).length >= 2);
});

t.test('an invalid config-deployment keeps the last good one and records the error', async (t) => {
  const h = started();
  setConfig(h, 'config-deployment', { 'queue-sidecar-image': QUEUE_IMAGE, 'progress-deadline': '-5s' });
  run(h, 3_000);
  const errors = trace(h, 'config-error', { configMap: 'config-deployment' });
  t.equal(errors.length, 1);
  t.match(String(errors[0].fields.error), /progress-deadline/);
  t.equal(must(h, DEPLOYMENTS, 'rev-deployment').spec.progressDeadlineSeconds, 600);
  createRevision(h, 'rev2');
  run(h, 3_000);
  t.equal(must(h, DEPLOYMENTS, 'rev2-deployment').spec.progressDeadlineSeconds, 600, 'new revisions use the last good config');
});

t.test('a label added to the Revision after its Deployment exists reaches the Deployment and its pod template (the deployment hash follows the Revision\'s metadata)', async (t) => {
  const h = started();
  const before = must(h, DEPLOYMENTS, 'rev-deployment');
  const rev = deepCopy(must(h, REVISIONS, 'rev'));
  rev.metadata.labels = { ...rev.metadata.labels, team: 'blue' };
  h.cluster.api.update(REVISIONS, rev);
  run(h, 3_000);
  const after = must(h, DEPLOYMENTS, 'rev-deployment');
  t.equal(after.metadata.labels?.team, 'blue');
  t.equal(after.spec.template.metadata.labels.team, 'blue');
  t.not(after.metadata.labels?.[DEPLOYMENT_HASH_LABEL], before.metadata.labels?.[DEPLOYMENT_HASH_LABEL], 'a new hash');
});

t.test('a Deployment whose deployment-hash label was edited is rewritten to the Revision\'s shape on the next reconcile (the remembered hash is compared with the label as stored)', async (t) => {
  const h = started();
  const before = must(h, DEPLOYMENTS, 'rev-deployment');
  const edited = deepCopy(before);
  edited.metadata.labels = { ...edited.metadata.labels, [DEPLOYMENT_HASH_LABEL]: 'stale' };
  edited.spec.template.spec.containers[0].image = 'someone-else';
  h.cluster.api.update(DEPLOYMENTS, edited);
  run(h, 3_000);
  const after = must(h, DEPLOYMENTS, 'rev-deployment');
  t.equal(after.metadata.labels?.[DEPLOYMENT_HASH_LABEL], before.metadata.labels?.[DEPLOYMENT_HASH_LABEL], 'the hash is the Revision\'s again');
  t.equal(after.spec.template.spec.containers[0].image, before.spec.template.spec.containers[0].image, 'the template is the Revision\'s again');
});
