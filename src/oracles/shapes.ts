// The custom oracle shapes a scenario writes in YAML: `always`, `eventually` and `never`, over either
// a per-revision series or an object's condition.
//
//   always:     { series: replicas, revision: hello-00001, ge: 3, from: 1m, to: 5m }
//   eventually: { within: 5m, condition: { kind: Revision, name: hello-00001, type: Ready, status: "True" } }
//   never:      { series: sksMode, eq: Serve, where: { replicas: { eq: 0 } } }
//
// A series comparison names a numeric field of the samples (readyPods, pods, replicas, desiredScale,
// inFlight, maxPodConcurrency, activatorQueue) or sksMode (eq/ne against a string), with exactly one
// of eq, ne, lt, le, gt, ge; samples where the field is unset are skipped. `where` keeps only the
// samples that also satisfy further comparisons on other series of the same sample (all of them). A condition names a kind
// (`Service` is the Knative Service), optionally a name and namespace, a condition type and a status.
// `from` and `to` (durations from the run start, or numbers of ms) bound the time looked at; for
// `eventually`, `within` (from `from`) sets the deadline, else `to`, else the run's end, and nothing is
// judged when the deadline lies past the end of the run.
//
// Quantifiers: `always` holds when every matching sample (or every state of every matching object
// while it exists) satisfies the comparison; `never` when none does; `eventually` when at least one
// does by the deadline (for conditions: one matching object reaches the status).

import { compare } from '../scenario/compare.js';
import { formatDurationMs as at } from '../knative/config/duration.js';
import type { RevisionSample } from '../scenario/history.js';
import type { CompareOp } from '../scenario/types.js';
import { describeObject, HistoryQueries, type ObjectTimeline } from './history-queries.js';
import { OracleParamError, type OracleDefinition, type Violation } from './oracle.js';
import { OracleParams } from './oracle-params.js';

export const NUMERIC_SERIES = ['readyPods', 'pods', 'replicas', 'desiredScale', 'inFlight', 'maxPodConcurrency', 'activatorQueue'] as const;
export const SERIES_NAMES = [...NUMERIC_SERIES, 'sksMode'] as const;
export type SeriesName = (typeof SERIES_NAMES)[number];

const OPS: Readonly<Record<string, CompareOp>> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };
const OP_NAMES = Object.keys(OPS);

export type ShapeName = 'always' | 'eventually' | 'never';

export interface SeriesComparison {
  series: SeriesName;
  op: CompareOp;
  value: number | string;
}

export interface SeriesTarget {
  series: SeriesName;
  /** Only samples that satisfy every one of these count. */
  where: SeriesComparison[];
  revision?: string;
  namespace?: string;
  op: CompareOp;
  value: number | string;
}

export interface ConditionTarget {
  kind: string;
  name?: string;
  namespace?: string;
  type: string;
  status: 'True' | 'False' | 'Unknown';
}

export interface ShapeParams {
  target: { series: SeriesTarget } | { condition: ConditionTarget };
  fromMs: number;
  toMs?: number;
  /** eventually only. */
  withinMs?: number;
}


const STATUSES = ['True', 'False', 'Unknown'] as const;

function parseCondition(p: OracleParams): ConditionTarget {
  const kind = p.string('kind');
  const name = p.optionalString('name');
  const namespace = p.optionalString('namespace');
  const type = p.string('type');
  // YAML reads an unquoted True/False as a boolean: take it as the condition status it means.
  const raw = p.raw('status');
  const status = raw === true ? 'True' : raw === false ? 'False' : raw;
  if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) {
    throw new OracleParamError(p.field('status'), `${p.field('status')} must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(raw ?? null)}`);
  }
  p.finish();
  return { kind, name, namespace, type, status: status as ConditionTarget['status'] };
}

function parseShape(shape: ShapeName, raw: Record<string, unknown>): ShapeParams {
  const p = new OracleParams(raw);
  const hasSeries = p.has('series');
  const hasCondition = p.has('condition');
  if (hasSeries === hasCondition) throw new OracleParamError(hasSeries ? 'condition' : 'series', `${shape} takes exactly one of series or condition`);
  let target: ShapeParams['target'];
  if (hasSeries) {
    const series = p.string('series', { oneOf: SERIES_NAMES }) as SeriesName;
    const ops = OP_NAMES.filter((name) => p.has(name));
    if (ops.length !== 1) throw new OracleParamError(ops[1] ?? 'eq', `a series comparison takes exactly one of ${OP_NAMES.join(', ')}${ops.length > 1 ? `, got ${ops.join(' and ')}` : ''}`);
    const op = OPS[ops[0]];
    if (series === 'sksMode' && op !== '==' && op !== '!=') throw new OracleParamError(ops[0], 'sksMode compares with eq or ne only');
    const value = p.scalar(ops[0], { allowString: series === 'sksMode' });
    if (series === 'sksMode' && typeof value !== 'string') throw new OracleParamError(ops[0], `${ops[0]} must be a mode such as "Serve" or "Proxy" for sksMode`);
    const where: SeriesComparison[] = [];
    const whereParams = p.has('where') ? p.nested('where') : undefined;
    if (p.has('where') && whereParams === undefined) throw new OracleParamError('where', 'where must be a mapping of series to a comparison, e.g. {replicas: {eq: 0}}');
    if (whereParams !== undefined) {
      for (const name of SERIES_NAMES) {
        if (!whereParams.has(name)) continue;
        const cmp = whereParams.nested(name);
        if (cmp === undefined) throw new OracleParamError(whereParams.field(name), `${whereParams.field(name)} must be a comparison such as {eq: 0}`);
        const cmpOps = OP_NAMES.filter((o) => cmp.has(o));
        if (cmpOps.length !== 1) throw new OracleParamError(cmp.field(cmpOps[1] ?? 'eq'), `${whereParams.field(name)} takes exactly one of ${OP_NAMES.join(', ')}`);
        const cmpOp = OPS[cmpOps[0]];
        if (name === 'sksMode' && cmpOp !== '==' && cmpOp !== '!=') throw new OracleParamError(cmp.field(cmpOps[0]), 'sksMode compares with eq or ne only');
        where.push({ series: name, op: cmpOp, value: cmp.scalar(cmpOps[0], { allowString: name === 'sksMode' }) });
        cmp.finish();
      }
      whereParams.finish();
    }
    target = { series: { series, where, revision: p.optionalString('revision'), namespace: p.optionalString('namespace'), op, value } };
  } else {
    const nested = p.nested('condition');
    if (nested === undefined) throw new OracleParamError('condition', 'condition must be a mapping');
    target = { condition: parseCondition(nested) };
  }
  const params: ShapeParams = { target, fromMs: p.duration('from', { default: 0 }), toMs: p.optionalDuration('to') };
  if (shape === 'eventually') params.withinMs = p.optionalDuration('within');
  if (params.toMs !== undefined && params.toMs < params.fromMs) throw new OracleParamError('to', `to (${at(params.toMs)}) is before from (${at(params.fromMs)})`);
  p.finish();
  return params;
}

type Found = Omit<Violation, 'oracle'>;

/** A sample's value of the series, or undefined when unset. */
function valueOf(sample: RevisionSample, series: SeriesName): number | string | undefined {
  return sample[series];
}

function seriesCheck(shape: ShapeName, q: HistoryQueries, params: ShapeParams, target: SeriesTarget, deadlineMs: number): Found | null {
  const matching: RevisionSample[] = [];
  for (const samples of q.seriesByRevision().values()) {
    const { namespace, revision } = samples[0];
    if ((target.revision !== undefined && revision !== target.revision) || (target.namespace !== undefined && namespace !== target.namespace)) continue;
    for (const s of samples) {
      if (s.atMs < params.fromMs || s.atMs > deadlineMs || valueOf(s, target.series) === undefined) continue;
      if (target.where.every((w) => { const v = valueOf(s, w.series); return v !== undefined && compare(v, w.op, w.value); })) matching.push(s);
    }
  }
  matching.sort((a, b) => a.atMs - b.atMs);
  const whereText = target.where.length === 0 ? '' : ` while ${target.where.map((w) => `${w.series} ${w.op} ${JSON.stringify(w.value)}`).join(' and ')}`;
  const opText = `${target.op} ${JSON.stringify(target.value)}${whereText}`;
  const span = `between ${at(params.fromMs)} and ${at(deadlineMs)}`;
  const holds = (s: RevisionSample): boolean => compare(valueOf(s, target.series) as number | string, target.op, target.value);
  const label = (s: RevisionSample): string => describeObject('Revision', s.namespace, s.revision);
  if (shape === 'eventually') {
    if (matching.some(holds)) return null;
    const which = target.revision === undefined ? 'of any revision' : `of Revision ${target.namespace === undefined ? '' : `${target.namespace}/`}${target.revision}`;
    const objects = [...new Set(matching.map(label))];
    return { atMs: deadlineMs, reason: `${target.series} ${which} was never ${opText} ${span}${matching.length === 0 ? ' (no samples)' : ''}`, objects };
  }
  const bad = matching.find((s) => (shape === 'always' ? !holds(s) : holds(s)));
  if (bad === undefined) return null;
  const expectation = shape === 'always' ? `always expected ${opText}` : `never expected ${opText}`;
  return {
    atMs: bad.atMs,
    reason: `${target.series} of ${label(bad)} was ${JSON.stringify(valueOf(bad, target.series))} at ${at(bad.atMs)}; ${expectation} ${span}`,
    objects: [label(bad)],
  };
}

/** The instants at which the object's condition is looked at: the window's start (once it exists) and every version inside. */
function instants(object: ObjectTimeline, fromMs: number, toMs: number): number[] {
  const start = Math.max(fromMs, object.firstSeenMs);
  const end = Math.min(toMs, object.deletedMs === undefined ? Infinity : object.deletedMs - 1);
  if (start > end) return [];
  const times = [start];
  for (const v of object.versions) if (v.atMs > start && v.atMs <= end && v.atMs !== times[times.length - 1]) times.push(v.atMs);
  return times;
}

function conditionCheck(shape: ShapeName, q: HistoryQueries, params: ShapeParams, target: ConditionTarget, deadlineMs: number): Found | null {
  const objects = q.objectsOfKind(target.kind, { namespace: target.namespace, name: target.name });
  const span = `between ${at(params.fromMs)} and ${at(deadlineMs)}`;
  const wanted = `${target.type}=${target.status}`;
  if (shape === 'eventually') {
    for (const o of objects) {
      if (instants(o, params.fromMs, deadlineMs).some((t) => HistoryQueries.conditionAt(o, target.type, t) === target.status)) return null;
    }
    const which = target.name === undefined ? `no ${target.kind} had` : `${describeObject(target.kind, target.namespace ?? objects[0]?.namespace ?? '', target.name)} never had`;
    return { atMs: deadlineMs, reason: `${which} ${wanted} ${span}${objects.length === 0 ? ` (no such ${target.kind} was seen)` : ''}`, objects: objects.map((o) => o.label) };
  }
  let first: Found | null = null;
  for (const o of objects) {
    for (const t of instants(o, params.fromMs, deadlineMs)) {
      const status = HistoryQueries.conditionAt(o, target.type, t);
      const broken = shape === 'always' ? status !== target.status : status === target.status;
      if (!broken) continue;
      if (first === null || t < first.atMs) {
        const expectation = shape === 'always' ? `always expected ${wanted}` : `never expected ${wanted}`;
        first = { atMs: t, reason: `${o.label} had ${target.type}=${status === 'absent' ? '(absent)' : status} at ${at(t)}; ${expectation} ${span}`, objects: [o.label] };
      }
      break;
    }
  }
  return first;
}

function shapeOracle(shape: ShapeName, summary: string): OracleDefinition<ShapeParams> {
  return {
    name: shape,
    summary,
    parse: (raw) => parseShape(shape, raw),
    check(history, params) {
      const q = new HistoryQueries(history);
      let deadlineMs = params.toMs ?? history.endMs;
      if (shape === 'eventually' && params.withinMs !== undefined) deadlineMs = Math.min(params.toMs ?? Infinity, params.fromMs + params.withinMs);
      if (shape === 'eventually' && deadlineMs > history.endMs) return null;
      const upTo = Math.min(deadlineMs, history.endMs);
      return 'series' in params.target
        ? seriesCheck(shape, q, params, params.target.series, upTo)
        : conditionCheck(shape, q, params, params.target.condition, upTo);
    },
  };
}

export const always = shapeOracle('always', 'A series comparison or an object condition holds at every sample / state in the time window.');
export const eventually = shapeOracle('eventually', 'A series comparison or an object condition holds at least once by the deadline.');
export const never = shapeOracle('never', 'A series comparison or an object condition holds at no sample / state in the time window.');

export const SHAPES: ReadonlyMap<string, OracleDefinition<ShapeParams>> = new Map([['always', always], ['eventually', eventually], ['never', never]]);
