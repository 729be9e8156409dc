// Swimlanes for the status conditions of the Knative objects in a history: for each Service, Route,
// Configuration, Revision, PodAutoscaler and ServerlessService a group with one lane per condition type, with a
// segment each time the condition's status (or reason) changes, coloured by status and labelled with
// its reason. Times are when the watch saw the change, the same clock every other lane uses.
// Condition shapes: knative/pkg apis/condition_types.go (type, status, reason, message).

import { formatDurationMs } from '../knative/config/duration.js';
import type { ObjectEvent } from '../scenario/history.js';
import type { LaneGroup, LaneSegment } from './swimlanes.js';

/** The Knative kinds whose conditions the report draws, by API group. */
const KNATIVE_KINDS: Record<string, readonly string[]> = {
  'serving.knative.dev': ['Service', 'Route', 'Configuration', 'Revision'],
  'autoscaling.internal.knative.dev': ['PodAutoscaler'],
  'networking.internal.knative.dev': ['ServerlessService'],
};
const KIND_ORDER = ['Service', 'Configuration', 'Route', 'Revision', 'PodAutoscaler', 'ServerlessService'];

interface ConditionState {
  status: string;
  reason: string;
  message: string;
}

interface OpenSegment extends ConditionState {
  fromMs: number;
}

interface ObjectLanes {
  kind: string;
  namespace: string;
  name: string;
  /** Condition type → its closed segments and the open one. */
  byType: Map<string, { closed: (OpenSegment & { toMs: number })[]; open: OpenSegment | undefined }>;
}

function isKnative(e: ObjectEvent): boolean {
  const group = e.apiVersion.includes('/') ? e.apiVersion.slice(0, e.apiVersion.indexOf('/')) : '';
  return KNATIVE_KINDS[group]?.includes(e.kind) ?? false;
}

function conditionsOf(e: ObjectEvent): Map<string, ConditionState> {
  const out = new Map<string, ConditionState>();
  if (e.type === 'DELETED') return out;
  const raw: unknown = (e.object.status as { conditions?: unknown } | undefined)?.conditions;
  if (!Array.isArray(raw)) return out;
  for (const c of raw as unknown[]) {
    if (typeof c !== 'object' || c === null) continue;
    const { type, status, reason, message } = c as Record<string, unknown>;
    if (typeof type !== 'string') continue;
    out.set(type, {
      status: typeof status === 'string' ? status : String(status),
      reason: typeof reason === 'string' ? reason : '',
      message: typeof message === 'string' ? message : '',
    });
  }
  return out;
}

const STATUS_CLASS: Record<string, string> = { True: 'ok', False: 'bad', Unknown: 'unknown' };

function toSegment(s: OpenSegment & { toMs: number }, lane: string): LaneSegment {
  const why = [s.reason, s.message].filter((x) => x !== '').join(': ');
  return {
    fromMs: s.fromMs,
    toMs: s.toMs,
    cls: STATUS_CLASS[s.status] ?? 'unknown',
    title: `${lane} = ${s.status}${why === '' ? '' : ` (${why})`} from ${formatDurationMs(s.fromMs)} to ${formatDurationMs(s.toMs)}`,
    label: s.reason === '' ? s.status : `${s.status} ${s.reason}`,
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A lane group per object, by kind (Service first), namespace and name; lanes by condition type, Ready first. */
export function conditionLaneGroups(objects: readonly ObjectEvent[], endMs: number): LaneGroup[] {
  const byObject = new Map<string, ObjectLanes>();
  for (const e of objects) {
    if (!isKnative(e)) continue;
    const key = `${e.apiVersion}|${e.kind}|${e.namespace}|${e.name}`;
    let lanes = byObject.get(key);
    if (lanes === undefined) {
      lanes = { kind: e.kind, namespace: e.namespace, name: e.name, byType: new Map() };
      byObject.set(key, lanes);
    }
    const now = conditionsOf(e);
    // Close what changed or went away; open what is new or changed.
    for (const [type, lane] of lanes.byType) {
      const open = lane.open;
      if (open === undefined) continue;
      const next = now.get(type);
      if (next === undefined || next.status !== open.status || next.reason !== open.reason) {
        lane.closed.push({ ...open, toMs: e.atMs });
        lane.open = undefined;
      } else open.message = next.message;
    }
    for (const [type, state] of now) {
      let lane = lanes.byType.get(type);
      if (lane === undefined) {
        lane = { closed: [], open: undefined };
        lanes.byType.set(type, lane);
      }
      lane.open ??= { ...state, fromMs: e.atMs };
    }
  }
  const objectsSorted = [...byObject.values()].sort((a, b) =>
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
  const out: LaneGroup[] = [];
  for (const o of objectsSorted) {
    const group: LaneGroup = { title: `${o.kind} ${o.namespace}/${o.name}`, lanes: [] };
    out.push(group);
    const types = [...o.byType.keys()].sort((a, b) => (a === 'Ready' ? -1 : b === 'Ready' ? 1 : cmp(a, b)));
    for (const type of types) {
      const lane = o.byType.get(type)!;
      const label = `${o.kind} ${o.namespace}/${o.name} ${type}`;
      const segments = lane.open === undefined ? lane.closed : [...lane.closed, { ...lane.open, toMs: Math.max(endMs, lane.open.fromMs) }];
      group.lanes.push({ label: type, segments: segments.map((s) => toSegment(s, label)), markers: [] });
    }
  }
  return out;
}
