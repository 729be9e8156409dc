// `kill-leader <component>`: crash the replica that leads. Knative's controller holds one Lease per
// reconciler (knative.dev/pkg leaderelection, `controller.knative.dev.serving.pkg.reconciler.…`)
// and the autoscaler one per bucket (`autoscaler-bucket-00-of-01`), all in knative-serving; their
// holderIdentity starts with the holder's pod name and an underscore (`<pod>_<uuid>` for the
// controller, `<pod>_<pod IP>` for the autoscaler: knative/serving pkg/autoscaler/bucket Identity).
// So, as an operator would with `kubectl get leases -n knative-serving`, the fault reads the Leases,
// counts which running pod of the component holds the most, and crashes that one (ties are the
// chooser's). When no pod of the component holds a lease (the activator and the gateway take none;
// a new leader may not be elected yet), it crashes one replica picked by the chooser and says so.
// The crash itself is the crash family's (targets/crash-process.ts). The Kubernetes components run
// without leader election here (one instance each), so their only instance is crashed.

import type { KubeObject } from '../../apiserver/types.js';
import { KNATIVE_NAMESPACE } from '../../knative/serving-system.js';
import { LEASES } from '../../kube/resources.js';
import type { FaultSpec } from '../../scenario/types.js';
import type { ActiveFault } from '../active-fault.js';
import type { FaultWorld } from '../fault-world.js';
import { resolveComponent, systemPods, type SystemPod } from '../targets/component-target.js';
import { crashKubeComponent, crashSystemPod, type ProcessCrash } from '../targets/crash-process.js';

type KillLeaderSpec = FaultSpec & { family: 'kill-leader' };

/** The pod name in a knative.dev/pkg holderIdentity: everything before the first underscore. */
function holderPod(identity: string): string {
  const at = identity.indexOf('_');
  return at < 0 ? identity : identity.slice(0, at);
}

/** Lease names per running pod of the app, for the Leases in knative-serving. */
function leasesByPod(world: FaultWorld, pods: readonly SystemPod[]): Map<string, string[]> {
  const held = new Map<string, string[]>(pods.map((p) => [p.name, []]));
  const leases = world.cluster.api.list(LEASES, { namespace: KNATIVE_NAMESPACE }).items as KubeObject[];
  for (const lease of leases) {
    const identity: unknown = lease.spec?.holderIdentity;
    if (typeof identity !== 'string' || identity === '') continue;
    held.get(holderPod(identity))?.push(lease.metadata.name!);
  }
  return held;
}

export function createKillLeader(world: FaultWorld, spec: KillLeaderSpec): ActiveFault {
  const target = resolveComponent(world, spec, spec.component);
  const holdDown = spec.durationMs !== undefined;
  let crash: ProcessCrash | undefined;
  return {
    fire: () => {
      if (target.kind === 'kube') {
        crash = crashKubeComponent(target.component, { holdDown });
        return `${target.component.name} runs without leader election (one instance): ${crash.detail}`;
      }
      const pods = systemPods(world, target.app, { running: true });
      if (pods.length === 0) return `no running ${target.app} pod to crash`;
      const held = leasesByPod(world, pods);
      const most = Math.max(...pods.map((p) => held.get(p.name)!.length));
      const source = world.cluster.sim.choices(`fault/${spec.id}/victim`);
      if (most === 0) {
        crash = crashSystemPod(world, target.app, source.pick(pods), { holdDown });
        return `no ${target.app} pod holds a lease: ${crash.detail}`;
      }
      const victim = source.pick(pods.filter((p) => held.get(p.name)!.length === most));
      const total = pods.reduce((n, p) => n + held.get(p.name)!.length, 0);
      crash = crashSystemPod(world, target.app, victim, { holdDown });
      return `leader holding ${most} of the ${total} lease(s) ${target.app} pods hold: ${crash.detail}`;
    },
    heal: () => crash?.heal() ?? 'nothing was crashed',
  };
}
