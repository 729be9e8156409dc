// Which processes a component-level fault hits. Knative's components (controller, autoscaler,
// activator, ingress-gateway) run as the processes of their Deployments' pods in knative-serving
// (src/knative/system-pods.ts): the simulation names each pod's process `<app>/<pod name>`, so a fault
// on `autoscaler` acts on the autoscaler pods that exist when it fires, or — for network rules, which
// are checked on every request and delivery — on any autoscaler pod, including pods started later.
// The Kubernetes components (kube-controller-manager, kube-scheduler, kubelet/<node>) are single
// processes outside any pod here, so they are faulted as components.

import type { Component } from '../../client/component.js';
import { KNATIVE_NAMESPACE } from '../../knative/serving-system.js';
import { KNATIVE_COMPONENTS, KUBE_COMPONENTS, type FaultCommon } from '../../scenario/types.js';
import { FaultSpecError } from '../fault-spec-error.js';
import type { FaultWorld } from '../fault-world.js';

export type ComponentTarget =
  /** The pods of the knative-serving Deployment `app` (label app=<app>, main container <app>). */
  | { kind: 'knative'; app: string }
  | { kind: 'kube'; component: Component };

/** A running pod of a Knative system Deployment, with the simulated process it runs. */
export interface SystemPod {
  name: string;
  uid: string;
  ip: string;
  nodeName: string;
  /** The process's component name, `<app>/<pod name>`. */
  process: string;
}

/** Resolves a scenario's component name; a name that names nothing is the author's error. */
export function resolveComponent(world: FaultWorld, spec: Pick<FaultCommon, 'source'>, name: string, field = 'component'): ComponentTarget {
  if ((KNATIVE_COMPONENTS as readonly string[]).includes(name)) return { kind: 'knative', app: name };
  const isKube = (KUBE_COMPONENTS as readonly string[]).includes(name) || name.startsWith('kubelet/');
  const component = isKube ? world.cluster.components().find((c) => c.name === name) : undefined;
  if (component !== undefined) return { kind: 'kube', component };
  const kubelets = world.cluster.components().filter((c) => c.name.startsWith('kubelet/')).map((c) => c.name);
  const known = [...KNATIVE_COMPONENTS, ...KUBE_COMPONENTS, ...kubelets].join(', ');
  throw new FaultSpecError(spec, field, `unknown component ${JSON.stringify(name)} (known: ${known})`);
}

export function describeTarget(target: ComponentTarget): string {
  return target.kind === 'knative' ? target.app : target.component.name;
}

/** Whether a client (by its component name) is one of the target's processes. */
export function isTargetProcess(target: ComponentTarget, clientComponent: string): boolean {
  return target.kind === 'knative' ? clientComponent.startsWith(`${target.app}/`) : clientComponent === target.component.name;
}

/**
 * The app's pods on the nodes (the pod runtime's view: sandboxes that exist), in node then pod-name
 * order; with `running`, only those whose main container (the process) runs now.
 */
export function systemPods(world: FaultWorld, app: string, options: { running: boolean }): SystemPod[] {
  const out: SystemPod[] = [];
  const machines = [...world.kube.runtime.machines()].sort((a, b) => (a.nodeName < b.nodeName ? -1 : a.nodeName > b.nodeName ? 1 : 0));
  for (const machine of machines) {
    const sandboxes = machine.sandboxes().sort((a, b) => (a.podKey < b.podKey ? -1 : a.podKey > b.podKey ? 1 : 0));
    for (const sandbox of sandboxes) {
      const meta = sandbox.pod.metadata;
      if (meta.namespace !== KNATIVE_NAMESPACE || meta.labels?.app !== app) continue;
      if (options.running && sandbox.containers.get(app)?.state !== 'running') continue;
      out.push({ name: meta.name!, uid: sandbox.podUid, ip: sandbox.ip, nodeName: machine.nodeName, process: `${app}/${meta.name!}` });
    }
  }
  return out;
}
