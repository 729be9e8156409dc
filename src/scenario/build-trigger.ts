// Triggers of faults and actions: `at: <duration>`, or `when: <predicate>` with an optional
// `after: <duration>`. Predicates name kinds and components, which are checked against what the
// simulated cluster has.

import { formatDurationMs } from '../knative/config/duration.js';
import type { FieldReader } from './field-reader.js';
import { COMPARE_KEYS, type CompareKey } from './schema.js';
import { unknownName } from './suggest.js';
import type { CompareOp, Predicate, Trigger } from './types.js';

/** What the rest of the scenario says, for the checks that cross fields. */
export interface ScenarioEnv {
  durationMs: number;
  /** Every component a fault can target (kubelet/<node> for the scenario's nodes). */
  components: string[];
  /** Kind names the API server serves. */
  kinds: string[];
  nodes: string[];
}

/** The comparison key present (schema-checked: exactly one), as a CompareOp and its value. */
export function comparison(raw: Record<string, unknown>): { key: CompareKey; op: CompareOp; value: unknown } | undefined {
  const key = (Object.keys(COMPARE_KEYS) as CompareKey[]).find((k) => Object.hasOwn(raw, k));
  return key === undefined ? undefined : { key, op: COMPARE_KEYS[key], value: raw[key] };
}

export function checkKind(reader: FieldReader, path: (string | number)[], kind: string, env: ScenarioEnv): boolean {
  if (env.kinds.includes(kind)) return true;
  reader.fail(path, unknownName('kind', kind, env.kinds));
  return false;
}

function buildPredicate(reader: FieldReader, path: (string | number)[], raw: Record<string, unknown>, env: ScenarioEnv): Predicate | undefined {
  if (raw.condition !== undefined) {
    const c = raw.condition as Record<string, string>;
    if (!checkKind(reader, [...path, 'condition', 'kind'], c.kind, env)) return undefined;
    return {
      kind: 'condition', objectKind: c.kind, type: c.type, status: c.status as 'True' | 'False' | 'Unknown',
      ...(c.name === undefined ? {} : { name: c.name }), ...(c.namespace === undefined ? {} : { namespace: c.namespace }),
    };
  }
  if (raw.write !== undefined) {
    const w = raw.write as { component: string; kind: string; n: number; verbs?: string[] };
    const writers = [...env.components, 'user'];
    if (!writers.includes(w.component)) return reader.fail([...path, 'write', 'component'], unknownName('component', w.component, writers));
    if (!checkKind(reader, [...path, 'write', 'kind'], w.kind, env)) return undefined;
    return { kind: 'nth-write', component: w.component, objectKind: w.kind, n: w.n, ...(w.verbs === undefined ? {} : { verbs: [...w.verbs] }) };
  }
  const r = raw.replicas as Record<string, unknown>;
  const cmp = comparison(r);
  if (cmp === undefined) return undefined;
  return {
    kind: 'replicas', of: r.of as 'replicas' | 'readyPods', op: cmp.op, value: cmp.value as number,
    ...(typeof r.revision === 'string' ? { revision: r.revision } : {}), ...(typeof r.namespace === 'string' ? { namespace: r.namespace } : {}),
  };
}

/** The trigger of a fault or action at `path` (schema-checked: exactly one of at, when). */
export function buildTrigger(reader: FieldReader, path: (string | number)[], raw: Record<string, unknown>, env: ScenarioEnv): Trigger | undefined {
  if (raw.at !== undefined) {
    if (raw.after !== undefined) reader.fail([...path, 'after'], '`after` goes with `when`; with `at`, write the time itself', { atKey: true });
    const at = reader.duration([...path, 'at'], raw.at);
    if (at === undefined) return undefined;
    if (at >= env.durationMs) return reader.fail([...path, 'at'], `${String(raw.at)} is not before the end of the run (duration ${formatDurationMs(env.durationMs)})`);
    return { at };
  }
  const afterMs = raw.after === undefined ? 0 : reader.duration([...path, 'after'], raw.after);
  const when = buildPredicate(reader, [...path, 'when'], raw.when as Record<string, unknown>, env);
  if (afterMs === undefined || when === undefined) return undefined;
  return { when, afterMs };
}

