// One entry of `faults:`: the family's own keys (checked here, since the schema lists the keys of all
// families together), the trigger and the optional healing duration.

import { UNDER_TEST } from './types.js';
import { KNATIVE_NAMESPACE } from '../knative/serving-system.js';
import { buildTrigger, checkKind, type ScenarioEnv } from './build-trigger.js';
import type { FieldReader } from './field-reader.js';
import type { ManifestChecker } from './manifest-check.js';
import { unknownName } from './suggest.js';
import type { ComponentName, FaultBody, FaultFamily, FaultSpec, PodSelector } from './types.js';

type Raw = Record<string, unknown>;

const COMMON_KEYS = ['name', 'family', 'at', 'when', 'after', 'duration'];

/** Each family's keys: required first, then optional. */
const FAMILY_KEYS: Readonly<Record<FaultFamily, { required: string[]; optional?: string[] }>> = {
  crash: { required: ['component'] },
  restart: { required: ['component'] },
  'kill-leader': { required: ['component'] },
  partition: { required: ['component'] },
  'delay-watch': { required: ['component', 'kinds', 'delay'] },
  'drop-watch': { required: ['component', 'kinds'] },
  'stale-view': { required: ['component', 'lag'] },
  'api-errors': { required: ['component', 'verbs', 'kinds', 'code'], optional: ['probability'] },
  'pod-crash': { required: ['pods'] },
  'pod-flap': { required: ['pods', 'period'], optional: ['probe'] },
  'pod-fail-create': { required: [], optional: ['namespace', 'message'] },
  'node-loss': { required: ['node'] },
  'configmap-change': { required: ['configMap', 'data'], optional: ['namespace'] },
  upgrade: { required: ['to'] },
};

/** What pod creation fails with by default: an admission webhook's denial, as the API server words it. */
const DEFAULT_CREATE_FAILURE = 'admission webhook "sleeveless.dev" denied the request: pod creation is failing';

export interface FaultEnv extends ScenarioEnv {
  checker: ManifestChecker;
}

function podSelector(raw: Raw): PodSelector {
  return {
    namespace: typeof raw.namespace === 'string' ? raw.namespace : 'default',
    ...(typeof raw.revision === 'string' ? { revision: raw.revision } : {}),
    ...(raw.labels === undefined ? {} : { labels: { ...(raw.labels as Record<string, string>) } }),
    ...(typeof raw.count === 'number' ? { count: raw.count } : {}),
  };
}

function buildBody(reader: FieldReader, path: (string | number)[], raw: Raw, env: FaultEnv): FaultBody | undefined {
  const family = raw.family as FaultFamily;
  const component = (): ComponentName | undefined => {
    const name = raw.component as string;
    if (env.components.includes(name)) return name as ComponentName;
    return reader.fail([...path, 'component'], unknownName('component', name, env.components));
  };
  const kinds = (): string[] | undefined => {
    const list = raw.kinds as string[];
    const ok = list.map((kind, i) => checkKind(reader, [...path, 'kinds', i], kind, env)).every(Boolean);
    return ok ? [...list] : undefined;
  };
  switch (family) {
    case 'crash': case 'restart': case 'kill-leader': case 'partition': {
      const c = component();
      return c === undefined ? undefined : { family, component: c } as FaultBody;
    }
    case 'delay-watch': {
      const c = component();
      const k = kinds();
      const delayMs = reader.duration([...path, 'delay'], raw.delay, { positive: true });
      return c === undefined || k === undefined || delayMs === undefined ? undefined : { family, component: c, kinds: k, delayMs };
    }
    case 'drop-watch': {
      const c = component();
      const k = kinds();
      return c === undefined || k === undefined ? undefined : { family, component: c, kinds: k };
    }
    case 'stale-view': {
      const c = component();
      const lagMs = reader.duration([...path, 'lag'], raw.lag, { positive: true });
      return c === undefined || lagMs === undefined ? undefined : { family, component: c, lagMs };
    }
    case 'api-errors': {
      const c = component();
      const k = kinds();
      if (c === undefined || k === undefined) return undefined;
      return { family, component: c, kinds: k, verbs: [...(raw.verbs as string[])], code: raw.code as number, probability: (raw.probability as number | undefined) ?? 1 };
    }
    case 'pod-crash':
      return { family, pods: podSelector(raw.pods as Raw) };
    case 'pod-flap': {
      const periodMs = reader.duration([...path, 'period'], raw.period, { positive: true });
      const probe = (raw.probe as 'readiness' | 'liveness' | undefined) ?? 'readiness';
      return periodMs === undefined ? undefined : { family, pods: podSelector(raw.pods as Raw), periodMs, probe };
    }
    case 'pod-fail-create':
      return { family, namespace: (raw.namespace as string | undefined) ?? 'default', message: (raw.message as string | undefined) ?? DEFAULT_CREATE_FAILURE };
    case 'node-loss': {
      const node = raw.node as string;
      if (!env.nodes.includes(node)) return reader.fail([...path, 'node'], unknownName('node', node, env.nodes));
      return { family, node };
    }
    case 'configmap-change': {
      const namespace = (raw.namespace as string | undefined) ?? KNATIVE_NAMESPACE;
      const name = raw.configMap as string;
      const data = { ...(raw.data as Record<string, string>) };
      const bad = Object.entries(data).find(([, v]) => typeof v !== 'string');
      if (bad !== undefined) return reader.fail([...path, 'data', bad[0]], `ConfigMap data values must be strings (quote it: "${String(bad[1])}")`);
      const current = env.checker.configMapData(namespace, name);
      if (current === undefined) return reader.fail([...path, 'configMap'], `no ConfigMap ${namespace}/${name} in the cluster after setup`);
      if (namespace === KNATIVE_NAMESPACE) env.checker.checkKnativeConfig({ reader, path }, ['data'], name, { ...current, ...data });
      return { family, namespace, name, data };
    }
    case 'upgrade': {
      const to = raw.to === UNDER_TEST ? UNDER_TEST : reader.release([...path, 'to'], raw.to);
      return to === undefined ? undefined : { family, to };
    }
  }
}

export function buildFault(reader: FieldReader, index: number, raw: Raw, env: FaultEnv): FaultSpec | undefined {
  const path = ['faults', index];
  const family = raw.family as FaultFamily;
  const keys = FAMILY_KEYS[family];
  const before = reader.issues.length;
  for (const key of keys.required) {
    if (!Object.hasOwn(raw, key)) reader.fail(path, `family ${family} needs \`${key}\``);
  }
  const allowed = [...keys.required, ...(keys.optional ?? [])];
  for (const key of Object.keys(raw)) {
    if (COMMON_KEYS.includes(key) || allowed.includes(key)) continue;
    reader.fail([...path, key], `\`${key}\` does not apply to family ${family} (its keys: ${allowed.length === 0 ? 'none' : allowed.join(', ')})`, { atKey: true });
  }
  if (reader.issues.length > before) return undefined;
  const body = buildBody(reader, path, raw, env);
  const trigger = buildTrigger(reader, path, raw, env);
  const durationMs = raw.duration === undefined ? undefined : reader.duration([...path, 'duration'], raw.duration, { positive: true });
  if (body === undefined || trigger === undefined || (raw.duration !== undefined && durationMs === undefined)) return undefined;
  return {
    id: typeof raw.name === 'string' ? raw.name : `fault-${index}`,
    trigger,
    ...(durationMs === undefined ? {} : { durationMs }),
    source: reader.ref(path),
    ...body,
  };
}

