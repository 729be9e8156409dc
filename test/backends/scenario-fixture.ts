// A scenario built in code (the loader's output shape), for tests of the backend and the runner that
// must not depend on the YAML loader.
import type { KubeObject } from '../../src/apiserver/types.js';
import type { Scenario } from '../../src/scenario/types.js';

export function helloService(annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'hello', namespace: 'default' },
    spec: { template: { metadata: { annotations }, spec: { containers: [{ image: 'ghcr.io/knative/helloworld-go:latest' }] } } },
  };
}

export function codeScenario(over: Partial<Scenario> = {}): Scenario {
  const source = { file: '<code>', path: '' };
  return {
    file: '<code>', name: 'code-scenario', knative: 'latest', durationMs: 240_000, seeds: [1], sampleEveryMs: 1_000,
    cluster: {
      nodes: [1, 2, 3].map((i) => ({ name: `node-${i}`, cpuMilli: 4_000, memoryBytes: 16 * 2 ** 30, pods: 110, labels: {} })),
      podTimings: {}, knativeReplicas: { controller: 1, autoscaler: 1, activator: 1, gateway: 1 },
    },
    manifests: [{ object: helloService(), source }],
    actions: [],
    workload: [{
      host: 'hello.default.svc.cluster.local', startMs: 30_000, source,
      phases: [
        { name: 'warm', durationMs: 30_000, load: { kind: 'constant', rps: 10 } },
        { name: 'idle', durationMs: 120_000, load: { kind: 'idle' } },
        { name: 'cold', durationMs: 20_000, load: { kind: 'constant', rps: 10 } },
      ],
    }],
    faults: [], oracles: [],
    ...over,
  };
}
