// Defaulting for the built-in kinds, the subset the simulated controllers read (k8s.io/kubernetes
// pkg/apis/core/v1/defaults.go SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Service,
// SetDefaults_Namespace; pkg/apis/apps/v1/defaults.go SetDefaults_Deployment,
// SetDefaults_ReplicaSet). Upstream defaults every decoded write; so do we. Each function is
// idempotent and only fills fields that are absent.
import type { KubeObject } from './types.js';

type Json = Record<string, any>;

function objectAt(parent: Json, key: string): Json {
  if (typeof parent[key] !== 'object' || parent[key] === null) parent[key] = {};
  return parent[key] as Json;
}

function setIfAbsent(target: Json, key: string, value: unknown): void {
  if (target[key] === undefined) target[key] = value;
}

/** SetDefaults_Container imagePullPolicy: Always for `:latest` or an untagged image, else IfNotPresent. */
function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon < 0 || lastSegment.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

export function defaultPodSpec(spec: Json): void {
  setIfAbsent(spec, 'restartPolicy', 'Always');
  setIfAbsent(spec, 'terminationGracePeriodSeconds', 30);
  setIfAbsent(spec, 'dnsPolicy', 'ClusterFirst');
  setIfAbsent(spec, 'schedulerName', 'default-scheduler');
  for (const list of ['initContainers', 'containers']) {
    if (!Array.isArray(spec[list])) continue;
    for (const container of spec[list] as Json[]) {
      if (typeof container !== 'object' || container === null) continue;
      setIfAbsent(container, 'imagePullPolicy', defaultPullPolicy(container.image));
      setIfAbsent(container, 'terminationMessagePath', '/dev/termination-log');
      setIfAbsent(container, 'terminationMessagePolicy', 'File');
    }
  }
}

export function defaultPod(obj: KubeObject): void {
  defaultPodSpec(objectAt(obj, 'spec'));
}

function defaultTemplate(spec: Json): void {
  const template = objectAt(spec, 'template');
  defaultPodSpec(objectAt(template, 'spec'));
}

export function defaultDeployment(obj: KubeObject): void {
  const spec = objectAt(obj, 'spec');
  setIfAbsent(spec, 'replicas', 1);
  setIfAbsent(spec, 'revisionHistoryLimit', 10);
  setIfAbsent(spec, 'progressDeadlineSeconds', 600);
  const strategy = objectAt(spec, 'strategy');
  setIfAbsent(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = objectAt(strategy, 'rollingUpdate');
    setIfAbsent(rolling, 'maxUnavailable', '25%');
    setIfAbsent(rolling, 'maxSurge', '25%');
  }
  defaultTemplate(spec);
}

export function defaultReplicaSet(obj: KubeObject): void {
  const spec = objectAt(obj, 'spec');
  setIfAbsent(spec, 'replicas', 1);
  defaultTemplate(spec);
}

export function defaultService(obj: KubeObject): void {
  const spec = objectAt(obj, 'spec');
  setIfAbsent(spec, 'type', 'ClusterIP');
  setIfAbsent(spec, 'sessionAffinity', 'None');
  if (!Array.isArray(spec.ports)) return;
  for (const port of spec.ports as Json[]) {
    if (typeof port !== 'object' || port === null) continue;
    setIfAbsent(port, 'protocol', 'TCP');
    setIfAbsent(port, 'targetPort', port.port);
  }
}

/** SetDefaults_Namespace: the immutable kubernetes.io/metadata.name label. */
export function defaultNamespace(obj: KubeObject): void {
  if (!obj.metadata.name) return;
  const labels = (obj.metadata.labels ??= {});
  labels['kubernetes.io/metadata.name'] = obj.metadata.name;
}
