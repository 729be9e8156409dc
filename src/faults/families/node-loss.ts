// `node-loss {node}`: the node's machine powers off until healed — every container on it is gone
// and its kubelet stops, so the node's Lease and status are no longer renewed. The node lifecycle
// controller turns its Ready condition Unknown after nodeMonitorGracePeriod (50 s), marks its pods
// NotReady (Endpoints drop them) and taints the node unreachable:NoExecute; the taint eviction
// controller deletes its pods after their default toleration (300 s) — they stay Terminating while
// nobody runs the node — and their ReplicaSets recreate them elsewhere
// (src/kube/node-lifecycle-controller.ts, taint-eviction-controller.ts). The heal powers the
// machine back on, empty, and starts the kubelet, which renews the node's Lease and status again.

import { powerOffNode, powerOnNode } from '../../kube/pod-faults.js';
import type { FaultSpec } from '../../scenario/types.js';
import type { ActiveFault } from '../active-fault.js';
import { FaultSpecError } from '../fault-spec-error.js';
import type { FaultWorld } from '../fault-world.js';

type NodeLossSpec = FaultSpec & { family: 'node-loss' };

export function createNodeLoss(world: FaultWorld, spec: NodeLossSpec): ActiveFault {
  if (!world.kube.kubelets.has(spec.node)) {
    throw new FaultSpecError(spec, 'node', `no node ${JSON.stringify(spec.node)} (nodes: ${[...world.kube.kubelets.keys()].join(', ')})`);
  }
  const env = { cluster: world.cluster, runtime: world.kube.runtime };
  return {
    fire: () => {
      const pods = world.kube.runtime.machine(spec.node)?.sandboxes().length ?? 0;
      powerOffNode(env, spec.node);
      return `node ${spec.node} powered off (kubelet stopped, ${pods} pod sandbox(es) gone)`;
    },
    heal: () => {
      powerOnNode(env, spec.node);
      return `node ${spec.node} powered on, kubelet started`;
    },
  };
}
