// A schema-checked scenario mapping → the Scenario model, with every check that needs code: the
// release exists, durations parse and fit in the run, components and nodes exist, each fault family
// has its keys, manifests are accepted by the API server (and Knative's webhook), referenced files
// exist, ids are unique. Problems are collected in the reader; the result is undefined when any.

import type { KubeObject } from '../apiserver/types.js';
import { KNATIVE_COMPONENTS, KUBE_COMPONENTS, type ActionSpec, type ObjectRef, type Scenario } from './types.js';
import { buildCluster } from './build-cluster.js';
import { buildFault } from './build-fault.js';
import { buildManifests, type FileEnv } from './build-manifests.js';
import { buildOracles, type OracleValidator } from './build-oracles.js';
import { buildTrigger, type ScenarioEnv } from './build-trigger.js';
import { buildWorkload } from './build-workload.js';
import type { FieldReader } from './field-reader.js';
import { ManifestChecker } from './manifest-check.js';

type Raw = Record<string, unknown>;

export interface BuildOptions extends FileEnv {
  /** Absolute path of the scenario file (or `<inline>`). */
  file: string;
  /** The name when the file gives none. */
  defaultName: string;
  validateOracle?: OracleValidator;
}

const DEFAULT_SEEDS = 10;
const DEFAULT_SAMPLE_EVERY_MS = 1000;

function buildSeeds(reader: FieldReader, value: unknown): number[] {
  if (value === undefined) return Array.from({ length: DEFAULT_SEEDS }, (_, i) => i + 1);
  if (typeof value === 'number') return Array.from({ length: value }, (_, i) => i + 1);
  const seeds = value as number[];
  seeds.forEach((seed, i) => {
    if (seeds.indexOf(seed) !== i) reader.fail(['seeds', i], `duplicate seed ${seed}`);
  });
  return [...seeds];
}

function uniqueIds(reader: FieldReader, field: string, items: { id: string }[], raws: unknown[]): void {
  const seen = new Set<string>();
  items.forEach((item) => {
    if (seen.has(item.id)) {
      let index = -1;
      raws.forEach((r, i) => { if ((r as Raw).name === item.id) index = i; });
      reader.fail(index < 0 ? [field] : [field, index, 'name'], `duplicate ${field === 'faults' ? 'fault' : 'action'} name "${item.id}"`);
    }
    seen.add(item.id);
  });
}

function knativeServices(objects: KubeObject[]): string[] {
  return objects
    .filter((o) => o.apiVersion === 'serving.knative.dev/v1' && o.kind === 'Service')
    .map((o) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`);
}

function buildActions(reader: FieldReader, raws: Raw[], env: ScenarioEnv & FileEnv & { checker: ManifestChecker }): ActionSpec[] {
  const actions: ActionSpec[] = [];
  raws.forEach((raw, i) => {
    const path = ['actions', i];
    const before = reader.issues.length;
    if (raw.apply === undefined && raw.delete === undefined) reader.fail(path, 'an action needs `apply` or `delete`');
    const trigger = buildTrigger(reader, path, raw, env);
    const apply = raw.apply === undefined ? undefined : buildManifests(reader, [...path, 'apply'], raw.apply as unknown[], env);
    const deletions: ObjectRef[] = [];
    ((raw.delete as Raw[] | undefined) ?? []).forEach((ref, j) => {
      const at = [...path, 'delete', j];
      const type = env.checker.resolveKind({ reader, path: at }, ref.apiVersion as string, ref.kind as string);
      if (type === undefined) return;
      if (!type.namespaced && ref.namespace !== undefined) reader.fail([...at, 'namespace'], `${type.kind} is not namespaced`, { atKey: true });
      deletions.push({ apiVersion: ref.apiVersion as string, kind: ref.kind as string, namespace: type.namespaced ? ((ref.namespace as string | undefined) ?? 'default') : '', name: ref.name as string });
    });
    if (trigger === undefined || reader.issues.length > before) return;
    actions.push({
      id: typeof raw.name === 'string' ? raw.name : `action-${i}`,
      trigger,
      ...(apply === undefined ? {} : { apply }),
      ...(raw.delete === undefined ? {} : { delete: deletions }),
      source: reader.ref(path),
    });
  });
  uniqueIds(reader, 'actions', actions, raws);
  return actions;
}

/** Builds the model from a mapping that conforms to the scenario schema; undefined when the reader collected issues. */
export function buildScenario(reader: FieldReader, raw: Raw, options: BuildOptions): Scenario | undefined {
  const start = reader.issues.length;
  const knative = raw.knative === undefined ? 'latest' : reader.release(['knative'], raw.knative);
  const installed = raw.installed === undefined ? undefined : raw.installed === 'previous' ? 'previous' : reader.release(['installed'], raw.installed);
  const durationMs = reader.duration(['duration'], raw.duration, { positive: true });
  const sampleEveryMs = raw.sampleEvery === undefined ? DEFAULT_SAMPLE_EVERY_MS : reader.duration(['sampleEvery'], raw.sampleEvery, { positive: true });
  const seeds = buildSeeds(reader, raw.seeds);
  const cluster = buildCluster(reader, raw.cluster as Raw | undefined);
  if (knative === undefined || durationMs === undefined || sampleEveryMs === undefined) return undefined;

  const checker = new ManifestChecker({ release: knative, replicas: cluster.knativeReplicas });
  const nodes = cluster.nodes.map((n) => n.name);
  const env = {
    ...options,
    checker,
    durationMs,
    nodes,
    components: [...KNATIVE_COMPONENTS, ...KUBE_COMPONENTS, ...nodes.map((n) => `kubelet/${n}`)],
    kinds: checker.kindNames(),
  };
  const manifests = buildManifests(reader, ['setup'], (raw.setup as unknown[] | undefined) ?? [], env);
  const actions = buildActions(reader, (raw.actions as Raw[] | undefined) ?? [], env);
  const services = knativeServices([...manifests, ...actions.flatMap((a) => a.apply ?? [])].map((m) => m.object));
  const workload = ((raw.workload as Raw[] | undefined) ?? []).map((w, i) => buildWorkload(reader, i, w, { ...env, services }));
  const phaseNames = new Set<string>();
  workload.forEach((w, i) => w?.phases.forEach((p, j) => {
    if (phaseNames.has(p.name)) reader.fail(['workload', i, 'phases', j], `duplicate phase name "${p.name}" (reports group requests by phase)`);
    phaseNames.add(p.name);
  }));
  const faultRaws = (raw.faults as Raw[] | undefined) ?? [];
  const faults = faultRaws.map((f, i) => buildFault(reader, i, f, env));
  const definedFaults = faults.filter((f) => f !== undefined);
  uniqueIds(reader, 'faults', definedFaults, faultRaws);
  const oracles = buildOracles(reader, (raw.oracles as unknown[] | undefined) ?? [], env);
  if (reader.issues.length > start) return undefined;
  return {
    file: options.file,
    name: typeof raw.name === 'string' ? raw.name : options.defaultName,
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    knative,
    ...(installed !== undefined ? { installed } : {}),
    durationMs,
    seeds,
    cluster,
    manifests,
    actions,
    workload: workload.filter((w) => w !== undefined),
    faults: definedFaults,
    oracles,
    sampleEveryMs,
  };
}
