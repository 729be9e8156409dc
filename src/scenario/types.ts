// The scenario model: what a loaded and validated scenario file says, with every duration in
// milliseconds and every default filled in. The YAML surface (durations as "30s", seeds as a count or
// a list, manifests inline or by file) is described by the JSON Schema in `schema/` and turned into
// this by `loadScenario`; the runner and the backends only ever see this shape.

import type { KubeObject } from '../apiserver/types.js';
import type { Distribution } from '../dataplane/distribution.js';
import type { Load } from '../dataplane/workload.js';
import type { KubeletTimingsOverrides } from '../kube/kubelet-timings.js';

/** Where a value came from in a file a person wrote: for error messages and reports. */
export interface SourceRef {
  file: string;
  /** 1-based line of the value, when known. */
  line?: number;
  /** The field path, as a person would write it: `faults[2].target`. */
  path: string;
}

export interface Scenario {
  /** Absolute path of the scenario file (or `<inline>`). */
  file: string;
  /** Defaults to the file's base name without extension. */
  name: string;
  description?: string;
  /** Knative release profile name as written (`0.16`, `1.11`, `latest`); the command line can override it. */
  knative: string;
  /**
   * Upgrade scenarios: the release installed at the start, when it is not the release under test
   * (`previous`: the release before it, the supported upgrade path). An `upgrade` fault with
   * `to: under-test` then moves the installation to the release under test.
   */
  installed?: string;
  durationMs: number;
  /** Explicit seeds (`seeds: 20` means 1..20). */
  seeds: number[];
  cluster: ClusterSpec;
  /** Applied in order at time 0, right after Knative's own installation objects exist. */
  manifests: ManifestEntry[];
  /** Timed or triggered user actions (kubectl apply / delete) after the start. */
  actions: ActionSpec[];
  workload: WorkloadSpec[];
  faults: FaultSpec[];
  oracles: OracleSpec[];
  /** How often the per-revision series are sampled. Default 1000 ms. */
  sampleEveryMs: number;
}

export interface ClusterSpec {
  nodes: NodeSpec[];
  /** Kubelet timing overrides (ms), merged over DEFAULT_KUBELET_TIMINGS. */
  podTimings: KubeletTimingsOverrides;
  /** Replicas of the Knative system Deployments. Default 1 each. */
  knativeReplicas: { controller: number; autoscaler: number; activator: number; gateway: number };
}

export interface NodeSpec {
  name: string;
  /** Millicores. */
  cpuMilli: number;
  memoryBytes: number;
  /** Max pods. */
  pods: number;
  labels: Record<string, string>;
}

export interface ManifestEntry {
  object: KubeObject;
  source: SourceRef;
}

export interface ActionSpec {
  id: string;
  trigger: Trigger;
  /** Create or update (as `kubectl apply`) these objects. */
  apply?: ManifestEntry[];
  /** Delete these objects. */
  delete?: ObjectRef[];
  source: SourceRef;
}

export interface ObjectRef {
  /** Kind as in manifests: `Service` with apiVersion to tell Knative from core. */
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface WorkloadSpec {
  /** The Knative Service's host, e.g. `hello.default.svc.cluster.local`; from `service: hello` the loader derives it. */
  host: string;
  startMs: number;
  phases: WorkloadPhase[];
  source: SourceRef;
}

export interface WorkloadPhase {
  name: string;
  durationMs: number;
  load: Load;
  serviceTime?: Distribution;
  clientTimeoutMs?: number;
  path?: string;
}

// ---- faults -------------------------------------------------------------------------------------

/** Components a fault can target: Knative's and Kubernetes'. */
export const KNATIVE_COMPONENTS = ['controller', 'autoscaler', 'activator', 'ingress-gateway'] as const;
export const KUBE_COMPONENTS = ['kube-controller-manager', 'kube-scheduler'] as const;
/** Or `kubelet/<node>`. */
export type ComponentName = (typeof KNATIVE_COMPONENTS)[number] | (typeof KUBE_COMPONENTS)[number] | `kubelet/${string}`;

export type FaultSpec = FaultCommon & FaultBody;

export interface FaultCommon {
  /** `name:` in the file, or `fault-<index>`. */
  id: string;
  trigger: Trigger;
  /** When set, the fault heals this long after it fires. */
  durationMs?: number;
  source: SourceRef;
}

/** Which pods a pod fault hits: a revision's pods, or by label selector. `count` picks that many (chooser). */
export interface PodSelector {
  namespace: string;
  revision?: string;
  labels?: Record<string, string>;
  count?: number;
}

export type FaultBody =
  /** The component's process dies; its pod's container restarts as the kubelet does it (durationMs: stays down that long first). */
  | { family: 'crash'; component: ComponentName }
  /** Graceful restart: the component's pods are deleted and their Deployment recreates them. */
  | { family: 'restart'; component: ComponentName }
  /** Crash whichever replica of the component holds its leases. */
  | { family: 'kill-leader'; component: ComponentName }
  /** The component cannot reach the API server (and peers) until healed. */
  | { family: 'partition'; component: ComponentName }
  /** Watch events of these kinds reach the component late. */
  | { family: 'delay-watch'; component: ComponentName; kinds: string[]; delayMs: number }
  /** Watch events of these kinds are withheld from the component until healed (then it sees the latest state). */
  | { family: 'drop-watch'; component: ComponentName; kinds: string[] }
  /** The component's informers lag this far behind the API server. */
  | { family: 'stale-view'; component: ComponentName; lagMs: number }
  /** The API server answers the component's requests with this error. */
  | { family: 'api-errors'; component: ComponentName; verbs: string[]; kinds: string[]; code: number; probability: number }
  | { family: 'pod-crash'; pods: PodSelector }
  /** The pods' readiness (or liveness) probes fail for periodMs, pass for periodMs, ... until healed. */
  | { family: 'pod-flap'; pods: PodSelector; periodMs: number; probe?: 'readiness' | 'liveness' }
  /** Pod creation in the namespace fails (as with a failing admission webhook) until healed. */
  | { family: 'pod-fail-create'; namespace: string; message: string }
  | { family: 'node-loss'; node: string }
  /** Changes ConfigMap data (merged), as `kubectl edit` would. */
  | { family: 'configmap-change'; namespace: string; name: string; data: Record<string, string> }
  /** Upgrade (or downgrade) the Knative installation to another release, as applying its release manifests does. */
  | { family: 'upgrade'; to: string | typeof UNDER_TEST };

export type FaultFamily = FaultBody['family'];

/** `upgrade: {to: under-test}`: to the release the run is for (the scenario's `knative` or --knative). */
export const UNDER_TEST = 'under-test';

export const FAULT_FAMILIES: readonly FaultFamily[] = [
  'crash', 'restart', 'kill-leader', 'partition', 'delay-watch', 'drop-watch', 'stale-view', 'api-errors',
  'pod-crash', 'pod-flap', 'pod-fail-create', 'node-loss', 'configmap-change', 'upgrade',
];

// ---- triggers -----------------------------------------------------------------------------------

export type Trigger =
  | { at: number }
  /** Fires `afterMs` after the predicate first holds (checked on every history event). */
  | { when: Predicate; afterMs: number };

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Predicate =
  /** An object of this kind reaches a condition. */
  | { kind: 'condition'; objectKind: string; namespace?: string; name?: string; type: string; status: 'True' | 'False' | 'Unknown' }
  /** A component makes its Nth write (create/update/patch/delete) of a kind. */
  | { kind: 'nth-write'; component: string; objectKind: string; n: number; verbs?: string[] }
  /** A revision's Deployment replicas (spec) or ready pods cross a value. */
  | { kind: 'replicas'; revision?: string; namespace?: string; of: 'replicas' | 'readyPods'; op: CompareOp; value: number };

// ---- oracles ------------------------------------------------------------------------------------

export interface OracleSpec {
  /** `name:` in the file, or the library name / shape. */
  id: string;
  /** A library oracle (`no-failed-requests`, ...), a shape (`always`, `eventually`, `never`) or `module`. */
  use: string;
  params: Record<string, unknown>;
  source: SourceRef;
}
