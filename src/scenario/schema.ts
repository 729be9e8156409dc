// The JSON Schema of scenario files (scenarios/*.yaml) and bug files (bugs/*.yaml), written once here.
// `npm run schema` writes them to schema/ for editors (a scenario file opts in with the modeline
// `# yaml-language-server: $schema=../schema/scenario.schema.json`); the loader checks every file
// against the same objects (schema-check.ts) before the checks that need code (durations that parse,
// releases that exist, component names, family-specific fault keys, manifests the API server accepts).

import { DEFAULT_KUBELET_TIMINGS } from '../kube/kubelet-timings.js';
import { formatDurationMs } from '../knative/config/duration.js';
import type { JsonSchema } from './json-schema.js';
import { FAULT_FAMILIES, KNATIVE_COMPONENTS, KUBE_COMPONENTS } from './types.js';

/** Go's time.ParseDuration syntax, without a sign: "0", "500ms", "1m30s", "1.5h". */
export const DURATION_PATTERN = '^(?:0|(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$';
const DURATION_MESSAGE = 'expected a duration such as "500ms", "30s" or "1m30s"';

export const SCENARIO_SCHEMA_ID = 'https://sleeveless.dev/schema/scenario.schema.json';
export const BUG_SCHEMA_ID = 'https://sleeveless.dev/schema/bug.schema.json';

/** Comparison keys of series and replica predicates, and the CompareOp each stands for. */
export const COMPARE_KEYS = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;
export type CompareKey = keyof typeof COMPARE_KEYS;

/** Load keys of a workload phase: exactly one per phase. */
export const LOAD_KEYS = ['rps', 'idle', 'poisson', 'steps', 'burst', 'closed'] as const;

/** Oracle shapes written in YAML. */
export const ORACLE_SHAPES = ['always', 'eventually', 'never'] as const;

/** Verbs an API client uses (api-errors faults, write predicates). */
export const API_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] as const;
export const WRITE_VERBS = ['create', 'update', 'patch', 'delete'] as const;

/** Knative Serving's deployments, as bug files name the components a bug lives in. */
export const BUG_COMPONENTS = ['controller', 'autoscaler', 'activator', 'queue-proxy', 'webhook', 'ingress-gateway'] as const;
export const BUG_CLASSES = ['S', 'S+R', 'DP'] as const;

/** The YAML key of a KubeletTimings field: the unit suffix dropped (crashLoopBackOffInitialMs → crashLoopBackOffInitial). */
export function podTimingKey(field: string): string {
  return field.replace(/(Ms|S)$/, '');
}

const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });
const text = (description: string): JsonSchema => ({ type: 'string', description });
const exactlyOne = (keys: readonly string[]): JsonSchema[] => keys.map((k) => ({ required: [k] }));

function duration(description: string, extra: Partial<JsonSchema> = {}): JsonSchema {
  return { ...ref('duration'), description, ...extra };
}

function podTimingsSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [field, value] of Object.entries(DEFAULT_KUBELET_TIMINGS)) {
    const key = podTimingKey(field);
    if (typeof value === 'object') {
      const d = value as { ms: number; jitterMs: number };
      properties[key] = {
        description: `Kubelet stage delay \`${field}\` (src/kube/kubelet-timings.ts), default ${formatDurationMs(d.ms)} plus up to ${formatDurationMs(d.jitterMs)} jitter. A duration sets the base and keeps the default jitter; {ms, jitter} sets either.`,
        anyOf: [ref('duration'), {
          type: 'object', additionalProperties: false,
          properties: { ms: duration('Base delay.'), jitter: duration('Uniform jitter added on top, in [0, jitter].') },
        }],
        errorMessage: `expected a duration or {ms: <duration>, jitter: <duration>}`,
      };
    } else {
      const seconds = field.endsWith('S') && !field.endsWith('Ms');
      properties[key] = duration(`Kubelet setting \`${field}\` (src/kube/kubelet-timings.ts), default ${formatDurationMs(seconds ? value * 1000 : value)}${seconds ? '; whole seconds' : ''}.`);
    }
  }
  return { type: 'object', additionalProperties: false, description: 'Kubelet and container runtime timing overrides.', properties };
}

function triggerProperties(): Record<string, JsonSchema> {
  return {
    at: duration('Fires at this run time.'),
    when: ref('predicate'),
    after: duration('With `when`: fires this long after the predicate first holds. Default 0s.'),
  };
}

function comparisonProperties(valueSchema: JsonSchema): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const key of Object.keys(COMPARE_KEYS)) out[key] = { ...valueSchema, description: `Compare with ${COMPARE_KEYS[key as CompareKey]}.` };
  return out;
}

function definitions(): Record<string, JsonSchema> {
  const components = [...KNATIVE_COMPONENTS, ...KUBE_COMPONENTS].join(', ');
  return {
    duration: {
      description: 'A Go duration: "500ms", "30s", "1m30s", "2h".',
      anyOf: [
        { type: 'string', pattern: DURATION_PATTERN, patternErrorMessage: DURATION_MESSAGE },
        { type: 'integer', const: 0, errorMessage: DURATION_MESSAGE },
      ],
      errorMessage: DURATION_MESSAGE,
    },
    release: {
      description: 'A Knative release: "1.11", "0.16" or "latest" (a number such as 1.20 is read as written).',
      type: ['string', 'number'],
    },
    quantity: {
      description: 'A Kubernetes resource quantity: 4, "3500m", "16Gi".',
      anyOf: [{ type: 'string' }, { type: 'number', minimum: 0 }],
      errorMessage: 'expected a quantity such as 4, "3500m" or "16Gi"',
    },
    stringMap: { type: 'object', additionalProperties: { type: 'string' } },
    distribution: {
      description: 'A duration (constant), or {exponential: <mean>}, {uniform: [<min>, <max>]}, {lognormal: {median, sigma}}.',
      anyOf: [
        ref('duration'),
        { type: 'object', required: ['exponential'], additionalProperties: false, properties: { exponential: duration('Mean.') } },
        {
          type: 'object', required: ['uniform'], additionalProperties: false,
          properties: { uniform: { type: 'array', items: ref('duration'), minItems: 2, errorMessage: 'expected [<min>, <max>]', description: '[min, max].' } },
        },
        {
          type: 'object', required: ['lognormal'], additionalProperties: false,
          properties: {
            lognormal: {
              type: 'object', required: ['median', 'sigma'], additionalProperties: false,
              properties: { median: duration('Median.'), sigma: { type: 'number', minimum: 0, description: 'Shape (standard deviation of the log).' } },
            },
          },
        },
      ],
      errorMessage: 'expected a duration, {exponential: <mean>}, {uniform: [<min>, <max>]} or {lognormal: {median, sigma}}',
    },
    manifest: {
      description: 'A Kubernetes or Knative object as `kubectl apply` takes it, or {file: <path relative to this file>} (several YAML documents allowed).',
      anyOf: [
        { type: 'object', required: ['file'], additionalProperties: false, properties: { file: text('A YAML file of manifests, relative to this file.') } },
        {
          type: 'object', required: ['apiVersion', 'kind', 'metadata'],
          properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } },
        },
      ],
      errorMessage: 'expected a manifest (apiVersion, kind, metadata, ...) or {file: <path>}',
    },
    objectRef: {
      type: 'object', required: ['apiVersion', 'kind', 'name'], additionalProperties: false,
      properties: {
        apiVersion: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' },
        namespace: { type: 'string', default: 'default' },
      },
    },
    condition: {
      description: 'An object of this kind has a status condition.',
      type: 'object', required: ['kind', 'type', 'status'], additionalProperties: false,
      properties: {
        kind: text('Kind: Revision, Service (the Knative one), Route, PodAutoscaler, ...'),
        name: text('Object name; any when omitted.'),
        namespace: text('Namespace; any when omitted.'),
        type: text('Condition type, e.g. Ready.'),
        status: { enum: ['True', 'False', 'Unknown'], description: 'Quote it: YAML reads True as a boolean.', 'x-noun': 'condition status' },
      },
    },
    predicate: {
      description: 'Exactly one of condition, write, replicas.',
      type: 'object', additionalProperties: false,
      properties: {
        condition: ref('condition'),
        write: {
          description: 'A component makes its n-th write of a kind.',
          type: 'object', required: ['component', 'kind', 'n'], additionalProperties: false,
          properties: {
            component: text(`Writer: ${components}, kubelet/<node> or user.`),
            kind: text('Kind written.'),
            n: { type: 'integer', minimum: 1 },
            verbs: { type: 'array', items: { enum: [...WRITE_VERBS], 'x-noun': 'verb' } },
          },
        },
        replicas: {
          description: "A revision's Deployment replicas or ready pods cross a value (exactly one of eq, ne, lt, le, gt, ge).",
          type: 'object', required: ['of'], additionalProperties: false,
          properties: {
            revision: text('Revision name; any when omitted.'),
            namespace: text('Namespace; any when omitted.'),
            of: { enum: ['replicas', 'readyPods'], 'x-noun': 'replica count' },
            ...comparisonProperties({ type: 'number' }),
          },
          oneOf: exactlyOne(Object.keys(COMPARE_KEYS)),
        },
      },
      oneOf: exactlyOne(['condition', 'write', 'replicas']),
    },
    node: {
      type: 'object', required: ['name'], additionalProperties: false,
      properties: {
        name: text('Node name.'),
        cpu: { ...ref('quantity'), description: 'CPU capacity, default 4.' },
        memory: { ...ref('quantity'), description: 'Memory capacity, default 16Gi.' },
        pods: { type: 'integer', minimum: 1, default: 110 },
        labels: ref('stringMap'),
      },
    },
    loadPhase: {
      description: '`for` plus exactly one load key: rps, idle, poisson, steps, burst, closed.',
      type: 'object', required: ['for'], additionalProperties: false,
      properties: {
        for: duration('How long the phase lasts.'),
        name: text('Phase name (default <service>/phase-<index>).'),
        serviceTime: { ...ref('distribution'), description: "Overrides the workload's service time." },
        timeout: duration("Overrides the workload's client timeout."),
        path: text('Request path, default /.'),
        rps: { type: 'number', minimum: 0, description: 'Constant arrival rate (requests per second).' },
        idle: { const: true, description: 'No requests.', errorMessage: 'expected true' },
        poisson: { type: 'number', minimum: 0, description: 'Poisson arrivals with this mean rate (requests per second).' },
        steps: {
          type: 'array', minItems: 1, description: 'Piecewise constant rate.',
          items: {
            type: 'object', required: ['after', 'rps'], additionalProperties: false,
            properties: { after: duration('Since the phase began.'), rps: { type: 'number', minimum: 0 } },
          },
        },
        burst: {
          type: 'object', required: ['size', 'every'], additionalProperties: false,
          properties: { size: { type: 'integer', minimum: 1 }, every: duration('Period between bursts.') },
        },
        closed: {
          type: 'object', required: ['users'], additionalProperties: false,
          properties: {
            users: { type: 'integer', minimum: 1 },
            thinkTime: { ...ref('distribution'), description: 'Pause between a response and the next request; default 0s.' },
          },
        },
      },
      oneOf: exactlyOne(LOAD_KEYS),
    },
    workload: {
      type: 'object', required: ['phases'], additionalProperties: false,
      properties: {
        service: text('Knative Service name: requests go to <service>.<namespace>.svc.cluster.local.'),
        host: text('Or the host itself.'),
        namespace: { type: 'string', default: 'default' },
        start: duration('When the first phase begins. Default 0s.'),
        serviceTime: { ...ref('distribution'), description: 'How long the app takes per request. Default 100ms.' },
        timeout: duration('Client timeout. Default none.'),
        phases: { type: 'array', minItems: 1, items: ref('loadPhase') },
      },
      oneOf: exactlyOne(['service', 'host']),
    },
    podSelector: {
      type: 'object', additionalProperties: false,
      properties: {
        namespace: { type: 'string', default: 'default' },
        revision: text("A revision's pods."),
        labels: { ...ref('stringMap'), description: 'Or pods with these labels.' },
        count: { type: 'integer', minimum: 1, description: 'How many of them (chosen by the seed). Default all.' },
      },
      oneOf: exactlyOne(['revision', 'labels']),
    },
    fault: {
      description: 'A fault: `family`, its keys, a trigger (`at`, or `when` with optional `after`) and an optional `duration` after which it heals.',
      type: 'object', required: ['family'], additionalProperties: false,
      properties: {
        name: text('Fault id (default fault-<index>).'),
        family: { enum: [...FAULT_FAMILIES], 'x-noun': 'fault family' },
        ...triggerProperties(),
        duration: duration('Heals this long after it fires.'),
        component: text(`Target component: ${components} or kubelet/<node>.`),
        kinds: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'Object kinds (delay-watch, drop-watch, api-errors).' },
        delay: duration('delay-watch: how late events arrive.'),
        lag: duration('stale-view: how far behind the informers are.'),
        verbs: { type: 'array', minItems: 1, items: { enum: [...API_VERBS], 'x-noun': 'verb' }, description: 'api-errors: verbs that fail.' },
        code: { type: 'integer', minimum: 400, maximum: 599, description: 'api-errors: HTTP status code.' },
        probability: { type: 'number', minimum: 0, maximum: 1, default: 1, description: 'api-errors: chance each request fails.' },
        pods: ref('podSelector'),
        period: duration('pod-flap: readiness flips this often.'),
        probe: { enum: ['readiness', 'liveness'], default: 'readiness', 'x-noun': 'probe', description: 'pod-flap: which probe fails (liveness: the kubelet restarts the container).' },
        namespace: text('pod-fail-create, configmap-change: namespace.'),
        message: text('pod-fail-create: the admission error message.'),
        node: text('node-loss: the node.'),
        configMap: text('configmap-change: the ConfigMap name.'),
        data: { ...ref('stringMap'), description: 'configmap-change: data merged into the ConfigMap.' },
        to: { anyOf: [{ const: 'under-test' }, ref('release')], description: 'upgrade: target release, or `under-test` for the release the run is for.' },
      },
      oneOf: exactlyOne(['at', 'when']),
    },
    action: {
      type: 'object', additionalProperties: false,
      properties: {
        name: text('Action id (default action-<index>).'),
        ...triggerProperties(),
        apply: { type: 'array', minItems: 1, items: ref('manifest'), description: 'Objects to create or update, as kubectl apply.' },
        delete: { type: 'array', minItems: 1, items: ref('objectRef'), description: 'Objects to delete.' },
      },
      oneOf: exactlyOne(['at', 'when']),
    },
    shape: {
      description: 'A series comparison (series, revision, one of eq/ne/lt/le/gt/ge) or a condition, checked over a window.',
      type: 'object', additionalProperties: false,
      properties: {
        series: text('A numeric field of the per-revision samples (readyPods, pods, replicas, desiredScale, inFlight, maxPodConcurrency, activatorQueue) or sksMode.'),
        revision: text('Revision name; every revision when omitted.'),
        namespace: text('Namespace; any when omitted.'),
        ...comparisonProperties({ type: ['number', 'string'] }),
        where: {
          description: 'Only samples that also satisfy these comparisons count, e.g. {replicas: {eq: 0}}.',
          type: 'object', additionalProperties: false,
          properties: Object.fromEntries(['readyPods', 'pods', 'replicas', 'desiredScale', 'inFlight', 'maxPodConcurrency', 'activatorQueue', 'sksMode'].map((name) => [name, {
            type: 'object', additionalProperties: false,
            properties: comparisonProperties({ type: ['number', 'string'] }),
            description: `A comparison of ${name}, e.g. {eq: 0}.`,
          }])),
        },
        condition: ref('condition'),
        from: duration('Window start. Default 0s.'),
        to: duration('Window end. Default the end of the run.'),
        within: duration('eventually: the deadline, from the window start.'),
      },
      oneOf: exactlyOne(['series', 'condition']),
    },
    oracle: {
      description: 'A library oracle by name, {use: <name>, <params>}, {always|eventually|never: <shape>} or {module: <path>}.',
      anyOf: [
        { type: 'string', pattern: '^[a-z][a-z0-9-]*$', patternErrorMessage: 'expected a library oracle name such as no-failed-requests' },
        { type: 'object', required: ['use'], properties: { use: { type: 'string' }, name: { type: 'string' } } },
        ...ORACLE_SHAPES.map((shape): JsonSchema => ({
          type: 'object', required: [shape], additionalProperties: false, properties: { [shape]: ref('shape'), name: { type: 'string' } },
        })),
        {
          type: 'object', required: ['module'], additionalProperties: false,
          properties: { module: text('A TypeScript module, relative to this file.'), name: { type: 'string' } },
        },
      ],
      errorMessage: 'expected a library oracle name, or a mapping with one of use, always, eventually, never, module',
    },
    scenario: {
      type: 'object', required: ['duration'], additionalProperties: false,
      properties: {
        name: text('Default: the file name without extension.'),
        description: text('What the scenario does.'),
        knative: { ...ref('release'), default: 'latest' },
        installed: { anyOf: [{ const: 'previous' }, ref('release')], description: 'Upgrade scenarios: the release installed at the start when it differs from the release under test (`previous`: the release before it); an upgrade fault with `to: under-test` moves to the latter.' },
        duration: duration('Run length.'),
        seeds: {
          description: 'A count (seeds 1..N) or a list of seeds. Default 10.',
          anyOf: [{ type: 'integer', minimum: 1, maximum: 100000 }, { type: 'array', minItems: 1, items: { type: 'integer', minimum: 0 } }],
          errorMessage: 'expected a count or a list of seeds',
          default: 10,
        },
        sampleEvery: duration('How often per-revision series are sampled. Default 1s.'),
        cluster: {
          type: 'object', additionalProperties: false,
          properties: {
            nodes: {
              description: 'A count (node-1..node-N: 4 CPUs, 16Gi, 110 pods) or a list of nodes. Default 3.',
              anyOf: [{ type: 'integer', minimum: 1, maximum: 1000 }, { type: 'array', minItems: 1, items: ref('node') }],
              errorMessage: 'expected a node count or a list of nodes',
              default: 3,
            },
            podTimings: podTimingsSchema(),
            knative: {
              description: 'Replicas of the Knative system Deployments. Default 1 each.',
              type: 'object', additionalProperties: false,
              properties: Object.fromEntries(['controller', 'autoscaler', 'activator', 'gateway'].map((k) => [k, { type: 'integer', minimum: 0, default: 1 }])),
            },
          },
        },
        setup: { type: 'array', items: ref('manifest'), description: 'Applied in order at time 0.' },
        actions: { type: 'array', items: ref('action'), description: 'User actions during the run.' },
        workload: { type: 'array', items: ref('workload') },
        faults: { type: 'array', items: ref('fault') },
        oracles: { type: 'array', items: ref('oracle') },
      },
    },
  };
}

/** The scenario file schema (a fresh object each call). */
export function scenarioSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCENARIO_SCHEMA_ID,
    title: 'sleeveless scenario',
    description: 'A sleeveless scenario: Knative manifests, load, faults and oracles.',
    ...ref('scenario'),
    definitions: definitions(),
  };
}

/** The bug file schema (a fresh object each call). */
export function bugSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: BUG_SCHEMA_ID,
    title: 'sleeveless bug',
    description: 'A catalogued Knative Serving bug and the scenario that reproduces it.',
    type: 'object',
    required: ['id', 'title', 'upstream', 'components', 'class', 'mechanism', 'switches', 'affected', 'fixedIn', 'scenario', 'expectation'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: '^serving-[0-9]+$', patternErrorMessage: 'expected serving-<issue number>', description: 'Equals the file name.' },
      title: text('One line, as the upstream issue says it.'),
      upstream: {
        type: 'object', required: ['issue'], additionalProperties: false,
        properties: {
          issue: { type: 'integer', minimum: 1, description: 'knative/serving issue number.' },
          fixPr: { type: 'integer', minimum: 1, description: 'The pull request that fixed it.' },
          commit: { type: 'string', pattern: '^[0-9a-f]{7,40}$', patternErrorMessage: 'expected a commit hash (7 to 40 hex digits)' },
        },
      },
      tags: { type: 'array', items: { type: 'string' } },
      components: { type: 'array', minItems: 1, items: { enum: [...BUG_COMPONENTS], 'x-noun': 'component' } },
      class: { enum: [...BUG_CLASSES], 'x-noun': 'bug class', description: 'S: state, S+R: state and restarts, DP: data plane.' },
      mechanism: text('How the bug happens, in our own words.'),
      switches: { type: 'array', items: { type: 'string' }, description: 'Upstream fix switches (src/knative/versions.ts); [] for open bugs.' },
      affected: {
        type: 'object', required: ['from', 'to'], additionalProperties: false,
        properties: { from: ref('release'), to: ref('release') },
      },
      fixedIn: { anyOf: [ref('release'), { type: 'null' }], errorMessage: 'expected a release or null' },
      scenario: {
        description: 'A scenario file relative to this one, or the scenario itself.',
        anyOf: [{ type: 'string' }, ref('scenario')],
        errorMessage: 'expected a scenario file path or a scenario mapping',
      },
      expectation: {
        type: 'object', required: ['reproducesWithin', 'ci'], additionalProperties: false,
        properties: {
          reproducesWithin: { type: 'integer', minimum: 1, description: 'Seeds within which it reproduces on an affected release.' },
          absentIn: { type: 'integer', minimum: 1, description: 'Seeds in which it must not reproduce on a fixed release.' },
          ci: {
            type: 'object', required: ['reproducesWithin', 'absentIn'], additionalProperties: false,
            properties: { reproducesWithin: { type: 'integer', minimum: 1 }, absentIn: { type: 'integer', minimum: 0 } },
          },
        },
      },
      needsRealCluster: text('Why the simulation cannot reproduce it.'),
      scenarioFrom: {
        type: 'object', required: ['release', 'why'], additionalProperties: false,
        description: 'The scenario means something only from this release on; regress skips older releases.',
        properties: { release: ref('release'), why: text('What older releases lack that the scenario configures.') },
      },
      sharesSymptomWith: {
        type: 'array', minItems: 1,
        description: 'Catalogued bugs whose symptom the scenario also shows: where one is affected, the scenario reproduces too.',
        items: {
          type: 'object', required: ['bug', 'why'], additionalProperties: false,
          properties: {
            bug: { type: 'string', pattern: '^serving-[0-9]+$', patternErrorMessage: 'expected a bug id such as serving-6935' },
            why: text('How the other bug produces the same symptom in this scenario.'),
          },
        },
      },
    },
    definitions: definitions(),
  };
}
