// What a fault acts on: the simulated cluster (its network, components and API server), the
// Kubernetes models (the pod runtime the kubelets drive) and the installed Knative Serving.

import type { SimCluster } from '../client/sim-cluster.js';
import type { Serving } from '../knative/install/install-serving.js';
import type { Kube } from '../kube/install-kube.js';

export interface FaultWorld {
  cluster: SimCluster;
  kube: Kube;
  serving: Serving;
  /** The release the run is for (what `upgrade: {to: under-test}` means). */
  releaseUnderTest?: string;
}
