// The pods a pod fault hits: a PodSelector (namespace, a revision — label
// serving.knative.dev/revision — and/or labels), resolved against the pods that run on the nodes
// (the pod runtime's sandboxes), in node then pod order, so that picks through the chooser are
// reproducible. A pod's user container is its first container other than Knative's queue-proxy
// sidecar (for a Knative revision: `user-container`, or the name the revision gives it).

import { LABELS } from '../../knative/apis/serving-labels.js';
import { QUEUE_CONTAINER_NAME } from '../../knative/controller/queue-container.js';
import type { PodTarget } from '../../kube/pod-faults.js';
import { matchesPod } from '../../kube/pod-faults.js';
import type { PodSelector } from '../../scenario/types.js';
import type { FaultWorld } from '../fault-world.js';

export interface SelectedPod {
  name: string;
  uid: string;
  nodeName: string;
  /** The user container's name. */
  container: string;
  restartCount: number;
}

export function podTargetOf(selector: PodSelector): PodTarget {
  const labels = { ...(selector.labels ?? {}) };
  if (selector.revision !== undefined) labels[LABELS.revision] = selector.revision;
  return { namespace: selector.namespace, labels };
}

export function describeSelector(selector: PodSelector): string {
  const parts = [`namespace ${selector.namespace}`];
  if (selector.revision !== undefined) parts.push(`revision ${selector.revision}`);
  const labels = Object.entries(selector.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (labels.length > 0) parts.push(`labels ${labels.join(',')}`);
  return parts.join(', ');
}

/** Matching pods whose user container is running now, in node then pod order. */
export function podsWithRunningUserContainer(world: FaultWorld, selector: PodSelector): SelectedPod[] {
  const target = podTargetOf(selector);
  const out: SelectedPod[] = [];
  const machines = [...world.kube.runtime.machines()].sort((a, b) => (a.nodeName < b.nodeName ? -1 : a.nodeName > b.nodeName ? 1 : 0));
  for (const machine of machines) {
    const sandboxes = machine.sandboxes().sort((a, b) => (a.podKey < b.podKey ? -1 : a.podKey > b.podKey ? 1 : 0));
    for (const sandbox of sandboxes) {
      if (!matchesPod(sandbox.pod, target)) continue;
      const containers: { name: string }[] = sandbox.pod.spec?.containers ?? [];
      const name = containers.find((c) => c.name !== QUEUE_CONTAINER_NAME)?.name;
      const container = name === undefined ? undefined : sandbox.containers.get(name);
      if (container?.state !== 'running') continue;
      out.push({ name: sandbox.pod.metadata.name!, uid: sandbox.podUid, nodeName: machine.nodeName, container: container.name, restartCount: container.attempt });
    }
  }
  return out;
}
