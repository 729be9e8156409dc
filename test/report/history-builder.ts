// Synthetic histories and results for the report tests: one Knative Service whose revision serves a
// load, scales to zero and cold-starts again, with a fault, component events and condition changes,
// all made up in the test (no simulation run needed) but shaped like a recorder would write them.

import type { KubeObject } from '../../src/apiserver/types.js';
import type { RequestOutcome } from '../../src/dataplane/request.js';
import type { History, ObjectEvent, RevisionSample } from '../../src/scenario/history.js';
import type { RunResult, ScenarioResult } from '../../src/scenario/result.js';

export interface HistoryOptions {
  namespace?: string;
  revision?: string;
  durationMs?: number;
  /** Requests completed per second while the revision is up. */
  rps?: number;
  seed?: number;
}

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

function knativeObject(apiVersion: string, kind: string, namespace: string, name: string, conditions: Condition[]): KubeObject {
  return { apiVersion, kind, metadata: { namespace, name }, status: { conditions } };
}

export function buildHistory(options: HistoryOptions = {}): History {
  const namespace = options.namespace ?? 'default';
  const revision = options.revision ?? 'hello-00001';
  const durationMs = options.durationMs ?? 300_000;
  const rps = options.rps ?? 5;
  // Up from 0 to 120 s and again from 200 s on; scaled to zero in between.
  const up = (ms: number): boolean => ms < 120_000 || ms >= 200_000;
  const series: RevisionSample[] = [];
  for (let at = 0; at <= durationMs; at += 1000) {
    const ready = at < 4000 ? 0 : up(at) ? 2 : 0;
    series.push({
      atMs: at, namespace, revision,
      readyPods: ready, pods: ready + (at === 120_000 ? 2 : 0), replicas: up(at) ? 2 : 0,
      desiredScale: at < 2000 ? undefined : up(at) ? 2 : 0,
      inFlight: up(at) ? 3 : 0, maxPodConcurrency: up(at) ? 2 : 0, activatorQueue: at >= 200_000 && at < 204_000 ? 7 : 0,
      sksMode: up(at) && at >= 4000 ? 'Serve' : 'Proxy', routed: true,
    });
  }
  const requests: RequestOutcome[] = [];
  let id = 0;
  for (let sec = 0; sec * 1000 < durationMs; sec += 1) {
    const at = sec * 1000;
    if (!up(at)) continue;
    for (let k = 0; k < rps; k += 1) {
      const arrivalMs = at + k * Math.floor(1000 / rps);
      const failing = at >= 200_000 && at < 202_000 && k === 0;
      const latencyMs = failing ? 10_000 : 20 + ((sec * 7 + k * 13) % 50);
      requests.push({
        id: id++, host: `hello.${namespace}.svc.cluster.local`, arrivalMs, doneMs: arrivalMs + latencyMs, latencyMs,
        status: failing ? 503 : 200, revision, pod: `${revision}-deployment-abc-1`, phase: 'steady',
        ...(failing ? { error: 'no healthy upstream' } : {}),
      });
    }
  }
  requests.sort((a, b) => a.doneMs - b.doneMs || a.id - b.id);
  const serving = 'serving.knative.dev/v1';
  const objects: ObjectEvent[] = [];
  let rv = 100;
  const push = (atMs: number, type: ObjectEvent['type'], object: KubeObject): void => {
    objects.push({ atMs, type, kind: object.kind, apiVersion: object.apiVersion, namespace, name: object.metadata.name!, resourceVersion: String(rv++), object });
  };
  push(0, 'ADDED', knativeObject(serving, 'Service', namespace, 'hello', [{ type: 'Ready', status: 'Unknown', reason: 'RevisionMissing' }]));
  push(0, 'ADDED', knativeObject(serving, 'Revision', namespace, revision, [{ type: 'Ready', status: 'Unknown', reason: 'Deploying' }, { type: 'Active', status: 'Unknown', reason: 'Deploying' }]));
  push(4000, 'MODIFIED', knativeObject(serving, 'Revision', namespace, revision, [{ type: 'Ready', status: 'True' }, { type: 'Active', status: 'True' }]));
  push(4100, 'MODIFIED', knativeObject(serving, 'Service', namespace, 'hello', [{ type: 'Ready', status: 'True' }]));
  push(120_000, 'MODIFIED', knativeObject(serving, 'Revision', namespace, revision, [{ type: 'Ready', status: 'True' }, { type: 'Active', status: 'False', reason: 'NoTraffic', message: 'The target is not receiving traffic.' }]));
  push(200_000, 'MODIFIED', knativeObject(serving, 'Revision', namespace, revision, [{ type: 'Ready', status: 'True' }, { type: 'Active', status: 'Unknown', reason: 'Queued' }]));
  push(204_000, 'MODIFIED', knativeObject(serving, 'Revision', namespace, revision, [{ type: 'Ready', status: 'True' }, { type: 'Active', status: 'True' }]));
  push(10, 'ADDED', knativeObject('autoscaling.internal.knative.dev/v1alpha1', 'PodAutoscaler', namespace, revision, [{ type: 'Ready', status: 'Unknown' }]));
  push(20, 'ADDED', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace, name: `${revision}-deployment` }, spec: { replicas: 0 } });
  objects.sort((a, b) => a.atMs - b.atMs);
  return {
    scenario: 'scale-to-zero', seed: options.seed ?? 7, knative: '1.11', backend: 'sim', endMs: durationMs,
    objects, requests,
    faults: [
      { atMs: 60_000, fault: 'kill-autoscaler', family: 'crash', phase: 'fired', detail: 'autoscaler pod autoscaler-7d9f-x2k' },
      { atMs: 75_000, fault: 'kill-autoscaler', family: 'crash', phase: 'healed', detail: 'autoscaler pod autoscaler-7d9f-x2k' },
      { atMs: 150_000, fault: 'cm-edit', family: 'configmap-change', phase: 'fired', detail: 'config-autoscaler' },
    ],
    components: [
      { atMs: 0, component: 'autoscaler', event: 'started', detail: '' },
      { atMs: 1000, component: 'autoscaler', event: 'leader', detail: 'bucket 1 of 1' },
      { atMs: 60_000, component: 'autoscaler', event: 'crashed', detail: 'fault kill-autoscaler' },
      { atMs: 75_000, component: 'autoscaler', event: 'started', detail: '' },
      { atMs: 0, component: 'controller', event: 'started', detail: '' },
    ],
    writes: [
      { atMs: 10, component: 'controller', verb: 'create', kind: 'PodAutoscaler', namespace, name: revision, code: 201 },
      { atMs: 4000, component: 'controller', verb: 'update', kind: 'Revision', namespace, name: revision, subresource: 'status', code: 409 },
      { atMs: 5000, component: 'autoscaler', verb: 'update', kind: 'PodAutoscaler', namespace, name: revision, subresource: 'status', code: 200 },
    ],
    series,
  };
}

export function emptyHistory(): History {
  return { scenario: 'empty', seed: 1, knative: '1.20', backend: 'sim', endMs: 0, objects: [], requests: [], faults: [], components: [], writes: [], series: [] };
}

export function passingRun(seed: number): RunResult {
  return { seed, verdict: 'pass', traceHash: `a1b2c3d4e5f6${seed}`, replay: `scale-to-zero:${seed}:1.11:AAEC`, violations: [], simulatedMs: 300_000, events: 123_456, wallMs: 512.4 };
}

export function failingRun(seed: number): RunResult {
  return {
    seed, verdict: 'fail', traceHash: `deadbeef${seed}`, replay: `scale-to-zero:${seed}:1.11:BwQx`,
    violations: [{
      oracle: 'no-failed-requests',
      reason: 'request 1203 to hello.default.svc.cluster.local got 503 (no healthy upstream) while revision hello-00001 was routed',
      atMs: 192_500,
      objects: ['Revision default/hello-00001', 'ServerlessService default/hello-00001'],
    }],
    simulatedMs: 300_000, events: 98_765, wallMs: 1234,
  };
}

export function scenarioResult(runs: RunResult[], overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    scenario: 'scale-to-zero', bug: 'knative-serving-8390', knative: '1.11', backend: 'sim',
    verdict: runs.some((r) => r.verdict === 'fail') ? 'fail' : 'pass', runs,
    wallMs: runs.reduce((n, r) => n + r.wallMs, 0), ...overrides,
  };
}
