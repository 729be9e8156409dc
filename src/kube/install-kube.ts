// A whole simulated Kubernetes: the kube-controller-manager (garbage collector, namespace,
// Deployment, ReplicaSet, Endpoints, EndpointSlice and node lifecycle controllers), the scheduler
// and one kubelet per node, all components of one SimCluster.
//
//   const kube = installKube(cluster, { nodes: defaultNodes(3) });
//   kube.runtime.register(myPodBehaviour);

import type { Component } from '../client/component.js';
import type { SimCluster } from '../client/sim-cluster.js';
import { setupDeploymentController } from './deployment-controller.js';
import { setupEndpointsController } from './endpoints-controller.js';
import { setupEndpointSliceController } from './endpointslice-controller.js';
import { setupGarbageCollector } from './garbage-collector.js';
import { defaultNodes, installKubeNodes, type InstallKubeNodesOptions, type KubeNodes } from './install-nodes.js';
import { setupNamespaceController } from './namespace-controller.js';
import { setupNodeLifecycleController } from './node-lifecycle-controller.js';
import { setupReplicaSetController } from './replicaset-controller.js';

export interface InstallKubeOptions extends Partial<InstallKubeNodesOptions> {
  /** Run the EndpointSlice controller too (nothing in the Knative models reads slices). Default false. */
  endpointSlices?: boolean;
}

export interface Kube extends KubeNodes {
  controllerManager: Component;
}

export function installKube(cluster: SimCluster, options: InstallKubeOptions = {}): Kube {
  const events = options.events ?? true;
  const controllerManager = cluster.addComponent({
    name: 'kube-controller-manager',
    setup: (ctx) => {
      setupGarbageCollector(ctx);
      setupNamespaceController(ctx);
      setupDeploymentController(ctx, { events });
      setupReplicaSetController(ctx, { events });
      setupEndpointsController(ctx);
      if (options.endpointSlices) setupEndpointSliceController(ctx);
      setupNodeLifecycleController(ctx);
    },
  });
  const nodes = installKubeNodes(cluster, { ...options, nodes: options.nodes ?? defaultNodes(3), events });
  return { ...nodes, controllerManager };
}
