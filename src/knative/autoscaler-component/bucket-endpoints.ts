// What the owner of an autoscaler bucket publishes (knative/serving
// pkg/autoscaler/statforwarder/leases.go createService, createOrUpdateEndpoints): a selector-less
// Service named after the bucket (port "http" 8080) and an EndpointSlice of the same name holding
// this pod's IP, so peers can reach the owner through `<bucket>.<ns>.svc`. Each write is retried
// every 100 ms for up to 3 s (wait.PollUntilContextTimeout); giving up throws (upstream: Fatalf).

import { isAlreadyExists, isApiError } from '../../apiserver/api-error.js';
import { deepCopy, deepEqual } from '../../apiserver/deep-copy.js';
import type { KubeObject } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import type { Informer } from '../../client/informer.js';
import { NetworkError } from '../../client/network-error.js';
import { ENDPOINTSLICES, SERVICES } from '../../kube/resources.js';
import { sleep, type Proc } from '../../sim/process.js';
import { PORTS } from '../serving-system.js';

const RETRY_INTERVAL_MS = 100;
const RETRY_TIMEOUT_MS = 3_000;

export interface BucketEndpointsOptions {
  namespace: string;
  bucket: string;
  selfIp: string;
  slices: Informer;
}

/** Runs `attempt` now and every 100 ms until it returns true or 3 s have passed; then throws its last error. */
function* poll(ctx: ComponentContext, what: string, attempt: () => Proc<boolean>): Proc<void> {
  const deadline = ctx.sim.nowMs + RETRY_TIMEOUT_MS;
  let last: unknown;
  while (true) {
    try {
      if (yield* attempt()) return;
    } catch (e) {
      if (!isApiError(e) && !(e instanceof NetworkError)) throw e;
      last = e;
    }
    if (ctx.sim.nowMs + RETRY_INTERVAL_MS > deadline) throw new Error(`${what}: ${last instanceof Error ? last.message : 'timed out'}`);
    yield* sleep(RETRY_INTERVAL_MS);
  }
}

function sliceEndpoints(selfIp: string): unknown[] {
  return [{ addresses: [selfIp], conditions: { ready: true, serving: true, terminating: false } }];
}

export function* publishBucketEndpoints(ctx: ComponentContext, o: BucketEndpointsOptions): Proc<void> {
  yield* poll(ctx, `failed to create Service for Lease ${o.namespace}/${o.bucket}`, function* () {
    const svc: KubeObject = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: o.bucket, namespace: o.namespace },
      spec: { ports: [{ name: 'http', port: PORTS.autoscalerStats, targetPort: PORTS.autoscalerStats }] },
    };
    try {
      yield* ctx.client.create(SERVICES, svc);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    return true;
  });
  let exists = true;
  yield* poll(ctx, `failed to update Endpoints for Lease ${o.namespace}/${o.bucket}`, function* () {
    const got = o.slices.get(`${o.namespace}/${o.bucket}`);
    if (got === undefined) {
      exists = false;
      return true;
    }
    if (deepEqual(got.endpoints, sliceEndpoints(o.selfIp))) return true;
    const want = deepCopy(got) as KubeObject;
    want.endpoints = sliceEndpoints(o.selfIp);
    yield* ctx.client.update(ENDPOINTSLICES, want);
    return true;
  });
  if (exists) return;
  yield* poll(ctx, `failed to create Endpoints for Lease ${o.namespace}/${o.bucket}`, function* () {
    yield* ctx.client.create(ENDPOINTSLICES, {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: o.bucket, namespace: o.namespace, labels: { 'kubernetes.io/service-name': o.bucket } },
      addressType: 'IPv4', endpoints: sliceEndpoints(o.selfIp) as never, ports: [{ name: 'http', port: PORTS.autoscalerStats, protocol: 'TCP' }] as never,
    } as KubeObject);
    return true;
  });
}
