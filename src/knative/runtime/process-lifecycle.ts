// A Knative system process (the activator, an ingress gateway) as the kubelet sees it: while an
// incarnation runs it registers a PodBehaviour for its own pod, through which
// - the kubelet's readiness and liveness probes (HTTP GETs with the kube-probe user agent upstream,
//   answered by the process's health handler) get the health check's answer;
// - SIGTERM reaches the process (onContainerStopping), which starts its drain;
// - the process exits by itself when its drain is over (shutdownMs Infinity, then
//   runtime.exitContainer).
// A launcher's behaviour registered before this one wins where it answers (e.g. a fixed drain time).

import type { ComponentContext } from '../../client/component.js';
import type { PodBehaviour } from '../../kube/pod-runtime.js';
import type { KnativeComponentEnv } from '../serving-system.js';

export interface ProcessLifecycleHooks {
  /** Behaviour name prefix, e.g. 'activator-process'. */
  name: string;
  healthy(): boolean;
  /** SIGTERM to the process's container named `container`. */
  sigterm(container: string): void;
}

export function registerProcessLifecycle(ctx: ComponentContext, env: KnativeComponentEnv, hooks: ProcessLifecycleHooks): void {
  const behaviour: PodBehaviour = {
    name: `${hooks.name}/${env.pod.name}`,
    matches: (pod) => pod.metadata.uid === env.pod.uid,
    probe: (_pod, _c, kind) => (kind === 'startup' ? undefined : hooks.healthy() ? 'success' : 'failure'),
    shutdownMs: () => Infinity,
    onContainerStopping: (_pod, c) => hooks.sigterm(c.name),
  };
  const unregister = env.system.runtime.register(behaviour);
  ctx.onStop(unregister);
}
