// The network between components and the API server: latency for every request, response and watch
// delivery, partitions, and a fault hook that every request and every watch delivery passes through
// (DESIGN.md layer 2: "every request and every watch delivery passes a fault hook"). Latencies and
// whether a fault fires are decisions of the chooser, so a run stays a function of its seed and
// choice log.

import type { ResourceId, Status } from '../apiserver/types.js';
import type { ChoiceSource } from '../sim/chooser.js';
import type { Simulation } from '../sim/simulation.js';

export type Verb = 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete' | 'watch';

export interface RequestInfo {
  component: string;
  verb: Verb;
  resource: ResourceId;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface DeliveryInfo {
  component: string;
  resource: ResourceId;
  eventType: string;
  namespace?: string;
  name?: string;
}

/**
 * What a fault rule does to a request: fail it with a Status (fixed, or built for the request, as
 * errors that name the object do), lose it, lose its answer, or slow it.
 */
export type RequestFault =
  | { kind: 'error'; status: Status | ((req: RequestInfo) => Status) }
  | { kind: 'drop-request' }
  | { kind: 'drop-response' }
  | { kind: 'delay'; extraMs: number };

/**
 * What a fault rule does to a watch delivery. `delay` holds it back (and, the stream being ordered,
 * everything behind it). `drop` withholds it: the component never sees that state of the object
 * unless nothing newer of the same object has arrived when the rule is lifted — Sieve's "unobserved
 * state" perturbation, which stays inside the watch contract (a watcher always ends up with each
 * object's latest state) instead of losing a final state forever.
 */
export type DeliveryFault = { kind: 'drop' } | { kind: 'delay'; extraMs: number };

export interface RequestFaultRule {
  name: string;
  match: (req: RequestInfo) => boolean;
  /** Probability that a matching request is hit (decided by the chooser). Default 1. */
  probability?: number;
  fault: RequestFault;
}

export interface DeliveryFaultRule {
  name: string;
  match: (delivery: DeliveryInfo) => boolean;
  probability?: number;
  fault: DeliveryFault;
}

export interface LatencyRange {
  minMs: number;
  maxMs: number;
}

export interface NetworkOptions {
  /** One-way latency of a request to the API server, and of its response. Default 1–3 ms. */
  requestLatency?: LatencyRange;
  /** Latency of a watch event from commit to delivery. Default 1–5 ms. */
  watchLatency?: LatencyRange;
  /** How long a client waits for an answer that never comes. Default 10 s. */
  requestTimeoutMs?: number;
}

export type RequestPlan =
  /** Reaches the server after toServerMs; its answer comes back toClientMs later, unless dropped. */
  | { kind: 'deliver'; toServerMs: number; toClientMs: number; dropResponse: boolean }
  /** Never reaches the server; the client gets `status` (an injected API error) after afterMs. */
  | { kind: 'reject'; afterMs: number; status: Status }
  /** Never reaches the server; the client gives up after afterMs. */
  | { kind: 'lost'; afterMs: number; reason: 'partitioned' | 'timeout' };

interface ActiveRule<R> {
  rule: R;
  source: ChoiceSource;
}

export class Network {
  readonly requestTimeoutMs: number;
  readonly #requestLatency: LatencyRange;
  readonly #watchLatency: LatencyRange;
  readonly #requestSource: ChoiceSource;
  readonly #watchSource: ChoiceSource;
  readonly #sim: Simulation;
  readonly #partitioned = new Set<string>();
  readonly #partitionListeners = new Map<string, Set<() => void>>();
  readonly #requestRules = new Map<string, ActiveRule<RequestFaultRule>>();
  readonly #deliveryRules = new Map<string, ActiveRule<DeliveryFaultRule>>();
  readonly #deliveryRuleListeners = new Set<() => void>();

  constructor(sim: Simulation, options: NetworkOptions = {}) {
    this.#sim = sim;
    this.#requestLatency = options.requestLatency ?? { minMs: 1, maxMs: 3 };
    this.#watchLatency = options.watchLatency ?? { minMs: 1, maxMs: 5 };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#requestSource = sim.choices('net/request-latency');
    this.#watchSource = sim.choices('net/watch-latency');
  }

  isPartitioned(component: string): boolean {
    return this.#partitioned.has(component);
  }

  /** Cuts `component` off from the API server (requests time out, watches break) or heals it. */
  setPartitioned(component: string, partitioned: boolean): void {
    if (partitioned === this.#partitioned.has(component)) return;
    this.#sim.record(partitioned ? 'partition' : 'heal-partition', { component });
    if (!partitioned) {
      this.#partitioned.delete(component);
      return;
    }
    this.#partitioned.add(component);
    const listeners = this.#partitionListeners.get(component);
    if (listeners) for (const fn of [...listeners]) fn();
  }

  /** Calls `fn` when `component` is cut off (open watch streams break). Returns the unsubscriber. */
  onPartition(component: string, fn: () => void): () => void {
    let set = this.#partitionListeners.get(component);
    if (set === undefined) this.#partitionListeners.set(component, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  addRequestFault(rule: RequestFaultRule): () => void {
    this.#requestRules.set(rule.name, { rule, source: this.#sim.choices(`fault/${rule.name}`) });
    return () => this.#requestRules.delete(rule.name);
  }

  /** Adds a watch-delivery fault rule; the returned function lifts it (withheld events are then released). */
  addDeliveryFault(rule: DeliveryFaultRule): () => void {
    this.#deliveryRules.set(rule.name, { rule, source: this.#sim.choices(`fault/${rule.name}`) });
    return () => {
      if (!this.#deliveryRules.delete(rule.name)) return;
      for (const fn of [...this.#deliveryRuleListeners]) fn();
    };
  }

  /** Calls `fn` whenever a delivery rule is lifted. Returns the unsubscriber. */
  onDeliveryRuleLifted(fn: () => void): () => void {
    this.#deliveryRuleListeners.add(fn);
    return () => this.#deliveryRuleListeners.delete(fn);
  }

  /** Whether any watch-delivery fault rule is active (without one, planDelivery is deliveryLatency). */
  get hasDeliveryRules(): boolean {
    return this.#deliveryRules.size > 0;
  }

  /** The plain latency of a watch delivery, with no fault rules applied (stream close notices). */
  deliveryLatency(): number {
    return this.#latency(this.#watchSource, this.#watchLatency);
  }

  /** Decides the fate of one request: latencies, or how it fails. */
  planRequest(req: RequestInfo): RequestPlan {
    if (this.#partitioned.has(req.component)) {
      return { kind: 'lost', afterMs: this.requestTimeoutMs, reason: 'partitioned' };
    }
    let extraMs = 0;
    let dropResponse = false;
    for (const { rule, source } of this.#requestRules.values()) {
      if (!rule.match(req) || !source.chance(rule.probability ?? 1)) continue;
      const f = rule.fault;
      this.#sim.record('fault-hit', { rule: rule.name, component: req.component, verb: req.verb, resource: req.resource.resource, name: req.name });
      if (f.kind === 'error') {
        const status = typeof f.status === 'function' ? f.status(req) : f.status;
        return { kind: 'reject', afterMs: 2 * this.#latency(this.#requestSource, this.#requestLatency), status };
      }
      if (f.kind === 'drop-request') return { kind: 'lost', afterMs: this.requestTimeoutMs, reason: 'timeout' };
      if (f.kind === 'drop-response') dropResponse = true;
      else extraMs += f.extraMs;
    }
    return {
      kind: 'deliver',
      toServerMs: this.#latency(this.#requestSource, this.#requestLatency) + extraMs,
      toClientMs: this.#latency(this.#requestSource, this.#requestLatency),
      dropResponse,
    };
  }

  /** Decides the fate of one watch delivery: its latency, or null when it is withheld (dropped). */
  planDelivery(delivery: DeliveryInfo): number | null {
    let extraMs = 0;
    for (const { rule, source } of this.#deliveryRules.values()) {
      if (!rule.match(delivery) || !source.chance(rule.probability ?? 1)) continue;
      this.#sim.record('fault-hit', { rule: rule.name, component: delivery.component, event: delivery.eventType, resource: delivery.resource.resource, name: delivery.name });
      if (rule.fault.kind === 'drop') return null;
      extraMs += rule.fault.extraMs;
    }
    return this.#latency(this.#watchSource, this.#watchLatency) + extraMs;
  }

  #latency(source: ChoiceSource, range: LatencyRange): number {
    return range.minMs === range.maxMs ? range.minMs : source.between(range.minMs, range.maxMs);
  }
}
