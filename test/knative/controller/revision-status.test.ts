// Revision status propagation, the transitions of knative/serving
// pkg/apis/serving/v1/revision_lifecycle_test.go (TestPropagateDeploymentStatus,
// TestPropagateAutoscalerStatus and its _ScaleTargetNotInitialized, _NoOverridingResourcesAvailable,
// NoProgress, Race and Replicas variants) on the functions the revision reconciler uses.
import t from 'tap';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { ConditionManager } from '../../../src/knative/apis/condition-set.js';
import { propagateAutoscalerStatus, propagateDeploymentStatus } from '../../../src/knative/controller/revision-status.js';
import { REVISION_CONDITIONS } from '../../../src/knative/controller/serving-conditions.js';
import { KnativeProfile } from '../../../src/knative/versions.js';

const LATEST = new KnativeProfile('latest');

function newRevision(): { rev: KubeObject; m: (atMs?: number) => ConditionManager; status: (type: string) => string | undefined; reason: (type: string) => string | undefined } {
  const rev: KubeObject = { apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata: { name: 'r' }, status: {} };
  let clock = 0;
  const m = (atMs?: number): ConditionManager => new ConditionManager(REVISION_CONDITIONS, rev.status, atMs ?? (clock += 1_000));
  m().initialize();
  const get = (type: string) => (rev.status.conditions as { type: string; status: string; reason?: string }[]).find((c) => c.type === type);
  return { rev, m, status: (type) => get(type)?.status, reason: (type) => get(type)?.reason };
}

const deployment = (conditions: { type: string; status: string }[]): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, status: { conditions } });
const pa = (o: { ready?: string; sti?: string; serviceName?: string; desired?: number; actual?: number } = {}): KubeObject => {
  const conditions: { type: string; status: string }[] = [];
  if (o.ready) conditions.push({ type: 'Ready', status: o.ready });
  if (o.sti) conditions.push({ type: 'ScaleTargetInitialized', status: o.sti });
  const status: Record<string, unknown> = { conditions, serviceName: o.serviceName ?? '' };
  if (o.desired !== undefined) status.desiredScale = o.desired;
  if (o.actual !== undefined) status.actualScale = o.actual;
  return { apiVersion: 'autoscaling.internal.knative.dev/v1alpha1', kind: 'PodAutoscaler', metadata: {}, status };
};

t.test('PropagateDeploymentStatus: failures fail ResourcesAvailable and Ready, recover, go Unknown; ReplicaFailure trumps', async (t) => {
  const r = newRevision();
  const step = (conds: { type: string; status: string }[]): [string?, string?, string?] => {
    propagateDeploymentStatus(r.m(), deployment(conds), 0);
    return [r.status('Ready'), r.status('ResourcesAvailable'), r.status('ContainerHealthy')];
  };
  t.same(step([]), ['Unknown', 'Unknown', 'Unknown'], 'empty conditions keep us ongoing');
  t.same(step([{ type: 'Progressing', status: 'False' }, { type: 'ReplicaFailure', status: 'Unknown' }]), ['False', 'False', 'Unknown']);
  r.m().markTrue('ContainerHealthy');
  t.same([r.status('Ready'), r.status('ResourcesAvailable'), r.status('ContainerHealthy')], ['False', 'False', 'True'], 'healthy containers do not undo a deployment failure');
  t.same(step([{ type: 'Progressing', status: 'True' }]), ['True', 'True', 'True'], 'recovers');
  t.same(step([{ type: 'Progressing', status: 'Unknown' }]), ['Unknown', 'Unknown', 'True'], 'goes unknown');
  t.same(step([{ type: 'ReplicaFailure', status: 'True' }]), ['False', 'False', 'True']);
  t.same(step([{ type: 'Progressing', status: 'Unknown' }, { type: 'ReplicaFailure', status: 'True' }]), ['False', 'False', 'True'], 'ReplicaFailure trumps Progressing Unknown');
  t.same(step([{ type: 'Progressing', status: 'True' }, { type: 'ReplicaFailure', status: 'False' }]), ['True', 'True', 'True']);
});

t.test('PropagateDeploymentStatus carries ProgressDeadlineExceeded as the reason (TestTypicalFlowWithProgressDeadlineExceeded)', async (t) => {
  const r = newRevision();
  propagateDeploymentStatus(r.m(), { ...deployment([]), status: { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' }] } }, 0);
  t.equal(r.status('Ready'), 'False');
  t.equal(r.reason('ResourcesAvailable'), 'ProgressDeadlineExceeded');
  t.equal(r.reason('Ready'), 'ProgressDeadlineExceeded');
});

t.test('PropagateAutoscalerStatus: coming up, ready makes Active and Ready, Unknown and False only move Active', async (t) => {
  const r = newRevision();
  propagateAutoscalerStatus(r.rev, r.m(), pa(), LATEST);
  t.equal(r.status('Active'), 'Unknown', 'no Ready condition: still deploying');
  propagateAutoscalerStatus(r.rev, r.m(), pa({ ready: 'True', sti: 'True', serviceName: 'some-service' }), LATEST);
  t.same([r.status('Active'), r.status('Ready')], ['True', 'True']);
  propagateAutoscalerStatus(r.rev, r.m(), pa({ ready: 'Unknown', sti: 'True', serviceName: 'some-service' }), LATEST);
  t.same([r.status('Active'), r.status('Ready')], ['Unknown', 'True']);
  propagateAutoscalerStatus(r.rev, r.m(), pa({ ready: 'False', sti: 'True', serviceName: 'some-service' }), LATEST);
  t.same([r.status('Active'), r.status('Ready'), r.status('ContainerHealthy'), r.status('ResourcesAvailable')], ['False', 'True', 'True', 'True'], 'scaled to zero and still Ready');
});

t.test('PropagateAutoscalerStatus: ResourcesAvailable goes back to ongoing until the scale target is initialised (#15889)', async (t) => {
  const r = newRevision();
  propagateAutoscalerStatus(r.rev, r.m(), pa(), LATEST);
  r.m().markTrue('ResourcesAvailable');
  propagateAutoscalerStatus(r.rev, r.m(), pa({ ready: 'Unknown', sti: 'Unknown', serviceName: 'some-service' }), LATEST);
  t.equal(r.status('ResourcesAvailable'), 'Unknown');
  t.equal(r.reason('ResourcesAvailable'), 'Deploying');
});

t.test('PropagateAutoscalerStatus never overrides a failed ResourcesAvailable, whatever the PA says', async (t) => {
  for (const ready of ['True', 'False', 'Unknown']) {
    const r = newRevision();
    r.m().markFalse('ResourcesAvailable', 'somehow', 'somewhere');
    propagateAutoscalerStatus(r.rev, r.m(), pa({ ready, sti: 'True' }), LATEST);
    t.equal(r.status('ResourcesAvailable'), 'False', `ready ${ready}`);
    t.equal(r.reason('ResourcesAvailable'), 'somehow', `ready ${ready}`);
  }
});

t.test('PA not ready and never initialised: ProgressDeadlineExceeded "Initial scale was never achieved" (#8922), not over another failure', async (t) => {
  const r = newRevision();
  propagateAutoscalerStatus(r.rev, r.m(), pa({ ready: 'False', sti: 'Unknown', serviceName: 'testRevision' }), LATEST);
  t.equal(r.status('Active'), 'False');
  t.equal(r.status('ResourcesAvailable'), 'False');
  t.equal(r.reason('ResourcesAvailable'), 'ProgressDeadlineExceeded');
  r.m().markFalse('ResourcesAvailable', 'another-one', 'bit-the-dust');
  propagateAutoscalerStatus(r.rev, r.m(), pa({ ready: 'False', sti: 'Unknown' }), LATEST);
  t.equal(r.reason('ResourcesAvailable'), 'another-one');
  const noService = newRevision();
  propagateAutoscalerStatus(noService.rev, noService.m(), pa({ ready: 'False', sti: 'Unknown' }), LATEST);
  t.equal(noService.status('ResourcesAvailable'), 'Unknown', 'without a service name the PA may not have tried yet (#9258)');
});

t.test('PA observed only after it scaled down (#8539 race): initialised is enough for Ready', async (t) => {
  const r = newRevision();
  propagateAutoscalerStatus(r.rev, r.m(), pa(), LATEST);
  propagateAutoscalerStatus(r.rev, r.m(), pa({ ready: 'False', sti: 'True', serviceName: 'some-service' }), LATEST);
  t.equal(r.status('Active'), 'False');
  t.equal(r.status('Ready'), 'True');
});

t.test('actual and desired replicas come from the PA scales when non-negative', async (t) => {
  const r = newRevision();
  propagateAutoscalerStatus(r.rev, r.m(), pa({ ready: 'True', sti: 'True', serviceName: 's', desired: 2, actual: 1 }), LATEST);
  t.same([r.rev.status.actualReplicas, r.rev.status.desiredReplicas], [1, 2]);
  propagateAutoscalerStatus(r.rev, r.m(), pa({ ready: 'False', sti: 'True', serviceName: 's', desired: -1, actual: 0 }), LATEST);
  t.same([r.rev.status.actualReplicas, r.rev.status.desiredReplicas], [0, undefined]);
});
