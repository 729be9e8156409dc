// Canary runs: for each library oracle, a whole simulated run in which it must fire (DESIGN.md:
// every oracle has a canary), made from an ordinary scenario whose parameters are set so the healthy
// model breaks the oracle's bound, or a fault forces the symptom. The constructed-history canaries in
// test/oracles/library check the reasons in detail; these check that the oracles read real histories.
// pod-concurrency-within-limit has no run canary: the queue-proxy breaker keeps the user container
// at containerConcurrency in a faithful model, so only a constructed history can break it.
import t from 'tap';
import { runSimulated } from '../../src/backends/sim/sim-backend.js';
import { validateOracleSpec } from '../../src/oracles/check-oracles.js';
import { parseScenario } from '../../src/scenario/load-scenario.js';
import { judge, prepareScenarioOracles } from '../../src/scenario/run-scenario.js';

const SERVICE = (annotations: Record<string, string> = {}): string => `
setup:
  - apiVersion: serving.knative.dev/v1
    kind: Service
    metadata: { name: hello, namespace: default }
    spec:
      template:
        metadata:
          annotations: ${JSON.stringify(annotations)}
        spec:
          containers: [{ image: ghcr.io/knative/helloworld-go:latest }]
`;

async function violations(yaml: string, seed = 1): Promise<{ oracle: string; reason: string }[]> {
  const scenario = parseScenario(yaml, { validateOracle: validateOracleSpec });
  const oracles = await prepareScenarioOracles(scenario);
  const out = runSimulated(scenario, { seed, knative: scenario.knative });
  return judge(oracles, out.history);
}

t.test('no-failed-requests fires when requests outlast the client timeout', async (t) => {
  const v = await violations(`duration: 2m\n${SERVICE()}
workload:
  - { service: hello, start: 40s, serviceTime: 3s, timeout: 1s, phases: [{ for: 10s, rps: 2 }] }
oracles: [no-failed-requests]`);
  t.match(v, [{ oracle: 'no-failed-requests', reason: /timeout/ }]);
});

t.test('cold-start-latency fires with a bound below what a cold start takes', async (t) => {
  const v = await violations(`duration: 4m\n${SERVICE()}
workload:
  - { service: hello, start: 40s, phases: [{ for: 10s, rps: 5 }, { for: 2m, idle: true }, { for: 10s, rps: 5 }] }
oracles: [{ use: cold-start-latency, max: 100ms }]`);
  t.match(v, [{ oracle: 'cold-start-latency' }]);
});

t.test('scales-to-zero-within fires with a bound shorter than stable window + grace', async (t) => {
  const v = await violations(`duration: 3m\n${SERVICE()}
oracles: [{ use: scales-to-zero-within, within: 30s }]`);
  t.match(v, [{ oracle: 'scales-to-zero-within', reason: /hello-00001/ }]);
});

t.test('eventually-ready and no-condition-stuck-unknown fire when the image takes longer to pull than they allow', async (t) => {
  // A per-pod timing annotation (src/kube/kubelet-timings.ts) slows only the revision's pods.
  const v = await violations(`duration: 4m
${SERVICE({ 'sleeveless.dev/image-pull-ms': '180000' })}
oracles:
  - { use: eventually-ready, within: 1m }
  - { use: no-condition-stuck-unknown, max: 1m }`);
  t.match(v.map((x) => x.oracle).sort(), ['eventually-ready', 'no-condition-stuck-unknown']);
});

t.test('sks-mode-flaps-bounded fires when burst capacity 0 moves the activator out of and back into the path', async (t) => {
  const v = await violations(`duration: 5m\n${SERVICE({ 'autoscaling.knative.dev/target-burst-capacity': '0' })}
workload:
  - { service: hello, start: 40s, phases: [{ for: 30s, rps: 5 }, { for: 2m, idle: true }, { for: 20s, rps: 5 }] }
oracles: [{ use: sks-mode-flaps-bounded, max: 1 }]`);
  t.match(v, [{ oracle: 'sks-mode-flaps-bounded' }]);
});

t.test('bounded-writes fires on the ordinary status writes of a deployment when the bound is 1', async (t) => {
  const v = await violations(`duration: 1m\n${SERVICE()}
oracles: [{ use: bounded-writes, max: 1, kinds: [Revision] }]`);
  t.match(v, [{ oracle: 'bounded-writes', reason: /Revision default\/hello-00001/ }]);
});

t.test('the shapes fire on real series and conditions', async (t) => {
  const v = await violations(`duration: 2m\n${SERVICE()}
oracles:
  - { name: never-one-pod, never: { series: readyPods, eq: 1 } }
  - { name: always-serve, always: { series: sksMode, eq: Serve } }
  - { name: ready-in-5s, eventually: { within: 5s, condition: { kind: Service, name: hello, type: Ready, status: "True" } } }
  - { name: proxy-at-zero, never: { series: sksMode, eq: Proxy, where: { replicas: { eq: 0 } } } }`);
  t.match(v.map((x) => x.oracle).sort(), ['always-serve', 'never-one-pod', 'proxy-at-zero', 'ready-in-5s']);
});
