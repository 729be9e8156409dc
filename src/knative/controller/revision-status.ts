// Revision status transitions (knative/serving pkg/apis/serving/v1/revision_lifecycle.go,
// pkg/apis/serving/k8s_lifecycle.go TransformDeploymentStatus):
// - PropagateDeploymentStatus: ResourcesAvailable follows the Deployment seen through its own
//   living condition set (Progressing, ReplicaSetReady = not ReplicaFailure): True, False
//   (e.g. ProgressDeadlineExceeded) or Unknown (Deploying);
// - PropagateAutoscalerStatus: Active mirrors the PA's Ready; actual/desired replicas come from the
//   PA's scales when ≥ 0; once the PA's ScaleTargetInitialized is True (and nothing failed)
//   ResourcesAvailable and ContainerHealthy become True, but (since #14795) ResourcesAvailable stays
//   Unknown (Deploying) while the PA has no service name or (since #16094) the target is not
//   initialised; a PA that goes Ready=False without ever initialising (and, since #9258, has a
//   service name) fails ResourcesAvailable with ProgressDeadlineExceeded, "Initial scale was never
//   achieved" (#8922). Active is not part of Ready: a revision scaled to zero stays Ready.

import type { KubeObject } from '../../apiserver/types.js';
import { ConditionManager, type Condition } from '../apis/condition-set.js';
import type { KnativeProfile } from '../versions.js';

const DEPLOYMENT_CONDITIONS = { happy: 'Ready', dependents: ['Progressing', 'ReplicaSetReady'] };

function conditionOf(obj: { conditions?: Condition[] } | undefined, type: string): Condition | undefined {
  return obj?.conditions?.find((c) => c.type === type);
}

/** Revision.IsReady: Ready True at the observed generation. */
export function revisionIsReady(rev: KubeObject): boolean {
  return rev.status?.observedGeneration === rev.metadata.generation && conditionOf(rev.status, 'Ready')?.status === 'True';
}

/** TransformDeploymentStatus: the Deployment's Ready as Knative sees it. */
export function transformDeploymentStatus(deploymentStatus: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } | undefined, nowMs: number): Condition {
  const s: { conditions?: Condition[] } = {};
  const m = new ConditionManager(DEPLOYMENT_CONDITIONS, s, nowMs);
  m.initialize();
  m.markTrue('ReplicaSetReady');
  m.markUnknown('Progressing', 'Deploying', '');
  for (const want of ['Progressing', 'ReplicaFailure']) {
    for (const c of deploymentStatus?.conditions ?? []) {
      if (c.type !== want) continue;
      const reason = c.reason ?? '';
      const message = c.message ?? '';
      if (want === 'Progressing') {
        if (c.status === 'True') m.markTrue('Progressing');
        else if (c.status === 'False') m.markFalse('Progressing', reason, message);
        else m.markUnknown('Progressing', reason, message);
      } else if (c.status === 'True') m.markFalse('ReplicaSetReady', reason, message);
      else if (c.status === 'False') m.markTrue('ReplicaSetReady');
      else m.markUnknown('ReplicaSetReady', reason, message);
    }
  }
  return m.get('Ready')!;
}

/** PropagateDeploymentStatus. */
export function propagateDeploymentStatus(m: ConditionManager, deployment: KubeObject, nowMs: number): void {
  const ready = transformDeploymentStatus(deployment.status, nowMs);
  if (ready.status === 'True') m.markTrue('ResourcesAvailable');
  else if (ready.status === 'False') m.markFalse('ResourcesAvailable', ready.reason ?? '', ready.message ?? '');
  else m.markUnknown('ResourcesAvailable', ready.reason ?? '', ready.message ?? '');
}

function setScale(status: Record<string, unknown>, key: string, value: unknown): void {
  if (typeof value === 'number' && value >= 0) status[key] = value;
  else delete status[key];
}

/**
 * PropagateAutoscalerStatus. Release differences (the upstream fix in brackets):
 * - before #8577 (v0.17) only a PA seen Ready=True makes ResourcesAvailable and ContainerHealthy
 *   True; since, the sticky ScaleTargetInitialized does;
 * - before #14795 (1.14) a Ready PA still marks both True, even over a failed Deployment;
 * - before #14795 (1.14) a PA without a Ready condition only moves Active, and a True
 *   ResourcesAvailable stays True while the PA has no service name (the #8971 window: with
 *   initial scale 0 the KPA of 0.17 marked ScaleTargetInitialized before the SKS had its public
 *   service, and the Revision turned Ready at once);
 * - before #14744 (1.14) only a failed ResourcesAvailable counts as failed, not a failed
 *   ContainerHealthy;
 * - before #16094 (1.20) ResourcesAvailable (True from the Deployment) falls back to Unknown only
 *   while the PA has no service name, not while its scale target is uninitialised.
 */
export function propagateAutoscalerStatus(rev: KubeObject, m: ConditionManager, pa: KubeObject, profile: KnativeProfile): void {
  const ps = pa.status ?? {};
  // Fix #14744 (231db15d2a) adds the ContainerHealthy test.
  const failed = m.get('ResourcesAvailable')?.status === 'False' || (profile.has('pr-14744') && m.get('ContainerHealthy')?.status === 'False');
  const ready = conditionOf(ps, 'Ready');
  setScale(rev.status, 'actualReplicas', ps.actualScale);
  setScale(rev.status, 'desiredReplicas', ps.desiredScale);
  // "Propagate the service name from the PA": the Route sent traffic to it until #10638 (v0.21).
  if (!profile.has('pr-10638')) rev.status.serviceName = ps.serviceName ?? '';
  // Fix #14795 (1760f08360) adds the Deploying fall-backs: without a PA Ready condition, and while
  // the PA has no service name.
  const deployingFallbacks = profile.has('pr-14795');
  if (ready === undefined) {
    m.markUnknown('Active', 'Deploying', '');
    if (deployingFallbacks && !failed) m.markUnknown('ResourcesAvailable', 'Deploying', '');
    return;
  }
  const initialized = conditionOf(ps, 'ScaleTargetInitialized')?.status === 'True';
  const serviceName: string = ps.serviceName ?? '';
  // knative/serving pkg/apis/serving/v1/revision_lifecycle.go, fix #8577 (350c6a7e01).
  if (profile.has('pr-8577') && initialized && !failed) {
    m.markTrue('ResourcesAvailable');
    m.markTrue('ContainerHealthy');
  }
  // Fix #16094 (0902825d3a) adds the `!initialized` test.
  const uninitialized = profile.has('pr-16094') && !initialized;
  if (m.get('ResourcesAvailable')?.status === 'True' && ((deployingFallbacks && serviceName === '') || uninitialized)) m.markUnknown('ResourcesAvailable', 'Deploying', '');
  if (ready.status === 'Unknown') {
    m.markUnknown('Active', ready.reason ?? '', ready.message ?? '');
  } else if (ready.status === 'False') {
    // Fix #8933 (746bada102, v0.17): a PA that went Ready=False without ever reaching its initial
    // scale means the Deployment failed to progress, even though scaling it to zero turned its
    // Progressing back to True (#8922). Fix #9258 (c4fefc8763, v0.18) waits for the PA's service
    // name, since before it the KPA cannot have marked the target initialized (#9245).
    const failsInitialScale = profile.has('pr-8933') && !initialized && !failed && (serviceName !== '' || !profile.has('pr-9258'));
    if (failsInitialScale) m.markFalse('ResourcesAvailable', 'ProgressDeadlineExceeded', 'Initial scale was never achieved');
    m.markFalse('Active', ready.reason ?? '', ready.message ?? '');
  } else {
    m.markTrue('Active');
    // Before fix #14795 (1760f08360): "Precondition for PA being active is SKS being active".
    if (!profile.has('pr-14795')) {
      m.markTrue('ResourcesAvailable');
      m.markTrue('ContainerHealthy');
    }
  }
}
