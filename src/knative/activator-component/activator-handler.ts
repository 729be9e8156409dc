// The activator's handler chain (knative/serving cmd/activator/main.go), outside in:
// - HealthHandler (pkg/activator/handler/healthz_handler.go): kubelet probes get 200, or 500 once
//   SIGTERM arrived or the stat sink is down;
// - the network probe handler (knative/networking pkg/http/probe/handler.go): K-Network-Probe:
//   probe is answered with its K-Network-Hash (400 without one);
// - ProbeHandler (probe_handler.go): any other K-Network-Probe must be 'activator' (the KPA's
//   activator probe): 200 'activator', else 400;
// - the context handler (context_handler.go): the revision from Knative-Serving-Revision and
//   Knative-Serving-Namespace; 404 when the informer does not know it (the Host-header fallback
//   is not modelled);
// - the concurrency reporter (ReqIn here, before any waiting; ReqOut when the handler returns);
// - the TimeoutHandler (pkg/http/handler/timeout.go): 504 after the revision's timeout, queued
//   time included, and the request's context is cancelled (the per-request timers are kept as
//   one deadline lane per timeout: runtime/deadline-lane.ts);
// - the activation handler (handler.go): Throttler.Try, then the proxy to the chosen pod with
//   K-Proxy-Request: activator and without the revision headers; a transport failure is a 502,
//   a full breaker queue a 503.
// A client (the ingress) that gives up cancels the request wherever it is.

import type { KubeObject } from '../../apiserver/types.js';
import type { Informer } from '../../client/informer.js';
import type { AbandonListener, Exchange, HttpCaller, HttpNetwork, HttpRequest, HttpResponse, Pending, SendOptions } from '../../dataplane/http-network.js';
import type { Simulation, Timer } from '../../sim/simulation.js';
import {
  ACTIVATOR_NAME, HEADER, HeaderEdit, headerOf, kubeletProbeHeaders, NETWORK_PROBE_VALUE, withEditedHeaders,
} from '../runtime/network-headers.js';
import { DeadlineLane, type DeadlineHolder } from '../runtime/deadline-lane.js';
import type { RevisionStatsHandle } from '../activator/index.js';
import type { ConcurrencyReporter } from './concurrency-reporter.js';
import { revisionSpecView } from './revision-spec.js';
import type { ThrottledRequest, ThrottleSlot, ThrottleTicket } from './revision-throttler.js';
import type { Throttler } from './throttler.js';

export interface ActivatorHandlerDeps {
  sim: Simulation;
  http: HttpNetwork;
  selfIp: string;
  podName: string;
  revisions: Informer;
  throttler: Throttler;
  reporter: ConcurrencyReporter;
  /** The health check: undefined when healthy, else why not. */
  healthError: () => string | undefined;
  schedule: (delayMs: number, run: () => void, label: string) => Timer;
}

/** The headers the activator drops before proxying (it routes by them; the pod does not need them). */
const REVISION_HEADERS: readonly string[] = Object.freeze([HEADER.revisionName, HEADER.revisionNamespace]);

const MAX_REMEMBERED_DESTS = 1024;

export class ActivatorHandler {
  readonly #d: ActivatorHandlerDeps;
  readonly #timeouts = new WeakMap<KubeObject, number>();
  /** The TimeoutHandler's deadlines, one lane per timeout. */
  readonly #lanes = new Map<number, DeadlineLane<ActivatorRequest>>();
  /** The last revision key built, reused while requests keep naming the same revision. */
  #lastKey = { namespace: '', name: '', key: '/' };

  /** The proxy's request headers: without the revision headers, with K-Proxy-Request: activator. */
  readonly #requestEdit = new HeaderEdit({ drop: REVISION_HEADERS, set: HEADER.proxy, to: ACTIVATOR_NAME });
  readonly #responseEdit: HeaderEdit;
  readonly #sendOptions: SendOptions;
  readonly #addresses = new Map<string, { ip: string; port: number }>();

  constructor(deps: ActivatorHandlerDeps) {
    this.#d = deps;
    this.#responseEdit = new HeaderEdit({ set: HEADER.viaActivator, to: deps.podName });
    this.#sendOptions = { fromIp: deps.selfIp, timeoutMs: 0 };
  }

  /** @internal */
  get reporter(): ConcurrencyReporter {
    return this.#d.reporter;
  }

  handle(ex: Exchange): void {
    const req = ex.request;
    // Read here rather than through headerOf (see there): this site's own inline caches.
    const headers = req.headers;
    if (kubeletProbeHeaders(headers[HEADER.userAgent], headers[HEADER.kubeletProbe])) {
      const error = this.#d.healthError();
      return ex.respond(error === undefined ? { status: 200, body: '' } : { status: 500, body: error });
    }
    const probe = headers[HEADER.probe];
    if (probe === NETWORK_PROBE_VALUE) return ex.respond(networkProbeResponse(req));
    if (probe !== undefined && probe !== '') {
      return ex.respond(probe === ACTIVATOR_NAME ? { status: 200, body: ACTIVATOR_NAME } : { status: 400, body: `unexpected probe header value: "${probe}"` });
    }
    const namespace = headers[HEADER.revisionNamespace] ?? '';
    const name = headers[HEADER.revisionName] ?? '';
    const key = this.#revisionKey(namespace, name);
    const rev = this.#d.revisions.get(key);
    if (rev === undefined) {
      return ex.respond({ status: 404, body: `Error getting active endpoint: revision.serving.knative.dev "${name}" not found` });
    }
    this.#serve(ex, key, rev);
  }

  #serve(ex: Exchange, key: string, rev: KubeObject): void {
    const d = this.#d;
    const request = new ActivatorRequest(this, ex, d.reporter.requestIn(key));
    this.#lane(this.#timeoutMs(rev)).add(request);
    ex.onAbandon(request);
    if (request.over) return;
    request.ticket = d.throttler.try(key, request);
    if (request.ticket === undefined) request.end({ status: 500, body: '' });
  }

  /** The timeouts of requests for revisions with this timeout (a revision's timeout is fixed). */
  #lane(timeoutMs: number): DeadlineLane<ActivatorRequest> {
    let lane = this.#lanes.get(timeoutMs);
    if (lane === undefined) {
      const d = this.#d;
      lane = new DeadlineLane({
        timeoutMs, label: 'activator-request-timeout', schedule: d.schedule,
        nowMs: () => d.sim.nowMs, isPending: (timer) => d.sim.isPending(timer),
      });
      this.#lanes.set(timeoutMs, lane);
    }
    return lane;
  }

  /** @internal The header-pruning reverse proxy to a pod's queue-proxy; `caller` gets the raw answer (see proxyResponse). */
  proxy(dest: string, req: HttpRequest, caller: HttpCaller): Pending {
    const address = this.#address(dest);
    const out: HttpRequest = { method: req.method, path: req.path, headers: this.#requestEdit.apply(req.headers), body: req.body, carried: req.carried };
    return this.#d.http.send(address.ip, address.port, out, this.#sendOptions, caller);
  }

  /** @internal What the reverse proxy answers for the pod's answer `res`: a transport failure is a 502. */
  proxyResponse(res: HttpResponse): HttpResponse {
    if (res.status === 0) return { status: 502, headers: { [HEADER.viaActivator]: this.#d.podName }, body: `error reverse proxying request: ${res.error ?? 'transport failure'}` };
    return withEditedHeaders(res, this.#responseEdit);
  }

  /** A tracker's dest (`ip:port`) split, remembered for the last few dests. */
  #address(dest: string): { ip: string; port: number } {
    let address = this.#addresses.get(dest);
    if (address === undefined) {
      const colon = dest.lastIndexOf(':');
      address = { ip: dest.slice(0, colon), port: Number(dest.slice(colon + 1)) };
      if (this.#addresses.size >= MAX_REMEMBERED_DESTS) this.#addresses.clear();
      this.#addresses.set(dest, address);
    }
    return address;
  }

  #revisionKey(namespace: string, name: string): string {
    const last = this.#lastKey;
    if (last.namespace !== namespace || last.name !== name) this.#lastKey = { namespace, name, key: `${namespace}/${name}` };
    return this.#lastKey.key;
  }

  /** The revision's request timeout; the view is derived once per Revision object (they are frozen). */
  #timeoutMs(rev: KubeObject): number {
    let timeoutMs = this.#timeouts.get(rev);
    if (timeoutMs === undefined) {
      timeoutMs = revisionSpecView(rev).timeoutMs;
      this.#timeouts.set(rev, timeoutMs);
    }
    return timeoutMs;
  }
}

/**
 * One request past the context handler: the concurrency reporter's ReqIn/ReqOut, the
 * TimeoutHandler's deadline (in its handler's lane), the throttler's ticket and the proxying.
 */
class ActivatorRequest implements ThrottledRequest, DeadlineHolder, AbandonListener, HttpCaller {
  over = false;
  ticket: ThrottleTicket | undefined;
  #proxy: Pending | undefined;
  #slot: ThrottleSlot | undefined;

  constructor(
    readonly handler: ActivatorHandler,
    readonly ex: Exchange,
    readonly stats: RevisionStatsHandle,
  ) {}

  get awaitingDeadline(): boolean {
    return !this.over;
  }

  deadlinePassed(): void {
    this.end({ status: 504, body: 'activator request timeout' });
    this.#abort();
  }

  abandoned(): void {
    this.end(undefined);
    this.#abort();
  }

  proceed(dest: string, slot: ThrottleSlot): void {
    if (this.over) return slot.release();
    this.#slot = slot;
    this.#proxy = this.handler.proxy(dest, this.ex.request, this);
  }

  /** The pod answered (the proxy's send): the slot goes back, then the handler returns. */
  answered(res: HttpResponse): void {
    const out = this.handler.proxyResponse(res);
    this.#slot!.release();
    this.end(out);
  }

  reject(reason: string): void {
    this.end({ status: 503, body: reason });
  }

  /** The handler returns (with `res`, unless the client is gone). */
  end(res: HttpResponse | undefined): void {
    if (this.over) return;
    this.over = true;
    this.handler.reporter.requestOut(this.stats);
    if (res !== undefined) this.ex.respond(res);
  }

  /** The request's context is cancelled: leave the throttler's queue, stop proxying. */
  #abort(): void {
    this.ticket?.cancel();
    this.#proxy?.cancel();
  }
}

function networkProbeResponse(req: HttpRequest): HttpResponse {
  const hash = headerOf(req, HEADER.hash);
  if (!hash) return { status: 400, body: `a probe request must contain a non-empty "${HEADER.hash}" header` };
  return { status: 200, headers: { [HEADER.hash]: hash }, body: '' };
}
