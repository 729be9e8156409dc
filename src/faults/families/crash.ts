// `crash <component>`: one process of the component dies where it stands (possibly between two
// writes of one reconcile), losing its caches, queues and leadership. For a Knative component the
// victim is one of its running pods, picked through the chooser, and the kubelet restarts its
// container (targets/crash-process.ts says how, and what durationMs does); a Kubernetes component
// is one process and restarts as its supervisor restarts it.

import type { FaultSpec } from '../../scenario/types.js';
import type { ActiveFault } from '../active-fault.js';
import type { FaultWorld } from '../fault-world.js';
import { resolveComponent, systemPods, type ComponentTarget } from '../targets/component-target.js';
import { crashKubeComponent, crashSystemPod, type ProcessCrash } from '../targets/crash-process.js';

type CrashSpec = FaultSpec & { family: 'crash' };

export function createCrash(world: FaultWorld, spec: CrashSpec): ActiveFault {
  const target = resolveComponent(world, spec, spec.component);
  const holdDown = spec.durationMs !== undefined;
  let crash: ProcessCrash | undefined;
  return {
    fire: () => {
      crash = crashOne(world, spec.id, target, { holdDown });
      return crash?.detail ?? `no running ${spec.component} pod to crash`;
    },
    heal: () => crash?.heal() ?? 'nothing was crashed',
  };
}

function crashOne(world: FaultWorld, id: string, target: ComponentTarget, options: { holdDown: boolean }): ProcessCrash | undefined {
  if (target.kind === 'kube') return crashKubeComponent(target.component, options);
  const pods = systemPods(world, target.app, { running: true });
  if (pods.length === 0) return undefined;
  const victim = world.cluster.sim.choices(`fault/${id}/victim`).pick(pods);
  return crashSystemPod(world, target.app, victim, options);
}
