// `cluster:` of a scenario: the nodes (a count, named as installKubeNodes' defaultNodes names them, or
// a list), the kubelet timing overrides (KubeletTimings with the unit suffix dropped from the YAML
// key), and the replicas of Knative's system Deployments.

import { dns1123SubdomainErrors } from '../apiserver/name-validation.js';
import { DEFAULT_KUBELET_TIMINGS, type KubeletTimingsOverrides } from '../kube/kubelet-timings.js';
import { defaultNodes, type NodeConfig } from '../kube/install-nodes.js';
import { intValue, milliValue } from '../kube/resource-quantity.js';
import { quantitySyntaxError } from '../knative/config/quantity-syntax.js';
import type { FieldReader } from './field-reader.js';
import { podTimingKey } from './schema.js';
import { isPlainObject } from './schema-check.js';
import type { ClusterSpec, NodeSpec } from './types.js';

const DEFAULT_NODE_COUNT = 3;

function nodeSpec(config: NodeConfig): NodeSpec {
  return { name: config.name, cpuMilli: milliValue(config.cpu), memoryBytes: intValue(config.memory), pods: config.pods, labels: { ...(config.labels ?? {}) } };
}

function quantity(reader: FieldReader, path: (string | number)[], value: unknown, toNumber: (q: string | number) => number): number | undefined {
  if (typeof value === 'string') {
    const problem = quantitySyntaxError(value);
    if (problem !== null) return reader.fail(path, `${problem}, got "${value}"`);
  }
  const n = toNumber(value as string | number);
  if (!Number.isFinite(n) || n <= 0) return reader.fail(path, `must be a positive quantity, got ${JSON.stringify(value)}`);
  return n;
}

function buildNodes(reader: FieldReader, value: unknown): NodeSpec[] {
  if (value === undefined || typeof value === 'number') return defaultNodes(typeof value === 'number' ? value : DEFAULT_NODE_COUNT).map(nodeSpec);
  const base = nodeSpec(defaultNodes(1)[0]);
  const nodes: NodeSpec[] = [];
  const seen = new Set<string>();
  (value as Record<string, unknown>[]).forEach((raw, i) => {
    const path = ['cluster', 'nodes', i];
    const name = raw.name as string;
    const nameProblems = dns1123SubdomainErrors(name);
    if (nameProblems.length > 0) reader.fail([...path, 'name'], `invalid node name "${name}": ${nameProblems.join('; ')}`);
    if (seen.has(name)) reader.fail([...path, 'name'], `duplicate node name "${name}"`);
    seen.add(name);
    const cpuMilli = raw.cpu === undefined ? base.cpuMilli : quantity(reader, [...path, 'cpu'], raw.cpu, milliValue);
    const memoryBytes = raw.memory === undefined ? base.memoryBytes : quantity(reader, [...path, 'memory'], raw.memory, intValue);
    nodes.push({
      name, cpuMilli: cpuMilli ?? base.cpuMilli, memoryBytes: memoryBytes ?? base.memoryBytes,
      pods: typeof raw.pods === 'number' ? raw.pods : base.pods, labels: { ...((raw.labels as Record<string, string> | undefined) ?? {}) },
    });
  });
  return nodes;
}

function buildPodTimings(reader: FieldReader, value: Record<string, unknown> | undefined): KubeletTimingsOverrides {
  const out: Record<string, unknown> = {};
  if (value === undefined) return {};
  for (const [field, defaultValue] of Object.entries(DEFAULT_KUBELET_TIMINGS)) {
    const key = podTimingKey(field);
    if (!Object.hasOwn(value, key)) continue;
    const path = ['cluster', 'podTimings', key];
    const raw = value[key];
    if (typeof defaultValue === 'object') {
      if (isPlainObject(raw)) {
        const delay: { ms?: number; jitterMs?: number } = {};
        if (raw.ms !== undefined) delay.ms = reader.duration([...path, 'ms'], raw.ms);
        if (raw.jitter !== undefined) delay.jitterMs = reader.duration([...path, 'jitter'], raw.jitter);
        out[field] = delay;
      } else {
        const ms = reader.duration(path, raw);
        if (ms !== undefined) out[field] = { ms };
      }
    } else {
      const ms = reader.duration(path, raw);
      if (ms === undefined) continue;
      if (field.endsWith('S') && !field.endsWith('Ms')) {
        if (ms % 1000 !== 0) reader.fail(path, 'must be whole seconds');
        out[field] = Math.floor(ms / 1000);
      } else {
        out[field] = ms;
      }
    }
  }
  return out as KubeletTimingsOverrides;
}

export function buildCluster(reader: FieldReader, raw: Record<string, unknown> | undefined): ClusterSpec {
  const cluster = raw ?? {};
  const replicas = (cluster.knative ?? {}) as Record<string, number | undefined>;
  return {
    nodes: buildNodes(reader, cluster.nodes),
    podTimings: buildPodTimings(reader, cluster.podTimings as Record<string, unknown> | undefined),
    knativeReplicas: {
      controller: replicas.controller ?? 1, autoscaler: replicas.autoscaler ?? 1,
      activator: replicas.activator ?? 1, gateway: replicas.gateway ?? 1,
    },
  };
}
