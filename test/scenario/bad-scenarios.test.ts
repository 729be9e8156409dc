// The loader's answer to bad scenario files: one row per kind of mistake, each asserting the first
// issue's line, field path and message, and that the error carries exit code 2.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import t from 'tap';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { ScenarioError } from '../../src/scenario/scenario-error.js';

/** Nine lines: a Knative Service `hello` in `default`; rows append from line 10. */
const BASE = `duration: 10m
setup:
  - apiVersion: serving.knative.dev/v1
    kind: Service
    metadata: { name: hello }
    spec:
      template:
        spec:
          containers: [{ image: ghcr.io/knative/helloworld-go }]
`;

interface Row {
  name: string;
  yaml: string;
  files?: Record<string, string>;
  line?: number;
  path: string;
  message: string | RegExp;
  /** Which issue (default the first). */
  index?: number;
  /** How many issues in all, when it matters. */
  count?: number;
}

const ROWS: Row[] = [
  { name: 'YAML syntax error', yaml: `${BASE}workload: [\n`, line: 11, path: '', message: /^YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a \]$/ },
  { name: 'duplicate key', yaml: `${BASE}seeds: 1\nseeds: 2\n`, line: 11, path: '', message: /^YAML syntax: Map keys must be unique/ },
  { name: 'unknown top-level field', yaml: `${BASE}colour: blue\n`, line: 10, path: 'colour', message: 'unknown field `colour`' },
  { name: 'misspelt required field with suggestion, reported once', yaml: 'duraton: 10m\n', line: 1, path: 'duraton', message: 'unknown field `duraton` (did you mean `duration`?)', count: 1 },
  { name: 'misspelt nested field', yaml: `${BASE}faults:\n  - { famly: crash, component: autoscaler, at: 1m }\n`, line: 11, path: 'faults[0].famly', message: 'unknown field `famly` (did you mean `family`?)' },
  { name: 'missing required field', yaml: 'seeds: 3\n', line: 1, path: '', message: 'missing required field `duration`' },
  { name: 'wrong type', yaml: `${BASE}seeds: many\n`, line: 10, path: 'seeds', message: 'expected a count or a list of seeds, got "many"' },
  { name: 'wrong type in a list', yaml: `${BASE}seeds: [1, two]\n`, line: 10, path: 'seeds[1]', message: 'expected an integer, got "two"' },
  { name: 'bad duration unit', yaml: `${BASE}sampleEvery: 10x\n`, line: 10, path: 'sampleEvery', message: 'expected a duration such as "500ms", "30s" or "1m30s", got "10x"' },
  { name: 'duration without unit', yaml: 'duration: 5\n', line: 1, path: 'duration', message: 'expected a duration such as "500ms", "30s" or "1m30s", got an integer 5' },
  { name: 'zero duration', yaml: 'duration: 0s\n', line: 1, path: 'duration', message: 'must be longer than 0s' },
  { name: 'unknown Knative release', yaml: `${BASE}knative: "0.15"\n`, line: 10, path: 'knative', message: /^no profile for Knative release "0.15"; known: 0.7, 0.8, 0.9, .*1.20, latest \(and the development snapshots 0.17-dev, 0.18-dev\)$/ },
  { name: 'unknown release written as a number keeps its digits', yaml: `${BASE}knative: 1.200\n`, line: 10, path: 'knative', message: /^no profile for Knative release "1.200"/ },
  { name: 'unknown fault family', yaml: `${BASE}faults:\n  - { family: crsh, component: autoscaler, at: 1m }\n`, line: 11, path: 'faults[0].family', message: /^unknown fault family "crsh" \(did you mean "crash"\? known: crash, restart, kill-leader/ },
  { name: 'unknown component', yaml: `${BASE}faults:\n  - { family: crash, component: autoscalr, at: 1m }\n`, line: 11, path: 'faults[0].component', message: /^unknown component "autoscalr" \(did you mean "autoscaler"\? known: controller, autoscaler, activator, ingress-gateway, kube-controller-manager, kube-scheduler, kubelet\/node-1, kubelet\/node-2, kubelet\/node-3\)$/ },
  { name: 'kubelet of a node the cluster lacks', yaml: `${BASE}cluster: { nodes: 2 }\nfaults:\n  - { family: partition, component: kubelet/node-3, at: 1m }\n`, line: 12, path: 'faults[0].component', message: /^unknown component "kubelet\/node-3" .*kubelet\/node-1, kubelet\/node-2\)$/ },
  { name: 'family missing its key', yaml: `${BASE}faults:\n  - { family: delay-watch, component: controller, kinds: [Revision], at: 1m }\n`, line: 11, path: 'faults[0]', message: 'family delay-watch needs `delay`' },
  { name: 'key of another family', yaml: `${BASE}faults:\n  - { family: crash, component: controller, lag: 5s, at: 1m }\n`, line: 11, path: 'faults[0].lag', message: '`lag` does not apply to family crash (its keys: component)' },
  { name: 'unknown kind in a fault', yaml: `${BASE}faults:\n  - { family: drop-watch, component: controller, kinds: [Revison], at: 1m }\n`, line: 11, path: 'faults[0].kinds[0]', message: /^unknown kind "Revison" \(did you mean "Revision"\?/ },
  { name: 'node-loss of an unknown node', yaml: `${BASE}faults:\n  - { family: node-loss, node: node-7, at: 1m }\n`, line: 11, path: 'faults[0].node', message: /^unknown node "node-7"/ },
  { name: 'upgrade to an unknown release', yaml: `${BASE}faults:\n  - { family: upgrade, to: "3.1", at: 1m }\n`, line: 11, path: 'faults[0].to', message: /^no profile for Knative release "3.1"/ },
  { name: 'fault after the end of the run', yaml: `${BASE}faults:\n  - { family: crash, component: controller, at: 11m }\n`, line: 11, path: 'faults[0].at', message: '11m is not before the end of the run (duration 10m0s)' },
  { name: 'both at and when', yaml: `${BASE}faults:\n  - family: crash\n    component: controller\n    at: 1m\n    when: { condition: { kind: Revision, type: Ready, status: "True" } }\n`, line: 14, path: 'faults[0].when', message: 'only one of `at`, `when` may be set (found `at` and `when`)' },
  { name: 'after with at', yaml: `${BASE}faults:\n  - { family: crash, component: controller, at: 1m, after: 5s }\n`, line: 11, path: 'faults[0].after', message: '`after` goes with `when`; with `at`, write the time itself' },
  { name: 'bad trigger op', yaml: `${BASE}faults:\n  - { family: crash, component: controller, when: { replicas: { of: readyPods, gte: 3 } } }\n`, line: 11, path: 'faults[0].when.replicas.gte', message: 'unknown field `gte` (did you mean `gt`?)' },
  { name: 'predicate with two kinds', yaml: `${BASE}actions:\n  - when:\n      condition: { kind: Revision, type: Ready, status: "True" }\n      write: { component: controller, kind: Revision, n: 1 }\n    delete: [{ apiVersion: serving.knative.dev/v1, kind: Service, name: hello }]\n`, line: 13, path: 'actions[0].when.write', message: 'only one of `condition`, `write`, `replicas` may be set (found `condition` and `write`)' },
  { name: 'condition status read as a boolean', yaml: `${BASE}oracles:\n  - never: { condition: { kind: Revision, type: Ready, status: False } }\n`, line: 11, path: 'oracles[0].never.condition.status', message: 'expected one of True, False, Unknown, got a boolean false (quote it, "False": YAML reads false as a boolean)' },
  { name: 'two load keys in a phase', yaml: `${BASE}workload:\n  - service: hello\n    phases:\n      - { for: 1m, rps: 10, idle: true }\n`, line: 13, path: 'workload[0].phases[0].idle', message: 'only one of `rps`, `idle`, `poisson`, `steps`, `burst`, `closed` may be set (found `rps` and `idle`)' },
  { name: 'phase without load', yaml: `${BASE}workload:\n  - service: hello\n    phases:\n      - { for: 1m }\n`, line: 13, path: 'workload[0].phases[0]', message: 'needs one of `rps`, `idle`, `poisson`, `steps`, `burst`, `closed`' },
  { name: 'phases longer than the run', yaml: `${BASE}workload:\n  - service: hello\n    start: 5m\n    phases: [{ for: 6m, rps: 1 }]\n`, line: 13, path: 'workload[0].phases', message: 'the phases end at 11m0s, after the end of the run (duration 10m0s)' },
  { name: 'request path without a leading slash', yaml: `${BASE}workload:\n  - service: hello\n    phases:\n      - { for: 1m, rps: 1, path: healthz }\n`, line: 13, path: 'workload[0].phases[0].path', message: 'a request path starts with /, got "healthz"' },
  { name: 'workload for a Service that no manifest creates', yaml: `${BASE}workload:\n  - { service: hallo, phases: [{ for: 1m, rps: 1 }] }\n`, line: 11, path: 'workload[0].service', message: 'no Knative Service default/hallo in setup or actions (Knative Services: default/hello)' },
  { name: 'bad distribution', yaml: `${BASE}workload:\n  - { service: hello, serviceTime: { gaussian: 1s }, phases: [{ for: 1m, rps: 1 }] }\n`, line: 11, path: 'workload[0].serviceTime', message: 'expected a duration, {exponential: <mean>}, {uniform: [<min>, <max>]} or {lognormal: {median, sigma}}, got a mapping' },
  { name: 'missing manifest file', yaml: `${BASE}  - file: manifests/nope.yaml\n`, line: 10, path: 'setup[1].file', message: /^no such file: \/.*\/row-\d+\/manifests\/nope\.yaml$/ },
  { name: 'syntax error inside a manifest file', yaml: `${BASE}  - file: m.yaml\n`, files: { 'm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a\n' }, line: 4, path: '', message: /^YAML syntax:/ },
  { name: 'manifest the API server rejects', yaml: 'duration: 1m\nsetup:\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: { name: Web_1 }\n    spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: nginx }] } } }\n', line: 5, path: 'setup[0].metadata.name', message: /^the API server rejects apps Deployment: metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of/ },
  { name: 'manifest in a file the API server rejects, located in that file', yaml: `${BASE}  - file: m.yaml\n`, files: { 'm.yaml': '---\napiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: {}\n' }, line: 5, path: 'spec.containers', message: 'the API server rejects Pod: spec.containers: Required value' },
  { name: 'unknown kind in a manifest', yaml: 'duration: 1m\nsetup:\n  - { apiVersion: serving.knative.dev/v1, kind: Servce, metadata: { name: x } }\n', line: 3, path: 'setup[0].kind', message: /^unknown kind serving.knative.dev\/v1 Servce \(did you mean serving.knative.dev\/v1 Service\?\); known kinds: v1 Namespace, v1 Pod, .*serving.knative.dev\/v1 Service/ },
  { name: 'bad Knative annotation', yaml: BASE.replace('      template:\n', '      template:\n        metadata:\n          annotations: { autoscaling.knative.dev/max-scale: "-2" }\n'), line: 9, path: 'setup[0].spec.template.metadata.annotations["autoscaling.knative.dev/max-scale"]', message: 'invalid Knative annotation: expected 0 <= -2 <= 2147483647: autoscaling.knative.dev/max-scale' },
  { name: 'Knative Service without containers', yaml: 'duration: 1m\nsetup:\n  - apiVersion: serving.knative.dev/v1\n    kind: Service\n    metadata: { name: x }\n    spec: { template: { spec: { containers: [] } } }\n', line: 6, path: 'setup[0].spec.template.spec', message: 'missing field(s): spec.template.spec.containers' },
  { name: 'config-autoscaler Knative would refuse', yaml: 'duration: 1m\nsetup:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: config-autoscaler, namespace: knative-serving }\n    data: { stable-window: 1s }\n', line: 6, path: 'setup[0].data.stable-window', message: 'Knative rejects config-autoscaler: stable-window = 1s, must be in [6s; 1h0m0s] range' },
  { name: 'ConfigMap value that is not a string', yaml: 'duration: 1m\nsetup:\n  - { apiVersion: v1, kind: ConfigMap, metadata: { name: c }, data: { replicas: 3 } }\n', line: 3, path: 'setup[0].data', message: 'value of "replicas" must be a string (quote it: "3")' },
  { name: 'unknown oracle shape', yaml: `${BASE}oracles:\n  - { sometimes: { series: replicas, ge: 1 } }\n`, line: 11, path: 'oracles[0]', message: 'expected a library oracle name, or a mapping with one of use, always, eventually, never, module, got a mapping' },
  { name: 'unknown series', yaml: `${BASE}oracles:\n  - always: { series: replica, ge: 1 }\n`, line: 11, path: 'oracles[0].always.series', message: /^unknown series "replica" \(did you mean "replicas"\? known: readyPods, pods, replicas, desiredScale, inFlight, maxPodConcurrency, activatorQueue, sksMode\)$/ },
  { name: 'series without comparison', yaml: `${BASE}oracles:\n  - always: { series: replicas }\n`, line: 11, path: 'oracles[0].always', message: 'a series needs one of `eq`, `ne`, `lt`, `le`, `gt`, `ge`' },
  { name: 'sksMode compared with an order', yaml: `${BASE}oracles:\n  - never: { series: sksMode, gt: Proxy }\n`, line: 11, path: 'oracles[0].never.gt', message: 'sksMode compares with eq or ne only' },
  { name: 'eventually without within', yaml: `${BASE}oracles:\n  - eventually: { condition: { kind: Revision, type: Ready, status: "True" } }\n`, line: 11, path: 'oracles[0].eventually', message: 'eventually needs `within`' },
  { name: 'oracle module that does not exist', yaml: `${BASE}oracles:\n  - module: ./oracles/missing.ts\n`, line: 11, path: 'oracles[0].module', message: 'no such file: ./oracles/missing.ts (relative to the scenario file)' },
  { name: 'duplicate fault names', yaml: `${BASE}faults:\n  - { name: f, family: crash, component: controller, at: 1m }\n  - { name: f, family: crash, component: activator, at: 2m }\n`, line: 12, path: 'faults[1].name', message: 'duplicate fault name "f"' },
  { name: 'duplicate seeds', yaml: `${BASE}seeds: [1, 2, 1]\n`, line: 10, path: 'seeds[2]', message: 'duplicate seed 1' },
  { name: 'bad node quantity', yaml: 'duration: 1m\ncluster:\n  nodes: [{ name: n1, memory: lots }]\n', line: 3, path: 'cluster.nodes[0].memory', message: /^quantities must match the regular expression .*, got "lots"$/ },
  { name: 'misspelt pod timing', yaml: 'duration: 1m\ncluster:\n  podTimings: { imagePul: 1s }\n', line: 3, path: 'cluster.podTimings.imagePul', message: 'unknown field `imagePul` (did you mean `imagePull`?)' },
  { name: 'pod timing in seconds that is not whole', yaml: 'duration: 1m\ncluster:\n  podTimings: { nodeLeaseDuration: 1500ms }\n', line: 3, path: 'cluster.podTimings.nodeLeaseDuration', message: 'must be whole seconds' },
  { name: 'empty file', yaml: '', path: '', message: 'expected a mapping, got null' },
];

t.test('bad scenario files: each error names the file, line and field', async (t) => {
  const dir = t.testdir({});
  for (const [i, row] of ROWS.entries()) {
    const rowDir = join(dir, `row-${i}`);
    mkdirSync(rowDir, { recursive: true });
    for (const [name, text] of Object.entries(row.files ?? {})) {
      mkdirSync(dirname(join(rowDir, name)), { recursive: true });
      writeFileSync(join(rowDir, name), text);
    }
    const file = join(rowDir, 'scenario.yaml');
    writeFileSync(file, row.yaml);
    t.test(row.name, (t) => {
      let error: unknown;
      try {
        loadScenario(file);
      } catch (e) {
        error = e;
      }
      if (!(error instanceof ScenarioError)) {
        t.fail(`expected a ScenarioError, got ${error === undefined ? 'a scenario' : String(error)}`);
        return t.end();
      }
      t.equal(error.exitCode, 2);
      const issue = error.issues[row.index ?? 0];
      const expectedFile = Object.keys(row.files ?? {}).some((f) => issue.file.endsWith(f)) ? issue.file : file;
      t.equal(issue.file, expectedFile, 'file');
      t.equal(issue.line, row.line, `line (${error.format()})`);
      t.equal(issue.path, row.path, 'path');
      if (typeof row.message === 'string') t.equal(issue.message, row.message, 'message');
      else t.match(issue.message, row.message, 'message');
      if (row.count !== undefined) t.equal(error.issues.length, row.count, 'issue count');
      t.ok(error.format().split('\n')[0].startsWith(`${issue.file}${issue.line === undefined ? '' : `:${issue.line}:`}`), 'format() leads with file:line:column');
      t.end();
    });
  }
});

/** The ScenarioError `fn` throws (a test failure when it throws something else or nothing). */
function scenarioError(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('expected a ScenarioError, but it loaded');
}

t.test('all problems of a file are reported together, capped at 20', (t) => {
  const dir = t.testdir({});
  const faults = Array.from({ length: 25 }, (_, i) => `  - { family: crash, component: nope-${i}, at: 1m }`).join('\n');
  const file = join(dir, 'many.yaml');
  writeFileSync(file, `${BASE}faults:\n${faults}\n`);
  const error = scenarioError(() => loadScenario(file));
  t.equal(error.issues.length, 20);
  t.equal(error.omitted, 5);
  t.match(error.format(), /\.\.\. and 5 more$/);
  t.equal(error.issues[3].path, 'faults[3].component');
  t.equal(error.issues[3].line, 14);
  t.end();
});

t.test('a scenario file that does not exist is bad input too', (t) => {
  const error = scenarioError(() => loadScenario('/nonexistent/scenario.yaml'));
  t.equal(error.issues[0].message, 'cannot read the file: no such file');
  t.equal(error.exitCode, 2);
  t.end();
});
