// core/v1 Events, as client-go's record package writes them (k8s.io/client-go/tools/record/event.go,
// events_cache.go): fire-and-forget (a failed write is dropped, never retried by the caller), and
// repeats of the same (object, type, reason, message) are folded into one Event whose count and
// lastTimestamp go up. The correlator's spam filter and similar-event aggregation are left out.

import type { KubeObject } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import { formatSimTime } from '../sim/time-format.js';
import { EVENTS } from './resources.js';
import { isModelBug } from '../sim/invariant.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  /** source.component, e.g. `replicaset-controller`, `default-scheduler`, `kubelet`. */
  component: string;
  /** source.host, for the kubelet. */
  host?: string;
  /** Set false to record nothing (cheaper runs). Default true. */
  enabled?: boolean;
}

interface Folded {
  name: string;
  namespace: string;
  count: number;
}

export class EventRecorder {
  readonly #ctx: ComponentContext;
  readonly #options: EventRecorderOptions;
  readonly #seen = new Map<string, Folded>();
  #seq = 0;

  constructor(ctx: ComponentContext, options: EventRecorderOptions) {
    this.#ctx = ctx;
    this.#options = options;
  }

  /** Records an event about `obj`. Returns at once; the write happens in its own process. */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    const { sim } = this.#ctx;
    sim.record('event', { c: this.#options.component, kind: obj.kind, ns: obj.metadata.namespace, name: obj.metadata.name, type, reason });
    if (this.#options.enabled === false) return;
    const key = `${obj.metadata.uid}|${type}|${reason}|${message}`;
    const namespace = obj.metadata.namespace ?? 'default';
    const now = formatSimTime(sim.nowMs);
    const folded = this.#seen.get(key);
    if (folded !== undefined) {
      folded.count++;
      const patch = { count: folded.count, lastTimestamp: now };
      this.#ctx.spawn('event', this.#send(() => this.#ctx.client.patch(EVENTS, folded.name, patch, { namespace: folded.namespace, patchType: 'merge' })));
      return;
    }
    const name = `${obj.metadata.name}.${(sim.nowMs * 1000 + (this.#seq++ % 1000)).toString(16)}`;
    this.#seen.set(key, { name, namespace, count: 1 });
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
      reason,
      message,
      type,
      source: { component: this.#options.component, ...(this.#options.host ? { host: this.#options.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: this.#options.component,
    };
    this.#ctx.spawn('event', this.#send(() => this.#ctx.client.create(EVENTS, event)));
  }

  *#send(write: () => Generator<any, unknown, any>): Generator<any, void, any> {
    try {
      yield* write();
    } catch (e) {
      if (isModelBug(e)) throw e;
      // client-go drops events it cannot write after a few tries; we drop at once.
    }
  }
}
