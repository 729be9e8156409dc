// The stat forwarder (knative/serving pkg/autoscaler/statforwarder/{forwarder,leases,processor}.go,
// LeaseBasedProcessor): every stat the stat server receives belongs to a bucket (one bucket here);
// the bucket's Lease holder owns it. A lease tracker watches the bucket Leases: when the holder
// changes, the bucket's processor becomes local (this pod holds it: accept the stat — record it and
// poke the multiscaler — and publish the bucket's Service and EndpointSlice) or remote (forward the
// stat to the holder's IP, taken from its `<pod>_<ip>` identity, at :8080). A stat with no known
// owner, or whose forwarding fails, is retried every 500 ms; upstream never actually drops it
// (maybeRetry logs past 30 retries but requeues anyway), and neither does this model.
// Forwarding is one POST per stat with the websocket's 500 ms establish timeout (see
// stat-message.ts for the websocket modelling).

import type { KubeObject } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import type { Informer } from '../../client/informer.js';
import { LEASES } from '../../client/leader-elector.js';
import type { HttpNetwork } from '../../dataplane/http-network.js';
import { ENDPOINTSLICES } from '../../kube/resources.js';
import { podIpOfIdentity } from './bucket-elector.js';
import { publishBucketEndpoints } from './bucket-endpoints.js';
import type { IncarnationClock } from './incarnation-clock.js';
import { statBatchRequest, STAT_SERVER, type StatMessage } from './stat-message.js';
import { isModelBug } from '../../sim/invariant.js';

/** forwarder.go retryProcessingInterval, processor.go establishTimeout. */
export const FORWARD_RETRY_MS = 500;
export const FORWARD_ESTABLISH_TIMEOUT_MS = 500;

type Processor = { kind: 'local'; holder: string } | { kind: 'remote'; holder: string; ip: string };

export interface StatForwarderOptions {
  http: HttpNetwork;
  clock: IncarnationClock;
  namespace: string;
  bucket: string;
  selfIp: string;
  /** What the bucket owner does with a stat (main.go accept: record, then poke). */
  accept: (message: StatMessage) => void;
  /** The bucket endpoints could not be published (upstream: Fatalf). */
  onFatal: (reason: string) => void;
  record: (kind: string, fields: Record<string, string | number | boolean>) => void;
}

export class StatForwarder {
  readonly #ctx: ComponentContext;
  readonly #o: StatForwarderOptions;
  readonly #slices: Informer;
  #processor: Processor | undefined;

  constructor(ctx: ComponentContext, options: StatForwarderOptions) {
    this.#ctx = ctx;
    this.#o = options;
    this.#slices = ctx.informer(ENDPOINTSLICES, { namespace: options.namespace });
    const leases = ctx.informer(LEASES, { namespace: options.namespace });
    const onLease = (lease: KubeObject): void => this.#leaseUpdated(lease);
    leases.addHandler({ add: onLease, update: (_old, lease) => onLease(lease) });
  }

  /** IsBucketOwner. */
  isBucketOwner(): boolean {
    return this.#processor?.kind === 'local';
  }

  /** Process: hand the stat to the bucket's processor, or retry later. */
  process(message: StatMessage, retry = 0): void {
    const p = this.#processor;
    if (p === undefined) {
      this.#retry(message, retry, 'no owner');
      return;
    }
    if (p.kind === 'local') {
      this.#o.accept(message);
      return;
    }
    const request = statBatchRequest([message]);
    this.#o.http.send(p.ip, STAT_SERVER.port, request, { fromIp: this.#o.selfIp, timeoutMs: FORWARD_ESTABLISH_TIMEOUT_MS }, (res) => {
      if (res.status !== 200) this.#retry(message, retry, res.error ?? `HTTP ${res.status}`);
    });
  }

  #retry(message: StatMessage, retry: number, reason: string): void {
    this.#o.record('autoscaler/forward-retry', { key: message.key, retry, reason });
    this.#o.clock.schedule(FORWARD_RETRY_MS, () => this.process(message, retry + 1), `forward-retry ${message.key}`);
  }

  /** The lease tracker's filter and leaseUpdated: a new holder gets a new processor. */
  #leaseUpdated(lease: KubeObject): void {
    if (lease.metadata.name !== this.#o.bucket) return;
    const holder = lease.spec?.holderIdentity as string | undefined;
    if (!holder) return;
    const ip = podIpOfIdentity(holder);
    if (ip === undefined || this.#processor?.holder === holder) return;
    this.#o.record('autoscaler/bucket-owner', { bucket: this.#o.bucket, holder, local: ip === this.#o.selfIp });
    if (ip !== this.#o.selfIp) {
      this.#processor = { kind: 'remote', holder, ip };
      return;
    }
    this.#processor = { kind: 'local', holder };
    const slices = this.#slices;
    const o = this.#o;
    this.#ctx.spawn('bucket-endpoints', (function* (ctx: ComponentContext) {
      try {
        yield* publishBucketEndpoints(ctx, { namespace: o.namespace, bucket: o.bucket, selfIp: o.selfIp, slices });
      } catch (e) {
        if (isModelBug(e)) throw e;
        o.onFatal((e as Error).message);
      }
    })(this.#ctx));
  }
}
