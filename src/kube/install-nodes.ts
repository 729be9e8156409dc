// Wiring: the scheduler and one kubelet per node, as components of a SimCluster. The lead adds the
// controller manager (garbage collector, node lifecycle, workload controllers) separately.
//
//   const runtime = new PodRuntime();
//   const nodes = installKubeNodes(cluster, { nodes: defaultNodes(3), runtime });
//
// Components: `kube-scheduler`, and `kubelet/<node>` for each node (the i-th node, from 0, gets pod
// CIDR 10.244.<i+1>.0/24 and host IP 172.18.0.<i+3>, leaving 10.244.0.0/24 to a control-plane
// node). The result is also what the pod faults (pod-faults.ts) take as their environment.

import type { Component } from '../client/component.js';
import type { SimCluster } from '../client/sim-cluster.js';
import { setupKubelet } from './kubelet.js';
import type { KubeletTimingsOverrides } from './kubelet-timings.js';
import { PodRuntime } from './pod-runtime.js';
import { setupScheduler, type SchedulerOptions } from './scheduler.js';
import type { Taint } from './taints.js';

export interface NodeConfig {
  name: string;
  /** Capacity, e.g. 4 or "3500m". */
  cpu: string | number;
  /** Capacity, e.g. "16Gi". */
  memory: string | number;
  pods: number;
  labels?: Record<string, string>;
  taints?: Taint[];
}

export interface InstallKubeNodesOptions {
  nodes: readonly NodeConfig[];
  /** Where the pods' process behaviour comes from; a fresh generic one by default. */
  runtime?: PodRuntime;
  /** Cluster-wide timing overrides, applied to the runtime. */
  timings?: KubeletTimingsOverrides;
  scheduler?: SchedulerOptions | false;
  /** Record kubelet and scheduler Events. Default true. */
  events?: boolean;
}

export interface KubeNodes {
  cluster: SimCluster;
  runtime: PodRuntime;
  scheduler?: Component;
  kubelets: Map<string, Component>;
}

/** `n` worker nodes named node-1 … node-n: 4 CPUs, 16Gi, 110 pods each (a kind worker's defaults, roughly). */
export function defaultNodes(n: number): NodeConfig[] {
  return Array.from({ length: n }, (_, i) => ({ name: `node-${i + 1}`, cpu: 4, memory: '16Gi', pods: 110 }));
}

export function installKubeNodes(cluster: SimCluster, options: InstallKubeNodesOptions): KubeNodes {
  const runtime = options.runtime ?? new PodRuntime();
  if (options.timings) runtime.configure(options.timings);
  const events = options.events ?? true;
  const result: KubeNodes = { cluster, runtime, kubelets: new Map() };
  if (options.scheduler !== false) {
    const schedulerOptions = { events, ...(options.scheduler ?? {}) };
    result.scheduler = cluster.addComponent({ name: 'kube-scheduler', setup: (ctx) => void setupScheduler(ctx, schedulerOptions) });
  }
  options.nodes.forEach((node, i) => {
    const component = cluster.addComponent({
      name: `kubelet/${node.name}`,
      setup: (ctx) => void setupKubelet(ctx, {
        nodeName: node.name, runtime, cpu: node.cpu, memory: node.memory, pods: node.pods,
        labels: node.labels, taints: node.taints, nodeIndex: i + 1, events,
      }),
    });
    result.kubelets.set(node.name, component);
  });
  return result;
}
