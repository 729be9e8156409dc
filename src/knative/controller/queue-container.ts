// The queue-proxy sidecar of a Revision's pods (knative/serving pkg/reconciler/revision/resources/
// queue.go makeQueueContainer, createQueueResources): image from config-deployment; ports 9090
// (autoscaler metrics), 9091 (user metrics), the serving port 8012 (8013 for h2c) and 8112
// (https); a readiness probe that is the user's probe with its handler replaced by an HTTP GET on
// the serving port with `K-Network-Probe: queue` (so queue-proxy runs the user's probe itself,
// encoded in SERVING_READINESS_PROBE); the environment queue-proxy reads (namespace, names,
// ports, CONTAINER_CONCURRENCY, the revision timeouts, USER_PORT, ...); requests from
// config-deployment (cpu 25m) and the queue.sidecar.serving.knative.dev resource annotations.
// Not modelled: the deprecated resource-percentage annotation, profiling port, token and cert
// volumes, multi-container probing.

import type { KubeObject } from '../../apiserver/types.js';
import type { DeploymentConfig } from '../config/deployment-config.js';
import { LABELS } from '../apis/serving-labels.js';
import { KNATIVE_NAMESPACE } from '../serving-system.js';
import { jsonClone } from './json-clone.js';
import { controllerOf } from './owner-refs.js';
import { applyReadinessProbeDefaults, encodeProbe } from './probe-encoding.js';
import { servingContainer } from './revision-meta.js';
import { revisionProtocol } from './traffic-config.js';

type Json = Record<string, any>;

export const QUEUE_CONTAINER_NAME = 'queue-proxy';
export const DEFAULT_USER_PORT = 8080;
const QUEUE_ANNOTATION = 'queue.sidecar.serving.knative.dev';

/** getUserPort: the serving container's first containerPort, else 8080. */
export function userPort(rev: KubeObject): number {
  const port = servingContainer(rev).ports?.[0]?.containerPort;
  return typeof port === 'number' && port !== 0 ? port : DEFAULT_USER_PORT;
}

/** The resource annotations of each resource queue-proxy asks for, built once. */
const RESOURCE_ANNOTATIONS = (['cpu', 'memory', 'ephemeral-storage'] as const).map((name) => ({
  name, request: `${QUEUE_ANNOTATION}/${name}-resource-request`, limit: `${QUEUE_ANNOTATION}/${name}-resource-limit`,
}));

function queueResources(cfg: DeploymentConfig, annotations: Readonly<Record<string, string>>): Json {
  const requests: Json = {};
  const limits: Json = {};
  const fromConfig: Record<(typeof RESOURCE_ANNOTATIONS)[number]['name'], [string | null, string | null]> = {
    cpu: [cfg.queueSidecarCpuRequest, cfg.queueSidecarCpuLimit],
    memory: [cfg.queueSidecarMemoryRequest, cfg.queueSidecarMemoryLimit],
    'ephemeral-storage': [cfg.queueSidecarEphemeralStorageRequest, cfg.queueSidecarEphemeralStorageLimit],
  };
  for (const keys of RESOURCE_ANNOTATIONS) {
    const [request, limit] = fromConfig[keys.name];
    const name = keys.name;
    if (request !== null) requests[name] = request;
    if (limit !== null) limits[name] = limit;
    const req = annotations[keys.request];
    const lim = annotations[keys.limit];
    if (req) requests[name] = req;
    if (lim) limits[name] = lim;
  }
  return Object.keys(limits).length > 0 ? { requests, limits } : { requests };
}

/** The user probe queue-proxy runs and the kubelet probe on queue-proxy; both undefined without a probe. */
function readinessProbes(rev: KubeObject, servingPort: number): { user?: Json; queue?: Json } {
  const probe: Json | undefined = servingContainer(rev).readinessProbe;
  if (probe === undefined) return {};
  let port = userPort(rev);
  if (probe.httpGet?.port) port = probe.httpGet.port;
  if (probe.tcpSocket?.port) port = probe.tcpSocket.port;
  if ((probe.grpc?.port ?? 0) > 0) port = probe.grpc.port;
  const user = jsonClone(probe);
  applyReadinessProbeDefaults(user, port);
  const queue = jsonClone(probe);
  for (const handler of ['exec', 'httpGet', 'tcpSocket', 'grpc']) delete queue[handler];
  queue.httpGet = { port: servingPort, httpHeaders: [{ name: 'K-Network-Probe', value: 'queue' }] };
  return { user, queue };
}

function env(rev: KubeObject, servingPort: number, userProbe: Json | undefined, cfg: DeploymentConfig): Json[] {
  const owner = controllerOf(rev);
  const field = (fieldPath: string): Json => ({ valueFrom: { fieldRef: { fieldPath } } });
  return [
    { name: 'SERVING_NAMESPACE', value: rev.metadata.namespace },
    { name: 'SERVING_SERVICE', value: rev.metadata.labels?.[LABELS.service] ?? '' },
    { name: 'SERVING_CONFIGURATION', value: owner?.kind === 'Configuration' ? owner.name : '' },
    { name: 'SERVING_REVISION', value: rev.metadata.name },
    { name: 'QUEUE_SERVING_PORT', value: String(servingPort) },
    { name: 'QUEUE_SERVING_TLS_PORT', value: '8112' },
    { name: 'CONTAINER_CONCURRENCY', value: String(rev.spec?.containerConcurrency ?? 0) },
    { name: 'REVISION_TIMEOUT_SECONDS', value: String(rev.spec?.timeoutSeconds ?? 0) },
    { name: 'REVISION_RESPONSE_START_TIMEOUT_SECONDS', value: String(rev.spec?.responseStartTimeoutSeconds ?? 0) },
    { name: 'REVISION_IDLE_TIMEOUT_SECONDS', value: String(rev.spec?.idleTimeoutSeconds ?? 0) },
    { name: 'SERVING_POD', ...field('metadata.name') },
    { name: 'SERVING_POD_IP', ...field('status.podIP') },
    { name: 'SERVING_LOGGING_CONFIG', value: '' },
    { name: 'SERVING_LOGGING_LEVEL', value: '' },
    { name: 'USER_PORT', value: String(userPort(rev)) },
    { name: 'SYSTEM_NAMESPACE', value: KNATIVE_NAMESPACE },
    { name: 'SERVING_READINESS_PROBE', value: userProbe ? encodeProbe(userProbe) : '' },
    { name: 'HOST_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.hostIP' } } },
    { name: 'ENABLE_HTTP2_AUTO_DETECTION', value: 'false' },
    { name: 'ENABLE_HTTP_FULL_DUPLEX', value: 'false' },
    { name: 'ROOT_CA', value: cfg.queueSidecarRootCA },
    { name: 'QUEUE_PROXY_TLS_MIN_VERSION', value: cfg.queueSidecarTlsMinVersion },
    { name: 'QUEUE_PROXY_TLS_MAX_VERSION', value: cfg.queueSidecarTlsMaxVersion },
    { name: 'QUEUE_PROXY_TLS_CIPHER_SUITES', value: cfg.queueSidecarTlsCipherSuites },
    { name: 'QUEUE_PROXY_TLS_CURVE_PREFERENCES', value: cfg.queueSidecarTlsCurvePreferences },
    { name: 'ENABLE_MULTI_CONTAINER_PROBES', value: 'false' },
    { name: 'OBSERVABILITY_CONFIG', value: '{}' },
  ];
}

export function makeQueueContainer(rev: KubeObject, cfg: DeploymentConfig): Json {
  const servingPort = revisionProtocol(rev) === 'h2c' ? 8013 : 8012;
  const probes = readinessProbes(rev, servingPort);
  const container: Json = {
    name: QUEUE_CONTAINER_NAME,
    image: cfg.queueSidecarImage,
    resources: queueResources(cfg, rev.metadata.annotations ?? {}),
    ports: [
      { name: 'http-autometric', containerPort: 9090 },
      { name: 'http-usermetric', containerPort: 9091 },
      { name: 'queue-port', containerPort: servingPort },
      { name: 'https-port', containerPort: 8112 },
    ],
    securityContext: {
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    },
    env: env(rev, servingPort, probes.user, cfg),
  };
  if (probes.queue) container.readinessProbe = probes.queue;
  return container;
}
