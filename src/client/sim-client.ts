// The client a simulated component uses to talk to the API server. Every call is an effect: the
// request travels the network (latency, partitions, injected faults), is applied by the API server at
// its arrival time, and the answer travels back. A process that calls `yield* client.update(...)` is
// suspended for the round trip, so a crash can land between any two writes of one reconcile.
// The operations mirror client-go's typed and dynamic clients (k8s.io/client-go/dynamic/simple.go).

import type {
  ApiServer,
  DeleteOptions,
  GetOptions,
  ListOptions,
  PatchOptions,
  WatchOptions,
  WriteOptions,
} from '../apiserver/api-server.js';
import { isApiError } from '../apiserver/api-error.js';
import type { KubeList, KubeObject, ResourceId, Status, WatchEvent } from '../apiserver/types.js';
import type { Effect, Proc, Resume } from '../sim/process.js';
import type { Simulation, Timer } from '../sim/simulation.js';
import { ApiError } from '../apiserver/api-error.js';
import type { Network, RequestInfo, Verb } from './network.js';
import { NetworkError } from './network-error.js';

/** What the cluster learns about each request the server applied (history, triggers, traces). */
export interface AppliedRequest {
  info: RequestInfo;
  atMs: number;
  /** The object returned, when the request succeeded. */
  result?: KubeObject | KubeList | Status;
  /** The API error, when the server refused it. */
  error?: Status;
  /** The refusal was injected by a fault rule (the request was not applied). */
  injected?: boolean;
}

export interface ClientDeps {
  sim: Simulation;
  api: ApiServer;
  network: Network;
  /** Called synchronously right after the server applies (or refuses) a request. */
  onApplied?: (req: AppliedRequest) => void;
}

export interface ClientOptions {
  /** The component this client belongs to: faults and partitions match on it. */
  component: string;
}

export interface WatchConsumer {
  event(ev: WatchEvent): void;
  /** The stream ended: a Status when the server ended it with one, a NetworkError when the connection broke. */
  closed(reason?: Status | NetworkError): void;
}

export interface ClientWatch {
  stop(): void;
}

function describe(info: RequestInfo): string {
  const where = info.namespace ? `${info.namespace}/` : '';
  return `${info.verb} ${info.resource.resource}${info.subresource ? '/' + info.subresource : ''} ${where}${info.name ?? ''}`;
}

class ApiCall<T> implements Effect<T> {
  /** The server's answer, once it applied the request. */
  #value: T | undefined = undefined;
  /** The timer of the step that would resume the caller (what a kill cancels). */
  #answer: Timer | undefined = undefined;
  #sim: Simulation | undefined = undefined;

  constructor(
    readonly deps: ClientDeps,
    readonly info: RequestInfo,
    readonly run: (api: ApiServer) => T,
  ) {}

  /** Built when asked for (error messages only), not for every call. */
  get description(): string {
    return describe(this.info);
  }

  cancel(): void {
    this.#sim?.cancel(this.#answer);
  }

  start(sim: Simulation, resume: Resume<T>): this | (() => void) {
    const { network } = this.deps;
    const plan = network.planRequest(this.info);
    if (plan.kind === 'reject') {
      // An injected error is the server's answer: the request is refused when it arrives (listeners
      // see a refused write, as they would a real 500 or 429; the trace has its fault-hit line), and
      // the answer travels back.
      const toServerMs = Math.floor(plan.afterMs / 2);
      let answer: ReturnType<typeof sim.schedule> | undefined;
      sim.schedule(toServerMs, () => {
        this.deps.onApplied?.({ info: this.info, atMs: sim.nowMs, error: plan.status, injected: true });
        answer = sim.schedule(plan.afterMs - toServerMs, () => resume.fail(new ApiError(plan.status)), 'api-reject');
      }, 'api-request');
      return () => sim.cancel(answer);
    }
    if (plan.kind === 'lost') {
      const t = sim.schedule(plan.afterMs, () => resume.fail(new NetworkError(`${this.description}: ${plan.reason}`, plan.reason)), 'api-lost');
      return () => sim.cancel(t);
    }
    const sentAtMs = sim.nowMs;
    this.#sim = sim;
    // The request is on the wire: it reaches the server even if the caller dies meanwhile.
    sim.schedule(plan.toServerMs, () => {
      const error = this.#apply(sim);
      const elapsed = sim.nowMs - sentAtMs;
      if (plan.dropResponse) {
        this.#answer = sim.schedule(Math.max(0, network.requestTimeoutMs - elapsed), () => resume.fail(new NetworkError(`${this.description}: response lost`, 'timeout')), 'api-lost');
        return;
      }
      this.#answer = sim.schedule(plan.toClientMs, () => {
        if (network.isPartitioned(this.info.component)) {
          const waitMs = Math.max(0, network.requestTimeoutMs - (sim.nowMs - sentAtMs));
          this.#answer = sim.schedule(waitMs, () => resume.fail(new NetworkError(`${this.description}: partitioned`, 'partitioned')), 'api-lost');
        } else if (error !== undefined) {
          resume.fail(error);
        } else {
          resume.ok(this.#value as T);
        }
      }, 'api-answer');
    }, 'api-request');
    return this;
  }

  /** Applies the request at the server; returns the API error it refused it with, if any (the value is kept in #value). */
  #apply(sim: Simulation): ApiError | undefined {
    const { info } = this;
    try {
      const value = this.run(this.deps.api);
      this.#value = value;
      const result = value as unknown as KubeObject;
      sim.record('api', { c: info.component, verb: info.verb, res: info.resource.resource, sub: info.subresource, ns: info.namespace, name: info.name ?? result?.metadata?.name, code: 200, rv: result?.metadata?.resourceVersion });
      this.deps.onApplied?.({ info, atMs: sim.nowMs, result: value as unknown as KubeObject });
      return undefined;
    } catch (e) {
      if (!isApiError(e)) throw e;
      sim.record('api', { c: info.component, verb: info.verb, res: info.resource.resource, sub: info.subresource, ns: info.namespace, name: info.name, code: e.status.code, reason: e.status.reason });
      this.deps.onApplied?.({ info, atMs: sim.nowMs, error: e.status });
      return e;
    }
  }
}

/** The options of a status write (never written: the server reads them). */
const STATUS_WRITE: WriteOptions = Object.freeze({ subresource: 'status' });

/** The options as given when they already name the namespace, else a copy that names it. */
function withNamespace(opts: WriteOptions, namespace: string | undefined): WriteOptions {
  return opts.namespace === namespace && 'namespace' in opts ? opts : { ...opts, namespace };
}

/** The process step of one call: yields the call once and returns its answer. */
function* callProc<T>(call: ApiCall<T>): Proc<T> {
  return (yield call) as T;
}

export class SimClient {
  readonly component: string;
  readonly #deps: ClientDeps;

  constructor(deps: ClientDeps, options: ClientOptions) {
    this.#deps = deps;
    this.component = options.component;
  }

  /**
   * One request as a process step. The request info always has the same six members in the same order
   * (one object shape for every verb), and options are passed on as given unless the namespace must be
   * filled in from the object.
   */
  #call<T>(verb: Verb, resource: ResourceId, namespace: string | undefined, name: string | undefined, subresource: string | undefined, run: (api: ApiServer) => T): Proc<T> {
    const info: RequestInfo = { component: this.component, verb, resource, namespace, name, subresource };
    return callProc(new ApiCall(this.#deps, info, run));
  }

  get(res: ResourceId, name: string, opts: GetOptions = {}): Proc<KubeObject> {
    return this.#call('get', res, opts.namespace, name, opts.subresource, (api) => api.get(res, name, opts));
  }

  list(res: ResourceId, opts: ListOptions = {}): Proc<KubeList> {
    return this.#call('list', res, opts.namespace, undefined, undefined, (api) => api.list(res, opts));
  }

  create(res: ResourceId, obj: KubeObject, opts: WriteOptions = {}): Proc<KubeObject> {
    const namespace = opts.namespace ?? obj.metadata.namespace;
    const sent = withNamespace(opts, namespace);
    return this.#call('create', res, namespace, obj.metadata.name, undefined, (api) => api.create(res, obj, sent));
  }

  update(res: ResourceId, obj: KubeObject, opts: WriteOptions = {}): Proc<KubeObject> {
    const namespace = opts.namespace ?? obj.metadata.namespace;
    const sent = withNamespace(opts, namespace);
    return this.#call('update', res, namespace, obj.metadata.name, opts.subresource, (api) => api.update(res, obj, sent));
  }

  /** PUT to the status subresource. */
  updateStatus(res: ResourceId, obj: KubeObject): Proc<KubeObject> {
    return this.update(res, obj, STATUS_WRITE);
  }

  patch(res: ResourceId, name: string, patch: unknown, opts: PatchOptions): Proc<KubeObject> {
    return this.#call('patch', res, opts.namespace, name, opts.subresource, (api) => api.patch(res, name, patch, opts));
  }

  delete(res: ResourceId, name: string, opts: DeleteOptions = {}): Proc<KubeObject | Status> {
    return this.#call('delete', res, opts.namespace, name, undefined, (api) => api.delete(res, name, opts));
  }

  /**
   * Opens a watch. Events arrive in order, each after its own network latency (a delayed event holds
   * back the ones behind it, as on one TCP stream); fault rules may delay or drop deliveries. A
   * partition breaks the stream: the consumer sees `closed(NetworkError)` once the client gives up.
   */
  watch(res: ResourceId, opts: WatchOptions, consumer: WatchConsumer): ClientWatch {
    return new WatchStream(this.#deps, this.component, res, opts, consumer);
  }
}

/** A delivery in flight on a stream: a watch event, or another step (the stream's end) as a callback. */
class QueuedDelivery {
  constructor(
    readonly atMs: number,
    readonly ev: WatchEvent | undefined,
    readonly deliver: (() => void) | undefined,
  ) {}
}

/** One watch connection, client side: an ordered channel from the server's watch to the consumer. */
class WatchStream implements ClientWatch {
  readonly #deps: ClientDeps;
  readonly #component: string;
  readonly #res: ResourceId;
  readonly #consumer: WatchConsumer;
  readonly #queue: QueuedDelivery[] = [];
  #serverWatch: { stop(): void } | undefined;
  #unsubscribePartition: () => void;
  #unsubscribeLifted: () => void;
  /** Events withheld by a drop rule, by object key; a newer event of the same object supersedes one. */
  readonly #withheld = new Map<string, WatchEvent>();
  #lastDeliveryAtMs = 0;
  #stopped = false;
  #broken = false;
  #pumpScheduled = false;
  /** The pump as a callback, made once rather than for every scheduled delivery. */
  readonly #pumpCallback = (): void => this.#pump();

  constructor(deps: ClientDeps, component: string, res: ResourceId, opts: WatchOptions, consumer: WatchConsumer) {
    this.#deps = deps;
    this.#component = component;
    this.#res = res;
    this.#consumer = consumer;
    const { sim, network } = deps;
    this.#unsubscribePartition = network.onPartition(component, () => this.#break());
    this.#unsubscribeLifted = network.onDeliveryRuleLifted(() => this.#releaseWithheld());
    const plan = network.planRequest({ component, verb: 'watch', resource: res, namespace: opts.namespace });
    if (plan.kind !== 'deliver') {
      const reason = plan.kind === 'reject' ? plan.status : new NetworkError(`watch ${res.resource}: ${plan.reason}`, plan.reason);
      sim.schedule(plan.afterMs, () => this.#finish(reason), 'watch-open-failed');
      return;
    }
    sim.schedule(plan.toServerMs, () => this.#open(opts, plan.toClientMs), 'watch-open');
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#serverWatch?.stop();
    this.#unsubscribePartition();
    this.#unsubscribeLifted();
    this.#queue.length = 0;
    this.#withheld.clear();
  }

  #open(opts: WatchOptions, toClientMs: number): void {
    // Cut off while the request was on its way: it never reached the server.
    if (this.#stopped || this.#broken) return;
    const { api, sim } = this.#deps;
    this.#lastDeliveryAtMs = sim.nowMs + toClientMs;
    try {
      this.#serverWatch = api.watch(this.#res, opts, {
        event: (ev) => this.#enqueueEvent(ev),
        closed: (status) => this.#enqueue(this.#deps.network.deliveryLatency(), () => this.#finish(status)),
      });
    } catch (e) {
      if (!isApiError(e)) throw e;
      this.#enqueue(toClientMs, () => this.#finish(e.status));
    }
  }

  #deliveryInfo(eventType: string, obj?: KubeObject): { component: string; resource: ResourceId; eventType: string; namespace?: string; name?: string } {
    return { component: this.#component, resource: this.#res, eventType, namespace: obj?.metadata?.namespace, name: obj?.metadata?.name };
  }

  #enqueueEvent(ev: WatchEvent): void {
    const obj = ev.object as KubeObject;
    const { network } = this.#deps;
    // Without delivery rules a plan is the plain latency: the same draw, no delivery info to build.
    const latency = network.hasDeliveryRules ? network.planDelivery(this.#deliveryInfo(ev.type, obj)) : network.deliveryLatency();
    if (latency === null) {
      if (ev.type !== 'BOOKMARK' && ev.type !== 'ERROR') {
        this.#withheld.set(withheldKey(obj), ev);
        this.#deps.sim.record('watch-withheld', { c: this.#component, res: this.#res.resource, type: ev.type, ns: obj.metadata?.namespace, name: obj.metadata?.name, rv: obj.metadata?.resourceVersion });
      }
      return;
    }
    if (this.#withheld.size > 0) this.#withheld.delete(withheldKey(obj));
    this.#push(latency, ev, undefined);
  }

  /** Queues a stream-end notice (or anything else that is not an event) behind the events in flight. */
  #enqueue(latencyMs: number, deliver: () => void): void {
    this.#push(latencyMs, undefined, deliver);
  }

  #push(latencyMs: number, ev: WatchEvent | undefined, deliver: (() => void) | undefined): void {
    if (this.#stopped) return;
    const { sim } = this.#deps;
    const atMs = Math.max(sim.nowMs + latencyMs, this.#lastDeliveryAtMs);
    this.#lastDeliveryAtMs = atMs;
    this.#queue.push(new QueuedDelivery(atMs, ev, deliver));
    if (!this.#pumpScheduled) {
      this.#pumpScheduled = true;
      sim.at(atMs, this.#pumpCallback, 'watch-deliver');
    }
  }

  #deliverEvent(ev: WatchEvent): void {
    const obj = ev.object as KubeObject;
    this.#deps.sim.record('watch', { c: this.#component, res: this.#res.resource, type: ev.type, ns: obj.metadata?.namespace, name: obj.metadata?.name, rv: obj.metadata?.resourceVersion });
    this.#consumer.event(ev);
  }

  /** Delivers every queued item that is due, then waits for the next. Keeps the stream's order under tie-breaking. */
  #pump(): void {
    this.#pumpScheduled = false;
    const { sim } = this.#deps;
    while (!this.#stopped && this.#queue.length > 0 && this.#queue[0].atMs <= sim.nowMs) {
      const item = this.#queue.shift()!;
      if (item.ev !== undefined) this.#deliverEvent(item.ev);
      else item.deliver!();
    }
    if (!this.#stopped && this.#queue.length > 0) {
      this.#pumpScheduled = true;
      sim.at(this.#queue[0].atMs, this.#pumpCallback, 'watch-deliver');
    }
  }

  /** A drop rule was lifted: what it withheld (each object's latest state) is delivered, in commit order. */
  #releaseWithheld(): void {
    if (this.#stopped || this.#withheld.size === 0) return;
    const events = [...this.#withheld.values()].sort((a, b) => rvOf(a) - rvOf(b));
    this.#withheld.clear();
    for (const ev of events) this.#enqueueEvent(ev);
  }

  /** The connection broke (partition): no more events; the client notices when its read times out. */
  #break(): void {
    if (this.#stopped || this.#broken) return;
    this.#broken = true;
    this.#serverWatch?.stop();
    this.#serverWatch = undefined;
    this.#queue.length = 0;
    const { sim, network } = this.#deps;
    sim.schedule(network.requestTimeoutMs, () => this.#finish(new NetworkError(`watch ${this.#res.resource}: connection lost`, 'partitioned')), 'watch-broken');
  }

  #finish(reason?: Status | NetworkError): void {
    if (this.#stopped) return;
    this.stop();
    this.#consumer.closed(reason);
  }
}

/** Withheld events are kept per object: `namespace/name`. */
function withheldKey(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

function rvOf(ev: WatchEvent): number {
  return Number((ev.object as KubeObject).metadata?.resourceVersion ?? 0);
}
