// Knative's own components run as the processes of their Deployments' pods: when the kubelet starts
// a system pod's main container, the component named `<app>/<pod>` starts (a new incarnation each
// time the container starts); when the container stops, the incarnation dies with it. So a crashed
// or deleted activator pod, a lost node or a scaled-down autoscaler Deployment act on the simulated
// Knative exactly as on a real cluster. Each incarnation runs the release its container's image
// names (release-image.ts), so pods rolled out by an upgrade run the new release's behaviour while
// the old pods still run the old one.

import type { KubeObject } from '../apiserver/types.js';
import type { Component, ComponentContext } from '../client/component.js';
import type { PodBehaviour, ProbeOutcome } from '../kube/pod-runtime.js';
import { releaseOfImage } from './release-image.js';
import { KNATIVE_NAMESPACE, type KnativeComponentEnv, type PodIdentity, type ServingSystem } from './serving-system.js';
import { KnativeProfile } from './versions.js';

export type ComponentSetup = (ctx: ComponentContext, env: KnativeComponentEnv) => void;

export interface SystemComponentSpec {
  /** The `app` label of the Deployment's pods and the name of its main container. */
  app: string;
  setup: ComponentSetup;
  /** Time from container start until the process answers probes. */
  startMs: number;
  /**
   * Time from SIGTERM until the process exits, for processes that do not model their own
   * lifecycle. Leave it out for those that do (the activator and the ingress gateway register
   * their own readiness, SIGTERM drain and exit with the pod runtime).
   */
  drainMs?: number;
}

/** A PodBehaviour that runs the given components in the system namespace's pods. */
export function systemPodsBehaviour(system: ServingSystem, specs: readonly SystemComponentSpec[]): PodBehaviour {
  const byApp = new Map(specs.map((s) => [s.app, s]));
  const components = new Map<string, Component>();
  /** The environment of each component's current incarnation (set at every container start). */
  const envs = new Map<string, KnativeComponentEnv>();
  const draining = new Set<string>();
  const specOf = (pod: KubeObject): SystemComponentSpec | undefined =>
    pod.metadata.namespace === KNATIVE_NAMESPACE ? byApp.get(pod.metadata.labels?.app ?? '') : undefined;
  const isMain = (pod: KubeObject, container: string): boolean => specOf(pod)?.app === container;

  return {
    name: 'knative-system-pods',
    matches: (pod) => specOf(pod) !== undefined,
    appStartMs: (pod, c) => (isMain(pod, c.name) ? specOf(pod)!.startMs : undefined),
    probe: (pod, c): ProbeOutcome | undefined => {
      if (!isMain(pod, c.name) || specOf(pod)!.drainMs === undefined) return undefined;
      // A process without its own lifecycle model stops answering probes once it got SIGTERM.
      return draining.has(pod.metadata.uid!) ? 'failure' : undefined;
    },
    shutdownMs: (pod, c) => (isMain(pod, c.name) ? specOf(pod)!.drainMs : undefined),
    onContainerStarted: (pod, c) => {
      if (!isMain(pod, c.name)) return;
      const spec = specOf(pod)!;
      const sandbox = system.runtime.sandbox(pod.metadata.uid!)?.sandbox;
      const identity: PodIdentity = {
        name: pod.metadata.name!, namespace: pod.metadata.namespace!, uid: pod.metadata.uid!,
        ip: sandbox?.ip ?? pod.status?.podIP ?? '', nodeName: c.nodeName,
      };
      draining.delete(identity.uid);
      const release = releaseOfImage(c.image);
      const profile = release === undefined ? system.profile : new KnativeProfile(release);
      const name = `${spec.app}/${identity.name}`;
      envs.set(name, { system, pod: identity, profile });
      let component = components.get(name);
      if (component === undefined) {
        component = system.cluster.addComponent({ name, start: false, setup: (ctx) => spec.setup(ctx, envs.get(name)!) });
        components.set(name, component);
      }
      component.start();
    },
    onContainerStopping: (pod, c) => {
      if (isMain(pod, c.name)) draining.add(pod.metadata.uid!);
    },
    onContainerStopped: (pod, c) => {
      if (!isMain(pod, c.name)) return;
      components.get(`${specOf(pod)!.app}/${pod.metadata.name}`)?.crash();
    },
  };
}
