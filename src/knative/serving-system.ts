// What every simulated Knative component shares: the cluster it runs in, the data-plane network its
// pods talk over, the pod runtime (through which the kubelet starts and stops the processes inside
// pods), and the release installed. Each Knative component runs as the process of a pod of its
// upstream Deployment (controller, autoscaler, activator, the ingress gateway), so a pod crash, a
// node loss or a scale-down of that Deployment stops it like on a real cluster;
// `KnativeComponentEnv.pod` says which pod an incarnation runs in, and `KnativeComponentEnv.profile`
// which release it runs: the one its container's image names, read when the process starts. During
// an upgrade (a rolling update of the system Deployments) old and new processes run side by side,
// each with its own release's behaviour.

import type { SimCluster } from '../client/sim-cluster.js';
import type { HttpNetwork } from '../dataplane/http-network.js';
import type { RequestOutcome } from '../dataplane/request.js';
import type { PodRuntime } from '../kube/pod-runtime.js';
import type { KnativeProfile } from './versions.js';

export const KNATIVE_NAMESPACE = 'knative-serving';

/** Ports as in knative/serving pkg/networking/constants.go and the queue-proxy/activator manifests. */
export const PORTS = {
  /** queue-proxy and activator HTTP/1 serving port. */
  http1: 8012,
  /** queue-proxy HTTP/2 (h2c) serving port. */
  h2c: 8013,
  /** queue-proxy metrics (autoscaler scrapes :9090/metrics). */
  metrics: 9090,
  /** queue-proxy admin port (`/wait-for-drain`). */
  queueAdmin: 8022,
  /** autoscaler websocket stat server. */
  autoscalerStats: 8080,
  /** the user container's port (PORT env, default 8080). */
  userDefault: 8080,
} as const;

/** queue.CertDirectory: where queue-proxy looks for its serving certificate (tls.crt, tls.key). */
export const QUEUE_CERT_DIRECTORY = '/var/lib/knative/certs';

export interface ServingSystem {
  readonly cluster: SimCluster;
  readonly http: HttpNetwork;
  readonly runtime: PodRuntime;
  /**
   * The release installServing installed. What a running component does is decided by its own
   * `KnativeComponentEnv.profile` (its image's release), which differs from this after an upgrade;
   * this is the fallback for a process whose image names no release.
   */
  readonly profile: KnativeProfile;
  /** Every user request's outcome, as it completes (the history records these). */
  readonly onRequestDone: (outcome: RequestOutcome) => void;
  /** The activators running now, by pod name (what a metrics scrape of every activator would show). */
  readonly activators: Map<string, { readonly throttler: { get(key: string): { readonly breaker: { readonly pending: number } } | undefined } }>;
}

/** The pod an incarnation of a Knative component runs in. */
export interface PodIdentity {
  name: string;
  namespace: string;
  uid: string;
  ip: string;
  nodeName: string;
}

export interface KnativeComponentEnv {
  system: ServingSystem;
  pod: PodIdentity;
  /** The release this incarnation runs: its container image's (read at process start). */
  profile: KnativeProfile;
}
