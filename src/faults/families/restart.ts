// `restart <component>`: a graceful restart, as an operator does it. For a Knative component the
// user deletes its pods (`kubectl delete pods -n knative-serving -l app=<component>`): each pod gets
// its grace period (preStop, SIGTERM, the process's own drain), and the Deployment's ReplicaSet
// creates replacements at once, which the scheduler places and the kubelets start — new pods, new
// names, new IPs. durationMs has nothing to hold there: the Deployment restores the pods by itself.
// A Kubernetes component is stopped and started again (`systemctl restart kubelet`, or the static
// pod's process), at once, or at the heal when durationMs is given.

import type { KubeObject } from '../../apiserver/types.js';
import { KNATIVE_NAMESPACE } from '../../knative/serving-system.js';
import { PODS } from '../../kube/resources.js';
import type { FaultSpec } from '../../scenario/types.js';
import type { ActiveFault } from '../active-fault.js';
import type { FaultWorld } from '../fault-world.js';
import { resolveComponent } from '../targets/component-target.js';
import { UserSession } from '../targets/user-actions.js';

type RestartSpec = FaultSpec & { family: 'restart' };

export function createRestart(world: FaultWorld, spec: RestartSpec): ActiveFault {
  const target = resolveComponent(world, spec, spec.component);
  const holdDown = spec.durationMs !== undefined;
  return {
    fire: () => {
      if (target.kind === 'kube') {
        const { component } = target;
        const incarnation = component.incarnation;
        component.stop();
        if (!holdDown) component.start();
        return holdDown
          ? `stopped ${component.name} (incarnation ${incarnation}) until healed`
          : `restarted ${component.name}: incarnation ${incarnation} stopped, ${component.incarnation} started`;
      }
      const pods = world.cluster.api.list(PODS, { namespace: KNATIVE_NAMESPACE, labelSelector: `app=${target.app}` }).items
        .filter((p: KubeObject) => p.metadata.deletionTimestamp === undefined)
        .map((p: KubeObject) => p.metadata.name!)
        .sort();
      if (pods.length === 0) return `no ${target.app} pod to delete`;
      new UserSession(world, spec.id).run(pods.map((name) => ({
        what: `delete pod ${KNATIVE_NAMESPACE}/${name}`,
        run: function* (client) {
          yield* client.delete(PODS, name, { namespace: KNATIVE_NAMESPACE });
        },
      })));
      return `user deletes ${target.app} pods ${pods.join(', ')} (graceful; the Deployment replaces them)`;
    },
    heal: () => {
      if (target.kind === 'knative') return `nothing to heal: the ${target.app} Deployment replaced its pods`;
      target.component.start();
      return `started ${target.component.name} (incarnation ${target.component.incarnation})`;
    },
  };
}
