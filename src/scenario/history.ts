// The history of one run: what oracles, triggers and reports read. Both backends record it the same
// way (the simulator from the API server's commits and its components; a real cluster from watches
// and the load generator), so nothing in here refers to simulator internals. Every entry carries the
// run-relative time in milliseconds. Arrays are in time order.

import type { KubeObject } from '../apiserver/types.js';
import type { RequestOutcome } from '../dataplane/request.js';

export interface History {
  scenario: string;
  seed: number;
  /** Release profile name the run used (`0.16`, `1.20`). */
  knative: string;
  backend: 'sim' | 'kind' | 'cluster';
  /** Run length actually simulated (or observed). */
  endMs: number;
  /** Every object version the watches saw. */
  objects: ObjectEvent[];
  /** Every user request's outcome, in completion order. */
  requests: RequestOutcome[];
  faults: FaultEvent[];
  components: ComponentEvent[];
  /** Every write a client made to the API server (accepted or refused). */
  writes: WriteEvent[];
  /** Per-revision samples every `sampleEveryMs`. */
  series: RevisionSample[];
}

export interface ObjectEvent {
  atMs: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** `Revision`, `Deployment`, `Service` (apiVersion disambiguates the Knative Service). */
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  resourceVersion: string;
  /** The object as stored (frozen; do not edit). */
  object: KubeObject;
}

export interface FaultEvent {
  atMs: number;
  fault: string;
  family: string;
  phase: 'fired' | 'healed';
  /** What it hit, in words ("autoscaler pod autoscaler-7d9f-x2k", "node node-2"). */
  detail: string;
}

export interface ComponentEvent {
  atMs: number;
  component: string;
  event: 'started' | 'crashed' | 'stopped' | 'leader' | 'lost-leadership';
  detail: string;
}

export interface WriteEvent {
  atMs: number;
  /** Who wrote: the component (or `user`, `scenario`). */
  component: string;
  verb: 'create' | 'update' | 'patch' | 'delete';
  kind: string;
  namespace: string;
  name: string;
  subresource?: string;
  /** HTTP-like code: 200/201 accepted, 409 conflict, ... */
  code: number;
}

export interface RevisionSample {
  atMs: number;
  namespace: string;
  revision: string;
  /** Pods of the revision that are Ready and not terminating. */
  readyPods: number;
  /** All pods of the revision (including terminating ones). */
  pods: number;
  /** The revision Deployment's spec.replicas (0 when there is none). */
  replicas: number;
  /** PodAutoscaler status.desiredScale (undefined before the autoscaler set it; -1 = no data). */
  desiredScale?: number;
  /** Requests inside the revision's user containers right now. */
  inFlight: number;
  /** The highest number of requests in any one user container since the previous sample. */
  maxPodConcurrency: number;
  /** Requests the activators hold for the revision (waiting for capacity). */
  activatorQueue: number;
  /** ServerlessService spec.mode. */
  sksMode?: string;
  /** Whether a Route sends it traffic (routingState label `active`). */
  routed: boolean;
}
