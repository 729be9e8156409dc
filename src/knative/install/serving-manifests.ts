// The objects a Knative Serving installation puts in the cluster (knative/serving config/core/*.yaml,
// reduced to what the simulation reads): the knative-serving namespace, its ConfigMaps with the
// release defaults (a user's overrides are merged in), the controller, autoscaler and activator
// Deployments, an ingress gateway Deployment standing in for net-kourier, and their Services.

import type { KubeObject } from '../../apiserver/types.js';
import { releaseImage } from '../release-image.js';
import { KNATIVE_NAMESPACE, PORTS } from '../serving-system.js';
import type { Release } from '../versions.js';

export interface ServingManifestOptions {
  release: Release;
  replicas: { controller: number; autoscaler: number; activator: number; gateway: number };
  /** ConfigMap data overrides by ConfigMap name (config-autoscaler, config-deployment, ...). */
  config: Record<string, Record<string, string>>;
}

/** Data every installation starts with. Knative ships these ConfigMaps with only an `_example` key. */
const CONFIG_MAPS = ['config-autoscaler', 'config-deployment', 'config-defaults', 'config-domain', 'config-network', 'config-features', 'config-gc'];

const NS = KNATIVE_NAMESPACE;

function systemDeployment(app: string, replicas: number, release: Release, options: { ports?: number[]; graceS?: number; cpu?: string } = {}): KubeObject {
  const labels = { app, 'app.kubernetes.io/name': 'knative-serving', 'app.kubernetes.io/component': app, 'app.kubernetes.io/version': release.name };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: app, namespace: NS, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'controller',
          terminationGracePeriodSeconds: options.graceS ?? 30,
          containers: [{
            name: app,
            image: releaseImage(app, release),
            ports: (options.ports ?? []).map((containerPort) => ({ containerPort })),
            resources: { requests: { cpu: options.cpu ?? '100m', memory: '100Mi' } },
            readinessProbe: { httpGet: { path: '/readiness', port: 8080 }, periodSeconds: 5, failureThreshold: 5 },
          }],
        },
      },
    },
  };
}

function systemService(name: string, app: string, ports: { name: string; port: number; targetPort: number }[]): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name, namespace: NS, labels: { app } },
    spec: { selector: { app }, ports: ports.map((p) => ({ ...p, protocol: 'TCP' })) },
  };
}

/** Every object of the installation, in apply order. */
export function servingManifests(options: ServingManifestOptions): KubeObject[] {
  const { release, replicas } = options;
  const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'app.kubernetes.io/name': 'knative-serving' } } };
  // The release's config-deployment is the one map shipped with a real key: the queue-proxy image
  // (config/core/configmaps/deployment.yaml), which has no default and which the controller and the
  // autoscaler require.
  const shipped: Record<string, Record<string, string>> = { 'config-deployment': { 'queue-sidecar-image': releaseImage('queue', release) } };
  const configMaps = CONFIG_MAPS.map((name): KubeObject => ({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data: { ...(shipped[name] ?? {}), ...(options.config[name] ?? {}) },
  }));
  const unknown = Object.keys(options.config).filter((n) => !CONFIG_MAPS.includes(n));
  if (unknown.length > 0) throw new Error(`unknown Knative ConfigMap(s): ${unknown.join(', ')} (known: ${CONFIG_MAPS.join(', ')})`);
  return [
    namespace,
    ...configMaps,
    systemDeployment('controller', replicas.controller, release),
    systemDeployment('autoscaler', replicas.autoscaler, release, { ports: [PORTS.autoscalerStats] }),
    // config/core/deployments/activator.yaml: terminationGracePeriodSeconds 600, readiness 5 s / 5.
    systemDeployment('activator', replicas.activator, release, { ports: [PORTS.http1, PORTS.h2c], graceS: 600, cpu: '300m' }),
    systemDeployment('ingress-gateway', replicas.gateway, release, { ports: [80] }),
    systemService('activator-service', 'activator', [
      { name: 'http', port: 80, targetPort: PORTS.http1 },
      { name: 'http2', port: 81, targetPort: PORTS.h2c },
    ]),
    systemService('autoscaler', 'autoscaler', [{ name: 'http', port: PORTS.autoscalerStats, targetPort: PORTS.autoscalerStats }]),
    systemService('ingress-gateway', 'ingress-gateway', [{ name: 'http', port: 80, targetPort: 80 }]),
  ];
}
