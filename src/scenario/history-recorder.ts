// Records the history of one simulated run, the way a real-cluster backend records it from watches
// and its load generator: every committed object version (from the API server's commit stream, which
// is what a watch from resourceVersion 0 sees), every client write, every request outcome, component
// starts, crashes and leadership changes (from the trace), fault events (told by the runner), and the
// per-revision series sampled every `sampleEveryMs` from the objects the recorder has seen plus the
// queue-proxies' and activators' in-flight counters (what their metrics endpoints expose).
//
// Leases and Events are left out of `objects` (thousands of renewals that say nothing a scenario
// asks about); leadership shows up as component events instead.

import type { KubeObject } from '../apiserver/types.js';
import type { SimCluster } from '../client/sim-cluster.js';
import type { RequestOutcome } from '../dataplane/request.js';
import type { Serving } from '../knative/install/install-serving.js';
import { LABELS } from '../knative/apis/serving-labels.js';
import { isPodReady } from '../kube/pod-status.js';
import type { TraceLine } from '../sim/trace.js';
import type { ComponentEvent, FaultEvent, History, ObjectEvent, RevisionSample, WriteEvent } from './history.js';

const SKIPPED_KINDS = new Set(['Lease', 'Event']);
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete']);

export interface HistoryListener {
  object?(ev: ObjectEvent): void;
  write?(ev: WriteEvent): void;
  sample?(samples: readonly RevisionSample[]): void;
}

const key = (obj: KubeObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;

export class HistoryRecorder {
  readonly history: History;
  readonly #cluster: SimCluster;
  readonly #serving: Serving;
  readonly #listeners: HistoryListener[] = [];
  /** Current objects of the kinds the sampler reads, by kind then namespace/name. */
  readonly #revisions = new Map<string, KubeObject>();
  readonly #pods = new Map<string, KubeObject>();
  readonly #deployments = new Map<string, KubeObject>();
  readonly #pas = new Map<string, KubeObject>();
  readonly #sks = new Map<string, KubeObject>();

  constructor(options: { cluster: SimCluster; serving: Serving; scenario: string; seed: number; knative: string }) {
    this.#cluster = options.cluster;
    this.#serving = options.serving;
    this.history = {
      scenario: options.scenario, seed: options.seed, knative: options.knative, backend: 'sim', endMs: 0,
      objects: [], requests: [], faults: [], components: [], writes: [], series: [],
    };
    const { api, sim } = options.cluster;
    api.onCommit((commit) => {
      const obj = commit.object;
      const kind = commit.resource.kind;
      this.#track(kind, commit.resource.group, obj, commit.type === 'DELETED');
      if (SKIPPED_KINDS.has(kind)) return;
      const ev: ObjectEvent = {
        atMs: sim.nowMs, type: commit.type, kind, apiVersion: obj.apiVersion ?? '',
        namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '',
        resourceVersion: String(commit.resourceVersion), object: obj,
      };
      this.history.objects.push(ev);
      for (const l of this.#listeners) l.object?.(ev);
    });
    options.cluster.onApplied((req) => {
      if (!WRITE_VERBS.has(req.info.verb)) return;
      const type = api.registry.lookup(req.info.resource);
      const kind = type?.kind ?? req.info.resource.resource;
      if (SKIPPED_KINDS.has(kind)) return;
      const result = req.result as KubeObject | undefined;
      const ev: WriteEvent = {
        atMs: req.atMs, component: req.info.component, verb: req.info.verb as WriteEvent['verb'], kind,
        namespace: req.info.namespace ?? '', name: req.info.name ?? result?.metadata?.name ?? '',
        code: req.error ? req.error.code ?? 500 : req.info.verb === 'create' ? 201 : 200,
      };
      if (req.info.subresource) ev.subresource = req.info.subresource;
      this.recordWrite(ev);
    });
    sim.trace.onRecord((line) => this.#onTrace(line));
  }

  listen(listener: HistoryListener): void {
    this.#listeners.push(listener);
  }

  recordWrite(ev: WriteEvent): void {
    this.history.writes.push(ev);
    for (const l of this.#listeners) l.write?.(ev);
  }

  recordRequest(outcome: RequestOutcome): void {
    this.history.requests.push(outcome);
  }

  recordFault(ev: FaultEvent): void {
    this.history.faults.push(ev);
  }

  /** Samples every revision now. */
  sample(): void {
    const now = this.#cluster.sim.nowMs;
    const byRevision = new Map<string, KubeObject[]>();
    for (const pod of this.#pods.values()) {
      const rev = pod.metadata.labels?.[LABELS.revision];
      if (rev === undefined) continue;
      const k = `${pod.metadata.namespace}/${rev}`;
      let list = byRevision.get(k);
      if (list === undefined) byRevision.set(k, (list = []));
      list.push(pod);
    }
    const deploymentOf = new Map<string, KubeObject>();
    for (const d of this.#deployments.values()) {
      const rev = d.metadata.labels?.[LABELS.revision];
      if (rev !== undefined) deploymentOf.set(`${d.metadata.namespace}/${rev}`, d);
    }
    const samples: RevisionSample[] = [];
    for (const [k, rev] of this.#revisions) {
      const pods = byRevision.get(k) ?? [];
      let readyPods = 0;
      let inFlight = 0;
      let peak = 0;
      for (const pod of pods) {
        if (isPodReady(pod) && !pod.metadata.deletionTimestamp) readyPods++;
        const app = this.#serving.queueProxy.userApp(pod.metadata.uid ?? '');
        if (app !== undefined) {
          inFlight += app.inFlight;
          peak = Math.max(peak, app.takePeakInFlight());
        }
      }
      let activatorQueue = 0;
      for (const activator of this.#serving.system.activators.values()) activatorQueue += activator.throttler.get(k)?.breaker.pending ?? 0;
      const pa = this.#pas.get(k);
      const s: RevisionSample = {
        atMs: now, namespace: rev.metadata.namespace ?? '', revision: rev.metadata.name ?? '',
        readyPods, pods: pods.length, replicas: deploymentOf.get(k)?.spec?.replicas ?? 0,
        inFlight, maxPodConcurrency: peak, activatorQueue,
        routed: rev.metadata.labels?.[LABELS.routingState] === 'active',
      };
      const desired = pa?.status?.desiredScale;
      if (typeof desired === 'number') s.desiredScale = desired;
      const mode = this.#sks.get(k)?.spec?.mode;
      if (typeof mode === 'string') s.sksMode = mode;
      samples.push(s);
      this.history.series.push(s);
    }
    for (const l of this.#listeners) l.sample?.(samples);
  }

  #track(kind: string, group: string, obj: KubeObject, deleted: boolean): void {
    let map: Map<string, KubeObject> | undefined;
    if (kind === 'Revision' && group === 'serving.knative.dev') map = this.#revisions;
    else if (kind === 'Pod') map = this.#pods;
    else if (kind === 'Deployment') map = this.#deployments;
    else if (kind === 'PodAutoscaler') map = this.#pas;
    else if (kind === 'ServerlessService') map = this.#sks;
    if (map === undefined) return;
    if (deleted) map.delete(key(obj));
    else map.set(key(obj), obj);
  }

  #onTrace(line: TraceLine): void {
    let ev: ComponentEvent | undefined;
    if (line.kind === 'component') {
      const what = line.fields.event;
      const event = what === 'start' ? 'started' : what === 'crash' ? 'crashed' : what === 'stop' ? 'stopped' : undefined;
      if (event !== undefined) ev = { atMs: line.atMs, component: String(line.fields.name), event, detail: `incarnation ${String(line.fields.incarnation)}` };
    } else if (line.kind === 'leader') {
      const identity = String(line.fields.identity);
      ev = {
        atMs: line.atMs, component: identity.replace(/_\d+$/, ''),
        event: line.fields.event === 'started' ? 'leader' : 'lost-leadership',
        detail: `lease ${String(line.fields.lease)} (${identity})`,
      };
    }
    if (ev !== undefined) this.history.components.push(ev);
  }
}
