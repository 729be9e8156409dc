// Installs Knative Serving into a simulated cluster that already runs the Kubernetes models: the
// data-plane network, the queue-proxy behaviour for revision pods, the launcher that runs the
// controller, autoscaler, activator and ingress gateway in their Deployments' pods, and the
// installation's objects (namespace, ConfigMaps, Deployments, Services). The control plane then comes
// up the way a real one does: the scheduler places its pods, kubelets start them, and each
// component starts when its container does.

import type { SimCluster } from '../../client/sim-cluster.js';
import { HttpNetwork, type HttpNetworkOptions } from '../../dataplane/http-network.js';
import type { RequestOutcome, SimRequest } from '../../dataplane/request.js';
import type { Kube } from '../../kube/install-kube.js';
import { NAMESPACES, CONFIGMAPS, DEPLOYMENTS, SERVICES } from '../../kube/resources.js';
import { setupActivator } from '../activator-component/setup-activator.js';
import { setupAutoscaler } from '../autoscaler-component/autoscaler.js';
import { setupServingController } from '../controller/serving-controller.js';
import { IngressClient } from '../ingress/send-through-ingress.js';
import { setupIngressGateway } from '../ingress/setup-ingress-gateway.js';
import { queueProxyBehaviour, type QueueProxyBehaviour, type QueueProxyBehaviourOptions } from '../queue-proxy/queue-proxy-behaviour.js';
import type { ServingSystem } from '../serving-system.js';
import { systemPodsBehaviour } from '../system-pods.js';
import { KnativeProfile, parseRelease } from '../versions.js';
import { servingManifests } from './serving-manifests.js';

export interface InstallServingOptions {
  /** Knative release profile, e.g. `1.11`, `0.16` or `latest` (default). */
  release?: string;
  replicas?: Partial<{ controller: number; autoscaler: number; activator: number; gateway: number }>;
  /** ConfigMap data by ConfigMap name, merged over the release defaults. */
  config?: Record<string, Record<string, string>>;
  http?: HttpNetworkOptions;
  queueProxy?: QueueProxyBehaviourOptions;
  /** Called with every user request's outcome. */
  onRequestDone?: (outcome: RequestOutcome) => void;
}

export interface Serving {
  system: ServingSystem;
  queueProxy: QueueProxyBehaviour;
  /** Sends a request through the ingress, as a client outside the cluster would. */
  send(req: SimRequest, done: (outcome: RequestOutcome) => void): void;
}

/** Process start-up times of the system components (no upstream figure: an assumption, documented). */
const START_MS = { controller: 1_500, autoscaler: 1_500, activator: 1_000, gateway: 1_000 };

export function installServing(cluster: SimCluster, kube: Kube, options: InstallServingOptions = {}): Serving {
  const release = parseRelease(options.release ?? 'latest');
  const listeners: ((o: RequestOutcome) => void)[] = options.onRequestDone ? [options.onRequestDone] : [];
  const system: ServingSystem = {
    cluster,
    http: new HttpNetwork(cluster.sim, options.http),
    runtime: kube.runtime,
    profile: new KnativeProfile(release),
    onRequestDone: (outcome) => { for (const fn of listeners) fn(outcome); },
    activators: new Map(),
  };
  kube.runtime.register(systemPodsBehaviour(system, [
    { app: 'controller', setup: setupServingController, startMs: START_MS.controller, drainMs: 1_000 },
    { app: 'autoscaler', setup: setupAutoscaler, startMs: START_MS.autoscaler, drainMs: 1_000 },
    { app: 'activator', setup: (ctx, env) => void setupActivator(ctx, env), startMs: START_MS.activator },
    { app: 'ingress-gateway', setup: (ctx, env) => void setupIngressGateway(ctx, env), startMs: START_MS.gateway },
  ]));
  const queueProxy = queueProxyBehaviour(system, options.queueProxy);
  kube.runtime.register(queueProxy);

  const manifests = servingManifests({
    release,
    replicas: { controller: 1, autoscaler: 1, activator: 1, gateway: 1, ...options.replicas },
    config: options.config ?? {},
  });
  const byKind = { Namespace: NAMESPACES, ConfigMap: CONFIGMAPS, Deployment: DEPLOYMENTS, Service: SERVICES } as const;
  for (const obj of manifests) cluster.api.create(byKind[obj.kind as keyof typeof byKind], obj);
  const ingress = new IngressClient(system);
  return { system, queueProxy, send: (req, done) => ingress.send(req, done) };
}
