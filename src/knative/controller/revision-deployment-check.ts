// What the revision reconciler learns from a Deployment that has no available pods although it
// wants some (knative/serving pkg/reconciler/revision/reconcile_resources.go reconcileDeployment):
// it lists one of the Deployment's pods (a live LIST, limit 1) and fails ResourcesAvailable with
// the pod's PodScheduled=False reason (unless pod-is-always-schedulable), ContainerHealthy with
// the user container's last termination (ExitCode<n>), or ResourcesAvailable with a waiting
// container's reason once the Deployment's progress deadline has passed. A failed LIST is ignored.

import { isApiError } from '../../apiserver/api-error.js';
import type { KubeObject } from '../../apiserver/types.js';
import type { SimClient } from '../../client/sim-client.js';
import { NetworkError } from '../../client/network-error.js';
import { PODS } from '../../kube/resources.js';
import type { Proc } from '../../sim/process.js';
import type { ConditionManager } from '../apis/condition-set.js';
import { QUEUE_CONTAINER_NAME } from './queue-container.js';

type Json = Record<string, any>;

/** hasDeploymentTimedOut: Progressing False with reason ProgressDeadlineExceeded. */
export function hasDeploymentTimedOut(deployment: KubeObject): boolean {
  return (deployment.status?.conditions ?? []).some((c: Json) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded');
}

function selectorText(deployment: KubeObject): string {
  const labels: Record<string, string> = deployment.spec?.selector?.matchLabels ?? {};
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

function* firstPod(client: SimClient, deployment: KubeObject): Proc<KubeObject | undefined> {
  try {
    const list = yield* client.list(PODS, { namespace: deployment.metadata.namespace, labelSelector: selectorText(deployment), limit: 1 });
    return list.items[0];
  } catch (e) {
    if (isApiError(e) || e instanceof NetworkError) return undefined;
    throw e;
  }
}

function markFromContainers(m: ConditionManager, pod: KubeObject, deployment: KubeObject): void {
  for (const status of (pod.status?.containerStatuses ?? []) as Json[]) {
    if (status.name === QUEUE_CONTAINER_NAME) continue;
    const terminated = status.lastState?.terminated;
    if (terminated) {
      const exitCode = terminated.exitCode ?? 0;
      const message = exitCode === 0 && !terminated.message ? 'container exited with no error' : (terminated.message ?? '');
      m.markFalse('ContainerHealthy', `ExitCode${exitCode}`, `Container failed with: ${message}`);
      return;
    }
    const waiting = status.state?.waiting;
    if (waiting && hasDeploymentTimedOut(deployment)) {
      m.markFalse('ResourcesAvailable', waiting.reason ?? '', waiting.message ?? '');
      return;
    }
  }
}

/** The crash-looping / unschedulable checks, for a Deployment with replicas > 0 and none available. */
export function* inspectFailingPods(options: { client: SimClient; m: () => ConditionManager; deployment: KubeObject; podIsAlwaysSchedulable: boolean }): Proc<void> {
  const pod = yield* firstPod(options.client, options.deployment);
  if (pod === undefined) return;
  if (!options.podIsAlwaysSchedulable) {
    const unscheduled = (pod.status?.conditions ?? []).find((c: Json) => c.type === 'PodScheduled' && c.status === 'False');
    if (unscheduled) options.m().markFalse('ResourcesAvailable', unscheduled.reason ?? '', unscheduled.message ?? '');
  }
  markFromContainers(options.m(), pod, options.deployment);
}
