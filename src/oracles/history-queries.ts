// Questions oracles ask of a run's History, answered from the history alone: the versions of one
// object over time, the status of condition T of object O at time t, a revision's autoscaling
// annotations at time t, which revision a request was for, the per-revision series, when faults were
// active and when every fault had healed. A HistoryQueries is built for one history and indexes it
// lazily; nothing in it is shared between histories.

import type { KubeObject } from '../apiserver/types.js';
import type { RequestOutcome } from '../dataplane/request.js';
import { ANNOTATIONS, lookupAnnotation, type Annotations, type KeyPriority } from '../knative/autoscaler/annotation-keys.js';
import { LABELS } from '../knative/apis/serving-labels.js';
import type { FaultEvent, History, ObjectEvent, RevisionSample } from '../scenario/history.js';

export type ConditionState = 'True' | 'False' | 'Unknown' | 'absent';

export interface ConditionSegment {
  /** From when (inclusive) the condition had this status; until the next segment's fromMs. */
  fromMs: number;
  status: ConditionState;
  /** The reason and message of the first version in the segment. */
  reason?: string;
  message?: string;
}

export interface ObjectTimeline {
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  /** `Kind namespace/name`, as Violation.objects spells objects. */
  label: string;
  /** Every version, in time order (the last is DELETED when the object was deleted). */
  versions: readonly ObjectEvent[];
  /** When the history first saw it. */
  firstSeenMs: number;
  /** When it was deleted, if it was. */
  deletedMs?: number;
}

export interface RevisionRef {
  namespace: string;
  name: string;
}

export interface FaultWindow {
  fault: string;
  family: string;
  firedMs: number;
  /** Undefined when the fault never healed in the run. */
  healedMs?: number;
}

/**
 * Fault families whose effect is done once they fire (the component or pod restarts as Kubernetes
 * restarts it; the changed ConfigMap or the upgraded release is the new desired state): liveness
 * bounds may start when they fire even though they are never "healed".
 */
const SELF_HEALING_FAMILIES: ReadonlySet<string> = new Set(['crash', 'restart', 'kill-leader', 'pod-crash', 'configmap-change', 'upgrade']);

/** Kinds that exist both in Kubernetes and in Knative: a bare kind name means the Knative one here. */
const KNATIVE_BY_DEFAULT: ReadonlySet<string> = new Set(['Service', 'Ingress']);

export function describeObject(kind: string, namespace: string, name: string): string {
  return namespace === '' ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
}

/** Whether an apiVersion belongs to a Knative group (serving.knative.dev, *.internal.knative.dev, ...). */
export function isKnativeApiVersion(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return group === 'knative.dev' || group.endsWith('.knative.dev');
}

/** Whether an event is of `kind` as a scenario writes it (`Service` = the Knative Service). */
export function isOfKind(event: Pick<ObjectEvent, 'kind' | 'apiVersion'>, kind: string): boolean {
  if (event.kind !== kind) return false;
  return !KNATIVE_BY_DEFAULT.has(kind) || isKnativeApiVersion(event.apiVersion);
}

/** The status of condition `type` in one object version ('absent' when the object has none). */
export function conditionOf(object: KubeObject | undefined, type: string): { status: ConditionState; reason?: string; message?: string } {
  const conditions: unknown = object?.status?.conditions;
  if (!Array.isArray(conditions)) return { status: 'absent' };
  const found = conditions.find((c: { type?: unknown }) => c?.type === type) as { status?: string; reason?: string; message?: string } | undefined;
  if (found === undefined) return { status: 'absent' };
  const status: ConditionState = found.status === 'True' || found.status === 'False' ? found.status : 'Unknown';
  return { status, reason: found.reason, message: found.message };
}

/** The host part of a URL (`http://hello.default.svc.cluster.local:80/x` → `hello.default.svc.cluster.local`). */
export function hostOfUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || url === '') return undefined;
  const rest = url.includes('://') ? url.slice(url.indexOf('://') + 3) : url;
  const host = rest.split('/')[0].split(':')[0];
  return host === '' ? undefined : host;
}

/** The scaling annotations of a revision, read with upstream's key priority (preferred key, then the camelCase alias); undefined when absent. */
export interface ScaleAnnotations {
  minScale?: number;
  maxScale?: number;
  initialScale?: number;
}

export interface AutoscalerScaleDefaults {
  minScale: number;
  /** 0: unbounded. */
  maxScale: number;
  initialScale: number;
  allowZeroInitialScale: boolean;
}

/** What bounds a revision's scale: min (0 = none), max (0 = unbounded) and the initial scale. */
export interface ScaleSettings {
  minScale: number;
  maxScale: number;
  initialScale: number;
}

function intAnnotation(annotations: Annotations, keys: KeyPriority): number | undefined {
  const hit = lookupAnnotation(annotations, keys);
  if (hit === undefined || !/^[+-]?\d+$/.test(hit.value.trim())) return undefined;
  return Number.parseInt(hit.value.trim(), 10);
}

export function scaleAnnotationsOf(object: KubeObject | undefined): ScaleAnnotations {
  const annotations = object?.metadata.annotations;
  return {
    minScale: intAnnotation(annotations, ANNOTATIONS.minScale),
    maxScale: intAnnotation(annotations, ANNOTATIONS.maxScale),
    initialScale: intAnnotation(annotations, ANNOTATIONS.initialScale),
  };
}

/** How many elements of a time-ordered array have `atMs <= t` (binary search). */
function countAtOrBefore(items: readonly { atMs: number }[], atMs: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].atMs <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last element with `atMs <= t` of a time-ordered array, or undefined. */
export function lastAtOrBefore<T extends { atMs: number }>(items: readonly T[], atMs: number): T | undefined {
  const n = countAtOrBefore(items, atMs);
  return n === 0 ? undefined : items[n - 1];
}

/** The first element with `atMs > t`, or undefined. */
export function firstAfter<T extends { atMs: number }>(items: readonly T[], atMs: number): T | undefined {
  return items[countAtOrBefore(items, atMs)];
}

const timelineKey = (apiVersion: string, kind: string, namespace: string, name: string): string => {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return `${group}\u0000${kind}\u0000${namespace}\u0000${name}`;
};

const seriesKey = (namespace: string, revision: string): string => `${namespace}/${revision}`;

export class HistoryQueries {
  readonly history: History;
  #timelines: Map<string, ObjectTimeline> | undefined;
  /** The timelines by `kind, namespace, name` (several when groups differ, as for Service). */
  #byName: Map<string, ObjectTimeline[]> | undefined;
  #byKind: Map<string, ObjectTimeline[]> | undefined;
  readonly #revisionNamespaces = new Map<string, string>();
  readonly #readyStepsCache = new Map<string, { atMs: number; readyPods: number }[]>();
  #series: Map<string, RevisionSample[]> | undefined;
  #podsByRevision: Map<string, ObjectTimeline[]> | undefined;

  constructor(history: History) {
    this.history = history;
  }

  /** Every object's timeline, in the order the history first saw them. */
  timelines(): readonly ObjectTimeline[] {
    return [...this.#timelineIndex().values()];
  }

  #timelineIndex(): Map<string, ObjectTimeline> {
    if (this.#timelines !== undefined) return this.#timelines;
    const index = new Map<string, { timeline: ObjectTimeline; versions: ObjectEvent[] }>();
    const events = [...this.history.objects].map((e, i) => ({ e, i })).sort((a, b) => a.e.atMs - b.e.atMs || a.i - b.i);
    for (const { e } of events) {
      const key = timelineKey(e.apiVersion, e.kind, e.namespace, e.name);
      let entry = index.get(key);
      if (entry === undefined) {
        const versions: ObjectEvent[] = [];
        entry = {
          versions,
          timeline: { kind: e.kind, apiVersion: e.apiVersion, namespace: e.namespace, name: e.name, label: describeObject(e.kind, e.namespace, e.name), versions, firstSeenMs: e.atMs },
        };
        index.set(key, entry);
      }
      entry.versions.push(e);
      if (e.type === 'DELETED') entry.timeline.deletedMs = e.atMs;
      else if (entry.timeline.deletedMs !== undefined) delete entry.timeline.deletedMs; // recreated under the same name
    }
    this.#timelines = new Map([...index].map(([k, v]) => [k, v.timeline]));
    return this.#timelines;
  }

  /** The timelines of objects of `kind` (see isOfKind), optionally in one namespace or with one name. */
  objectsOfKind(kind: string, filter: { namespace?: string; name?: string } = {}): ObjectTimeline[] {
    if (this.#byKind === undefined) {
      const index = new Map<string, ObjectTimeline[]>();
      for (const t of this.timelines()) {
        const list = index.get(t.kind);
        if (list === undefined) index.set(t.kind, [t]);
        else list.push(t);
      }
      this.#byKind = index;
    }
    return (this.#byKind.get(kind) ?? []).filter((t) => isOfKind(t, kind)
      && (filter.namespace === undefined || t.namespace === filter.namespace)
      && (filter.name === undefined || t.name === filter.name));
  }

  timeline(kind: string, namespace: string, name: string): ObjectTimeline | undefined {
    if (this.#byName === undefined) {
      const index = new Map<string, ObjectTimeline[]>();
      for (const t of this.timelines()) {
        const key = `${t.kind}\u0000${t.namespace}\u0000${t.name}`;
        const list = index.get(key);
        if (list === undefined) index.set(key, [t]);
        else list.push(t);
      }
      this.#byName = index;
    }
    return this.#byName.get(`${kind}\u0000${namespace}\u0000${name}`)?.find((t) => isOfKind(t, kind));
  }

  /** The object as it was at `atMs` (the last version at or before it); undefined before it existed or once deleted. */
  static versionAt(timeline: ObjectTimeline | undefined, atMs: number): KubeObject | undefined {
    if (timeline === undefined) return undefined;
    const event = lastAtOrBefore(timeline.versions, atMs);
    return event === undefined || event.type === 'DELETED' ? undefined : event.object;
  }

  /**
   * The condition's history as segments of constant status, from the object's first version: a new
   * segment starts whenever the status changes ('absent' before the object has the condition and
   * after it is deleted).
   */
  static conditionTimeline(timeline: ObjectTimeline, type: string): ConditionSegment[] {
    const segments: ConditionSegment[] = [];
    for (const event of timeline.versions) {
      const c = event.type === 'DELETED' ? { status: 'absent' as const } : conditionOf(event.object, type);
      let last = segments[segments.length - 1];
      if (last !== undefined && last.fromMs === event.atMs) {
        segments.pop(); // several versions at one instant: the last one counts, as in versionAt
        last = segments[segments.length - 1];
      }
      if (last !== undefined && last.status === c.status) continue;
      const segment: ConditionSegment = { fromMs: event.atMs, status: c.status };
      if ('reason' in c && c.reason) segment.reason = c.reason;
      if ('message' in c && c.message) segment.message = c.message;
      segments.push(segment);
    }
    return segments;
  }

  /** The status of condition `type` of the object at `atMs` ('absent' when it did not exist or had no such condition). */
  static conditionAt(timeline: ObjectTimeline | undefined, type: string, atMs: number): ConditionState {
    return conditionOf(HistoryQueries.versionAt(timeline, atMs), type).status;
  }

  /** The Revision's scaling annotations at `atMs` (none when the history has no Revision). */
  scaleAnnotationsAt(namespace: string, revision: string, atMs: number): ScaleAnnotations {
    const rev = this.timeline('Revision', namespace, revision);
    // Before the first recorded version, the first version's annotations are the best knowledge.
    const object = HistoryQueries.versionAt(rev, atMs) ?? rev?.versions.find((v) => v.type !== 'DELETED')?.object;
    return scaleAnnotationsOf(object);
  }

  /**
   * config-autoscaler's scale defaults at `atMs`, from the ConfigMap versions the history recorded
   * (knative-serving/config-autoscaler), else Knative's defaults (min-scale 0, max-scale 0,
   * initial-scale 1, allow-zero-initial-scale false; knative/serving pkg/autoscaler/config/config.go).
   */
  autoscalerDefaultsAt(atMs: number): AutoscalerScaleDefaults {
    const cm = this.timeline('ConfigMap', 'knative-serving', 'config-autoscaler');
    const data: Record<string, string> = HistoryQueries.versionAt(cm, atMs)?.data ?? {};
    const int = (key: string, fallback: number): number => (/^[+-]?\d+$/.test((data[key] ?? '').trim()) ? Number.parseInt(data[key].trim(), 10) : fallback);
    return {
      minScale: int('min-scale', 0),
      maxScale: int('max-scale', 0),
      initialScale: int('initial-scale', 1),
      allowZeroInitialScale: (data['allow-zero-initial-scale'] ?? '').trim().toLowerCase() === 'true',
    };
  }

  /**
   * The revision's effective scale settings at `atMs`: annotations over the config-autoscaler defaults
   * (ScaleBounds in knative/serving pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go; GetInitialScale in
   * pkg/reconciler/autoscaling/kpa/resources/decider.go: an initial-scale of 0 counts only when
   * allow-zero-initial-scale is on).
   */
  scaleSettingsAt(namespace: string, revision: string, atMs: number): ScaleSettings {
    const annotated = this.scaleAnnotationsAt(namespace, revision, atMs);
    const defaults = this.autoscalerDefaultsAt(atMs);
    const initial = annotated.initialScale;
    return {
      minScale: annotated.minScale ?? defaults.minScale,
      maxScale: annotated.maxScale ?? defaults.maxScale,
      initialScale: initial === undefined || initial < 0 || (initial === 0 && !defaults.allowZeroInitialScale) ? defaults.initialScale : initial,
    };
  }

  /**
   * The name of the revision's Deployment: the PodAutoscaler's scaleTargetRef when recorded, else
   * Knative's naming rule `<revision>-deployment` (knative/serving pkg/reconciler/revision/resources/names/names.go).
   */
  deploymentOf(namespace: string, revision: string): string {
    const pa = this.timeline('PodAutoscaler', namespace, revision);
    const target: unknown = pa?.versions.map((v) => v.object.spec?.scaleTargetRef?.name).find((n) => typeof n === 'string' && n !== '');
    return typeof target === 'string' ? target : `${revision}-deployment`;
  }

  /** The namespace of a revision known only by name: the Revision objects seen, else the host's second label. */
  #revisionNamespace(name: string, host: string): string {
    const key = `${name}\u0000${host}`;
    let namespace = this.#revisionNamespaces.get(key);
    if (namespace === undefined) this.#revisionNamespaces.set(key, (namespace = this.#findRevisionNamespace(name, host)));
    return namespace;
  }

  #findRevisionNamespace(name: string, host: string): string {
    const found = this.objectsOfKind('Revision', { name });
    if (found.length === 1) return found[0].namespace;
    const hostNamespace = host.split('.')[1] ?? '';
    if (found.some((t) => t.namespace === hostNamespace)) return hostNamespace;
    if (found.length > 0) return found[0].namespace;
    const sampled = this.history.series.find((s) => s.revision === name);
    return sampled?.namespace ?? hostNamespace;
  }

  /**
   * The revisions a request was for: the outcome's revision when the data plane recorded it, else the
   * revisions the Route serving its host sent traffic to (status.traffic with percent > 0) when it arrived.
   */
  requestRevisions(outcome: RequestOutcome): RevisionRef[] {
    if (outcome.revision !== undefined && outcome.revision !== '') {
      return [{ namespace: this.#revisionNamespace(outcome.revision, outcome.host), name: outcome.revision }];
    }
    for (const route of this.objectsOfKind('Route')) {
      const object = HistoryQueries.versionAt(route, outcome.arrivalMs);
      const hosts = [hostOfUrl(object?.status?.url), hostOfUrl(object?.status?.address?.url)];
      if (object === undefined || !hosts.includes(outcome.host)) continue;
      const traffic: unknown = object.status?.traffic;
      if (!Array.isArray(traffic)) return [];
      const names = traffic.filter((t: { percent?: number; revisionName?: string }) => (t.percent ?? 0) > 0 && typeof t.revisionName === 'string')
        .map((t: { revisionName: string }) => t.revisionName);
      return [...new Set(names)].sort().map((name) => ({ namespace: route.namespace, name }));
    }
    return [];
  }

  /** The series of every sampled revision, keyed `namespace/revision`, in first-sampled order. */
  seriesByRevision(): ReadonlyMap<string, readonly RevisionSample[]> {
    if (this.#series !== undefined) return this.#series;
    const index = new Map<string, RevisionSample[]>();
    const samples = [...this.history.series].map((s, i) => ({ s, i })).sort((a, b) => a.s.atMs - b.s.atMs || a.i - b.i);
    for (const { s } of samples) {
      const key = seriesKey(s.namespace, s.revision);
      let list = index.get(key);
      if (list === undefined) index.set(key, (list = []));
      list.push(s);
    }
    this.#series = index;
    return index;
  }

  series(namespace: string, revision: string): readonly RevisionSample[] {
    return this.seriesByRevision().get(seriesKey(namespace, revision)) ?? [];
  }

  /** Whether the history recorded any Pod of this revision (then readyPodsAt is exact). */
  #podTimelines(namespace: string, revision: string): ObjectTimeline[] {
    if (this.#podsByRevision === undefined) {
      const index = new Map<string, ObjectTimeline[]>();
      for (const t of this.objectsOfKind('Pod')) {
        const label = t.versions.map((v) => v.object.metadata.labels?.[LABELS.revision]).find((l) => l !== undefined);
        if (label === undefined) continue;
        const key = seriesKey(t.namespace, label);
        let list = index.get(key);
        if (list === undefined) index.set(key, (list = []));
        list.push(t);
      }
      this.#podsByRevision = index;
    }
    return this.#podsByRevision.get(seriesKey(namespace, revision)) ?? [];
  }

  /**
   * The revision's ready, non-terminating pod count after every instant one of its recorded Pods
   * changed, in time order; undefined when the history recorded none of its Pods.
   */
  #readySteps(namespace: string, revision: string): { atMs: number; readyPods: number }[] | undefined {
    const key = seriesKey(namespace, revision);
    const cached = this.#readyStepsCache.get(key);
    if (cached !== undefined) return cached;
    const pods = this.#podTimelines(namespace, revision);
    if (pods.length === 0) return undefined;
    const events = pods.flatMap((p, podIndex) => p.versions.map((v, i) => ({ v, podIndex, i })))
      .sort((a, b) => a.v.atMs - b.v.atMs || a.podIndex - b.podIndex || a.i - b.i);
    const ready = new Set<number>();
    const steps: { atMs: number; readyPods: number }[] = [];
    for (const { v, podIndex } of events) {
      const isReady = v.type !== 'DELETED' && !v.object.metadata.deletionTimestamp && conditionOf(v.object, 'Ready').status === 'True';
      if (isReady) ready.add(podIndex);
      else ready.delete(podIndex);
      const last = steps[steps.length - 1];
      if (last !== undefined && last.atMs === v.atMs) last.readyPods = ready.size;
      else steps.push({ atMs: v.atMs, readyPods: ready.size });
    }
    this.#readyStepsCache.set(key, steps);
    return steps;
  }

  /**
   * Ready, non-terminating pods of the revision at `atMs`. Exact when the history recorded the
   * revision's Pods; otherwise from the series, which is sampled: with `sampled: 'around'` (the
   * default) the larger of the sample at or before `atMs` and the next one, so a pod that became ready
   * between two samples is not missed; with 'before' the sample at or before `atMs` alone.
   */
  readyPodsAt(namespace: string, revision: string, atMs: number, options: { sampled?: 'around' | 'before' } = {}): { readyPods: number; source: 'pods' | 'series' | 'none' } {
    const steps = this.#readySteps(namespace, revision);
    if (steps !== undefined) return { readyPods: lastAtOrBefore(steps, atMs)?.readyPods ?? 0, source: 'pods' };
    const series = this.series(namespace, revision);
    const before = lastAtOrBefore(series, atMs);
    const after = options.sampled === 'before' ? undefined : firstAfter(series, atMs);
    if (before === undefined && after === undefined) return { readyPods: 0, source: 'none' };
    return { readyPods: Math.max(before?.readyPods ?? 0, after?.readyPods ?? 0), source: 'series' };
  }

  /**
   * The most ready pods the revision had at any moment up to `untilMs` (with the same sampling
   * tolerance as readyPodsAt: the sample right after `untilMs` counts).
   */
  peakReadyPods(namespace: string, revision: string, untilMs: number): number {
    const steps = this.#readySteps(namespace, revision);
    if (steps !== undefined) {
      let peak = 0;
      for (const step of steps) {
        if (step.atMs > untilMs) break;
        peak = Math.max(peak, step.readyPods);
      }
      return peak;
    }
    let peak = this.readyPodsAt(namespace, revision, untilMs).readyPods;
    for (const s of this.series(namespace, revision)) {
      if (s.atMs > untilMs) break;
      peak = Math.max(peak, s.readyPods);
    }
    return peak;
  }

  /** Each firing of a fault with its heal (paired in order per fault id), in firing order. */
  faultWindows(): FaultWindow[] {
    const windows: FaultWindow[] = [];
    const open = new Map<string, FaultWindow[]>();
    const events: FaultEvent[] = [...this.history.faults].map((f, i) => ({ f, i })).sort((a, b) => a.f.atMs - b.f.atMs || a.i - b.i).map((x) => x.f);
    for (const f of events) {
      if (f.phase === 'fired') {
        const w: FaultWindow = { fault: f.fault, family: f.family, firedMs: f.atMs };
        windows.push(w);
        const list = open.get(f.fault) ?? [];
        list.push(w);
        open.set(f.fault, list);
      } else {
        const w = open.get(f.fault)?.shift();
        if (w !== undefined) w.healedMs = f.atMs;
      }
    }
    return windows;
  }

  /** Whether some fault was active (fired, not yet healed) at `atMs`; a fault that never heals stays active. */
  faultActiveAt(atMs: number, windows: readonly FaultWindow[] = this.faultWindows()): boolean {
    return windows.some((w) => w.firedMs <= atMs && (w.healedMs === undefined || atMs < w.healedMs));
  }

  /**
   * When the system was last left alone: the latest heal, or the firing of a self-healing fault
   * (crash, restart, kill-leader, pod-crash, configmap-change, upgrade); 0 without faults; null when a
   * fault that needs healing never healed (liveness cannot be judged then).
   */
  faultsSettledMs(): number | null {
    let settled = 0;
    for (const w of this.faultWindows()) {
      if (w.healedMs !== undefined) settled = Math.max(settled, w.healedMs);
      else if (SELF_HEALING_FAMILIES.has(w.family)) settled = Math.max(settled, w.firedMs);
      else return null;
    }
    return settled;
  }
}
