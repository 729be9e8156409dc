// Builders for the ported Deployment tables: Deployments and ReplicaSets as plain API objects,
// after the helpers of k8s.io/kubernetes pkg/controller/deployment/deployment_controller_test.go
// (newDeployment, rs) and util/deployment_util_test.go (generateDeployment, generateRS).
import type { KubeObject } from '../../src/apiserver/types.js';
import { formatSimTime } from '../../src/sim/time-format.js';

export interface DeploymentShape {
  name?: string;
  replicas?: number;
  strategy?: 'RollingUpdate' | 'Recreate';
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  selector?: Record<string, string>;
  templateLabels?: Record<string, string>;
  generation?: number;
  status?: Record<string, unknown>;
  annotations?: Record<string, string>;
}

/** newDeployment: RollingUpdate with maxSurge and maxUnavailable 0 unless given. */
export function newDeployment(shape: DeploymentShape = {}): KubeObject {
  const labels = shape.templateLabels ?? shape.selector ?? { foo: 'bar' };
  const strategy = shape.strategy ?? 'RollingUpdate';
  const spec: Record<string, unknown> = {
    replicas: shape.replicas ?? 1,
    selector: { matchLabels: shape.selector ?? labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    strategy: strategy === 'RollingUpdate'
      ? { type: strategy, rollingUpdate: { maxSurge: shape.maxSurge ?? 0, maxUnavailable: shape.maxUnavailable ?? 0 } }
      : { type: strategy },
  };
  if (shape.progressDeadlineSeconds !== undefined) spec.progressDeadlineSeconds = shape.progressDeadlineSeconds;
  if (shape.revisionHistoryLimit !== undefined) spec.revisionHistoryLimit = shape.revisionHistoryLimit;
  const metadata: KubeObject['metadata'] = { name: shape.name ?? 'foo', namespace: 'default', uid: 'deployment-uid', generation: shape.generation ?? 0 };
  if (shape.annotations) metadata.annotations = shape.annotations;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec, status: shape.status ?? {} };
}

export interface ReplicaSetShape {
  createdMs?: number;
  status?: Record<string, unknown>;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  template?: Record<string, unknown>;
  uid?: string;
  generation?: number;
}

/** rs(name, replicas, selector, timestamp) with optional status and annotations. */
export function rs(name: string, replicas: number, shape: ReplicaSetShape = {}): KubeObject {
  const metadata: KubeObject['metadata'] = { name, namespace: 'default', uid: shape.uid ?? `uid-${name}` };
  if (shape.createdMs !== undefined) metadata.creationTimestamp = formatSimTime(shape.createdMs);
  if (shape.annotations) metadata.annotations = { ...shape.annotations };
  if (shape.labels) metadata.labels = shape.labels;
  if (shape.generation !== undefined) metadata.generation = shape.generation;
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata,
    spec: { replicas, selector: { matchLabels: shape.labels ?? {} }, template: shape.template ?? {} },
    status: shape.status ?? {},
  };
}
