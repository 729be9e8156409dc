// Valid scenario files load to the model the runner reads: durations in ms, defaults filled in,
// manifests with their source lines, faults, triggers, workload phases and oracle specs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DEFAULT_KUBELET_TIMINGS } from '../../src/kube/kubelet-timings.js';
import { listScenarios, loadScenario, parseScenario } from '../../src/scenario/load-scenario.js';
import { ScenarioError } from '../../src/scenario/scenario-error.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

t.test('cold-start.yaml loads with defaults filled in', (t) => {
  const s = loadScenario(join(FIXTURES, 'cold-start.yaml'));
  t.equal(s.name, 'cold-start', 'name from the file name');
  t.equal(s.file, join(FIXTURES, 'cold-start.yaml'));
  t.equal(s.knative, '1.11');
  t.equal(s.durationMs, 600_000);
  t.same(s.seeds, [1, 2, 3], 'a count means 1..N');
  t.equal(s.sampleEveryMs, 1000, 'default sampleEvery');
  t.same(s.cluster.nodes.map((n) => n.name), ['node-1', 'node-2', 'node-3'], 'three default nodes');
  t.same(s.cluster.nodes[0], { name: 'node-1', cpuMilli: 4000, memoryBytes: 16 * 2 ** 30, pods: 110, labels: {} });
  t.same(s.cluster.knativeReplicas, { controller: 1, autoscaler: 1, activator: 1, gateway: 1 });
  t.same(s.manifests.map((m) => [m.object.kind, m.object.metadata.name, m.source.line, m.source.path]),
    [['ConfigMap', 'config-autoscaler', 7, 'setup[0]'], ['Service', 'hello', 13, 'setup[1]']]);
  t.same(s.workload, [{
    host: 'hello.default.svc.cluster.local', startMs: 30_000,
    phases: [
      { name: 'hello/phase-0', durationMs: 60_000, load: { kind: 'constant', rps: 20 }, serviceTime: { kind: 'exponential', meanMs: 100 } },
      { name: 'hello/phase-1', durationMs: 180_000, load: { kind: 'idle' }, serviceTime: { kind: 'exponential', meanMs: 100 } },
      { name: 'cold-burst', durationMs: 30_000, load: { kind: 'poisson', rps: 50 }, serviceTime: { kind: 'exponential', meanMs: 100 } },
    ],
    source: { file: join(FIXTURES, 'cold-start.yaml'), line: 26, path: 'workload[0]' },
  }]);
  t.same(s.oracles.map((o) => [o.id, o.use, o.params]), [
    ['no-failed-requests', 'no-failed-requests', {}],
    ['scales-to-zero-within', 'scales-to-zero-within', { within: '2m' }],
    ['eventually', 'eventually', { within: '3m', condition: { kind: 'Revision', name: 'hello-00001', type: 'Ready', status: 'True' } }],
  ]);
  t.same(s.faults, []);
  t.same(s.actions, []);
  t.end();
});

t.test('restart-under-load.yaml: nodes, pod timings, file manifests, actions, every trigger kind and oracle form', (t) => {
  const s = loadScenario(join(FIXTURES, 'restart-under-load.yaml'));
  t.equal(s.knative, '1.20', 'knative: 1.20 (a YAML number) keeps its source text');
  t.same(s.seeds, [1, 7, 42]);
  t.equal(s.sampleEveryMs, 500);
  t.same(s.cluster.nodes, [
    { name: 'worker-a', cpuMilli: 8000, memoryBytes: 32 * 2 ** 30, pods: 110, labels: {} },
    { name: 'worker-b', cpuMilli: 3500, memoryBytes: 16 * 2 ** 30, pods: 50, labels: { zone: 'b' } },
  ]);
  t.same(s.cluster.podTimings, {
    imagePull: { ms: 2000 }, appStart: { ms: 1500, jitterMs: 0 }, crashLoopBackOffInitialMs: 5000, nodeLeaseDurationS: 20,
  });
  t.same(s.cluster.knativeReplicas, { controller: 1, autoscaler: 2, activator: 2, gateway: 1 });
  const manifestFile = join(FIXTURES, 'manifests/hello.yaml');
  t.same(s.manifests.map((m) => [m.object.kind, m.source.file, m.source.line]), [['ConfigMap', manifestFile, 1], ['Service', manifestFile, 6]],
    'both documents of the file, located in it');
  t.same(s.actions.map((a) => [a.id, a.trigger, a.apply?.length, a.delete]), [
    ['pin-min-scale', { at: 300_000 }, 1, undefined],
    ['action-1', { when: { kind: 'replicas', of: 'readyPods', op: '>=', value: 3, revision: 'hello-00001' }, afterMs: 10_000 }, undefined,
      [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'extra' }]],
  ]);
  t.same(s.workload[0].phases.map((p) => [p.name, p.load, p.clientTimeoutMs]), [
    ['hello/phase-0', { kind: 'steps', steps: [{ afterMs: 0, rps: 10 }, { afterMs: 60_000, rps: 100 }] }, 30_000],
    ['hello/phase-1', { kind: 'burst', size: 100, everyMs: 10_000 }, 30_000],
    ['hello/phase-2', { kind: 'closed', users: 10, thinkTime: { kind: 'uniform', minMs: 500, maxMs: 1500 } }, 30_000],
  ]);
  t.same(s.workload[0].phases[2].serviceTime, { kind: 'lognormal', medianMs: 80, sigma: 0.5 });
  t.equal(s.workload[0].host, 'hello.apps.svc.cluster.local');
  t.equal(s.workload[1].host, 'other.example.com');
  const bodies = s.faults.map(({ source: _source, ...rest }) => rest);
  t.same(bodies, [
    { id: 'restart-autoscaler', trigger: { at: 180_000 }, durationMs: 30_000, family: 'crash', component: 'autoscaler' },
    { id: 'fault-1', trigger: { when: { kind: 'condition', objectKind: 'Revision', name: 'hello-00001', type: 'Ready', status: 'True' }, afterMs: 0 },
      family: 'delay-watch', component: 'controller', kinds: ['Revision', 'PodAutoscaler'], delayMs: 5000 },
    { id: 'fault-2', trigger: { at: 60_000 }, family: 'api-errors', component: 'kubelet/worker-b', kinds: ['Pod'], verbs: ['update'], code: 500, probability: 0.5 },
    { id: 'fault-3', trigger: { when: { kind: 'nth-write', component: 'autoscaler', objectKind: 'PodAutoscaler', n: 2, verbs: ['update'] }, afterMs: 0 },
      family: 'pod-crash', pods: { namespace: 'apps', revision: 'hello-00001', count: 1 } },
    { id: 'fault-4', trigger: { at: 360_000 }, durationMs: 60_000, family: 'node-loss', node: 'worker-a' },
    { id: 'fault-5', trigger: { at: 240_000 }, family: 'configmap-change', namespace: 'knative-serving', name: 'config-autoscaler', data: { 'stable-window': '30s' } },
    { id: 'fault-6', trigger: { at: 420_000 }, family: 'upgrade', to: '1.19' },
  ]);
  t.same(s.faults[0].source, { file: join(FIXTURES, 'restart-under-load.yaml'), line: 42, path: 'faults[0]' });
  t.same(s.oracles.map((o) => [o.id, o.use]), [['always', 'always'], ['never', 'never'], ['never-2', 'never'], ['custom-check', 'module']],
    'shape ids are deduplicated with -2');
  t.same(s.oracles[3].params, { path: join(FIXTURES, 'oracles/custom.ts') }, 'module path made absolute');
  t.end();
});

t.test('every pod timing key is the KubeletTimings field without its unit suffix', (t) => {
  const keys = Object.keys(DEFAULT_KUBELET_TIMINGS).map((k) => k.replace(/(Ms|S)$/, ''));
  const yaml = `duration: 1m\ncluster:\n  podTimings:\n${keys.map((k) => `    ${k}: 2s`).join('\n')}\n`;
  const s = parseScenario(yaml);
  const fields = Object.keys(s.cluster.podTimings);
  t.same(fields, Object.keys(DEFAULT_KUBELET_TIMINGS), 'each key maps to its field');
  t.equal(s.cluster.podTimings.nodeLeaseDurationS, 2, 'seconds field in seconds');
  t.equal(s.cluster.podTimings.plegRelistPeriodMs, 2000, 'ms field in ms');
  t.same(s.cluster.podTimings.sandbox, { ms: 2000 }, 'a delay from a plain duration keeps the default jitter');
  t.end();
});

t.test('the validateOracle hook sees library oracles and its complaint is located at the field', (t) => {
  const seen: string[] = [];
  const validateOracle = (spec: { id: string; use: string; params: Record<string, unknown> }): { field: string; message: string } | null => {
    seen.push(`${spec.id}:${spec.use}`);
    if (spec.use === 'no-such-oracle') return { field: '', message: 'unknown oracle "no-such-oracle"' };
    if (spec.params.within === 'soon') return { field: 'within', message: 'expected a duration' };
    return null;
  };
  const yaml = 'duration: 1m\noracles:\n  - no-such-oracle\n  - use: scales-to-zero-within\n    within: soon\n  - { use: scales-to-zero-within, within: 1m }\n  - always: { series: pods, le: 5 }\n';
  try {
    parseScenario(yaml, { file: 'inline.yaml', validateOracle });
    t.fail('expected a ScenarioError');
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    t.same(error.issues.map((i) => [i.line, i.path, i.message]), [
      [3, 'oracles[0]', 'unknown oracle "no-such-oracle"'],
      [5, 'oracles[1].within', 'expected a duration'],
    ]);
  }
  t.same(seen, ['no-such-oracle:no-such-oracle', 'scales-to-zero-within:scales-to-zero-within', 'scales-to-zero-within-2:scales-to-zero-within'],
    'library oracles only (not shapes), with deduplicated ids');
  t.end();
});

t.test('listScenarios loads a directory sorted by name and reports every bad file at once', (t) => {
  const dir = t.testdir({
    'b.yaml': 'name: alpha\nduration: 1m\n',
    'a.yaml': 'duration: 2m\n',
    'notes.txt': 'not a scenario',
  });
  t.same(listScenarios(dir).map((s) => s.name), ['a', 'alpha']);
  const bad = t.testdir({ 'x.yaml': 'duration: 1\n', 'y.yaml': 'durations: 1m\n' });
  try {
    listScenarios(bad);
    t.fail('expected a ScenarioError');
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    t.same(error.issues.map((i) => i.file), [join(bad, 'x.yaml'), join(bad, 'y.yaml')]);
  }
  t.end();
});

t.test('setup over a ConfigMap Knative installs is an update, and a Service in a new namespace creates it', (t) => {
  const dir = t.testdir({});
  const file = join(dir, 's.yaml');
  writeFileSync(file, [
    'duration: 1m',
    'setup:',
    '  - { apiVersion: v1, kind: ConfigMap, metadata: { name: config-deployment, namespace: knative-serving }, data: { progress-deadline: 120s } }',
    '  - { apiVersion: v1, kind: ConfigMap, metadata: { name: config-deployment, namespace: knative-serving }, data: { progress-deadline: 60s } }',
    '  - apiVersion: serving.knative.dev/v1',
    '    kind: Service',
    '    metadata: { name: web, namespace: team-a }',
    '    spec: { template: { spec: { containers: [{ image: nginx }] } } }',
    '',
  ].join('\n'));
  const s = loadScenario(file);
  t.equal(s.manifests.length, 3, 'loads: the partial config-deployment merges over the installed one and keeps its queue-sidecar-image, which Knative requires');
  t.end();
});
