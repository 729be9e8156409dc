// queue-proxy's main handler chain on the serving port (knative/serving
// pkg/queue/sharedmain/handlers.go mainHandler), outside in:
// - the Drainer (knative/pkg network/handlers/drain.go): kubelet probes and the activator's and
//   autoscaler's health checks (by user agent) run the health handler, or get 503 "shutting down"
//   while draining; K-Network-Probe: probe is answered by the drainer; any other request restarts a
//   pending drain timer and goes on;
// - the health handler (pkg/queue/health/handler.go): K-Network-Probe must be 'queue' (else 400),
//   then the readiness prober: 200 'queue' or 503;
// - the TimeoutHandler (pkg/http/handler/timeout.go): 504 "request timeout" when the revision's
//   timeout (or its response-start or idle timeout) fires first, and the inner work is cancelled
//   (the per-request timers are kept as one deadline lane: runtime/deadline-lane.ts);
// - the ProxyHandler (pkg/queue/handler.go): ReqIn, or ProxiedIn when K-Proxy-Request: activator,
//   before the breaker (so queued requests count); the breaker (none when CC = 0) admits, queues or
//   turns the request away with 503 "pending request queue full"; ReqOut/ProxiedOut at the end;
// - the reverse proxy to the user container: a transport failure is a 502 (knative/pkg
//   network/error_handler.go).
// A client that goes away (the activator's or the ingress's timeout) cancels the request wherever
// it is: it leaves the breaker's queue or frees its slot.

import type { AbandonListener, Exchange, HttpRequest, HttpResponse } from '../../dataplane/http-network.js';
import { DeadlineLane, type DeadlineHolder } from '../runtime/deadline-lane.js';
import { Breaker, queueProxyBreakerOptions } from '../queue/index.js';
import type { DrainGate } from './drain-gate.js';
import { ACTIVATOR_NAME, HEADER, HeaderEdit, headerOf, QUEUE_PROBE_VALUE, withEditedHeaders } from '../runtime/network-headers.js';
import { effectiveTimeoutMs, type QueueProxySettings } from './queue-proxy-settings.js';
import type { QueueStatsReporter } from './queue-stats-reporter.js';
import type { ReadinessProber } from './readiness-prober.js';
import type { TimerGroup } from '../runtime/timer-group.js';
import type { UserApp, UserAppCaller, UserCall } from './user-app.js';

export interface QueueRequestHandlerDeps {
  timers: TimerGroup;
  settings: QueueProxySettings;
  drain: DrainGate;
  prober: ReadinessProber;
  stats: QueueStatsReporter;
  userApp: () => UserApp | undefined;
}

interface BreakerWaiter {
  admit(): void;
}

const REFUSED: UserCall = Object.freeze({ cancel: () => undefined });

export class QueueRequestHandler {
  /** The breaker (queue.Breaker per buildBreaker), undefined when containerConcurrency is 0. */
  readonly breaker: Breaker<BreakerWaiter> | undefined;
  /** The sim-only header naming the pod that served, on the user container's answers. */
  readonly responseEdit: HeaderEdit;
  readonly #deps: QueueRequestHandlerDeps;
  /** The TimeoutHandler's deadlines (the timeout is the same for every request). */
  readonly #lane: DeadlineLane<QueueRequest>;

  constructor(deps: QueueRequestHandlerDeps) {
    this.#deps = deps;
    this.responseEdit = new HeaderEdit({ set: HEADER.servedByPod, to: deps.settings.podName });
    const timers = deps.timers;
    this.#lane = new DeadlineLane({
      timeoutMs: Math.max(0, Math.round(effectiveTimeoutMs(deps.settings))), label: 'queue-request-timeout',
      nowMs: () => timers.sim.nowMs, schedule: (delayMs, run, label) => timers.schedule(delayMs, run, label),
      isPending: (timer) => timers.sim.isPending(timer),
    });
    const options = queueProxyBreakerOptions(deps.settings.containerConcurrency);
    this.breaker = options ? new Breaker<BreakerWaiter>(options) : undefined;
  }

  handle(ex: Exchange): void {
    const req = ex.request;
    // Read here rather than through headerOf (see there): this site's own inline caches.
    const headers = req.headers;
    const answer = this.#deps.drain.serve({
      userAgent: headers[HEADER.userAgent],
      networkProbe: headers[HEADER.probe],
      networkHash: headers[HEADER.hash],
    });
    if (answer.handledBy === 'drainer') return ex.respond(drainerResponse(answer.status, req));
    if (answer.handledBy === 'health-check') return this.#healthCheck(ex);
    this.#serveWithTimeout(ex, headers[HEADER.proxy] === ACTIVATOR_NAME);
  }

  #healthCheck(ex: Exchange): void {
    const value = headerOf(ex.request, HEADER.probe) ?? '';
    if (value !== QUEUE_PROBE_VALUE) return ex.respond({ status: 400, body: `unexpected probe header value: ${value}` });
    this.#deps.prober.probe((ok) => ex.respond(ok ? { status: 200, body: QUEUE_PROBE_VALUE } : { status: 503, body: '' }));
  }

  /** `proxied`: K-Proxy-Request: activator. */
  #serveWithTimeout(ex: Exchange, proxied: boolean): void {
    const request = new QueueRequest(this, ex, proxied);
    this.#lane.add(request);
    ex.onAbandon(request);
    if (!request.finished) request.proxyHandler();
  }

  /** @internal */
  get stats(): QueueStatsReporter {
    return this.#deps.stats;
  }

  /** @internal The reverse proxy to the user container. */
  proxy(req: HttpRequest, request: QueueRequest): UserCall {
    const app = this.#deps.userApp();
    if (app === undefined) {
      request.userAppAnswered({ status: 0, error: 'connection refused' });
      return REFUSED;
    }
    return app.serve(req, request);
  }
}

/**
 * One request past the Drainer: the TimeoutHandler (its deadline in the handler's lane), the
 * ProxyHandler's stats and breaker, and the reverse proxy to the user container.
 */
class QueueRequest implements DeadlineHolder, AbandonListener, UserAppCaller {
  /** The TimeoutHandler has answered, or the client is gone. */
  finished = false;
  /** The ProxyHandler ran (ReqIn/ProxiedIn counted); until then there is no inner work to cancel. */
  #started = false;
  /** ReqOut/ProxiedOut counted. */
  #out = false;
  /** The breaker's part is over: the slot released, the waiter cancelled, or turned away. */
  #breakerOver = false;
  /** Holds a breaker slot. */
  #holding = false;
  #call: UserCall | undefined;

  constructor(
    readonly handler: QueueRequestHandler,
    readonly ex: Exchange,
    /** K-Proxy-Request: activator. */
    readonly proxied: boolean,
  ) {}

  get awaitingDeadline(): boolean {
    return !this.finished;
  }

  /** TimeoutHandler: 504 and the inner work is cancelled. */
  deadlinePassed(): void {
    this.#finish({ status: 504, body: 'request timeout' });
    this.#cancelInner();
  }

  abandoned(): void {
    this.finished = true;
    this.#cancelInner();
  }

  /** ProxyHandler: ReqIn (or ProxiedIn), then the breaker (none when CC = 0) and the proxy. */
  proxyHandler(): void {
    this.#started = true;
    this.handler.stats.handle(this.proxied ? 'ProxiedIn' : 'ReqIn');
    const breaker = this.handler.breaker;
    if (breaker === undefined) {
      this.#call = this.handler.proxy(this.ex.request, this);
      return;
    }
    const result = breaker.tryAcquire(this);
    if (result === 'rejected') {
      this.#breakerOver = true;
      this.#respond({ status: 503, body: 'pending request queue full' });
      return;
    }
    if (result === 'granted') this.admit();
  }

  /** The breaker gave this request a slot. */
  admit(): void {
    this.#holding = true;
    this.#call = this.handler.proxy(this.ex.request, this);
  }

  /** The user container answered (status 0: a transport failure). */
  userAppAnswered(res: HttpResponse): void {
    const breaker = this.handler.breaker;
    if (breaker !== undefined) {
      this.#breakerOver = true;
      releaseSlot(breaker);
    }
    if (res.status === 0) return this.#respond({ status: 502, body: `error reverse proxying request: ${res.error ?? 'transport failure'}` });
    this.#respond(withEditedHeaders(res, this.handler.responseEdit));
  }

  #respond(res: HttpResponse): void {
    this.#done();
    this.#finish(res);
  }

  #finish(res: HttpResponse): void {
    if (this.finished) return;
    this.finished = true;
    this.ex.respond(res);
  }

  #done(): void {
    if (this.#out) return;
    this.#out = true;
    this.handler.stats.handle(this.proxied ? 'ProxiedOut' : 'ReqOut');
  }

  /** The request's context is cancelled: stop the user call or leave the breaker. */
  #cancelInner(): void {
    if (!this.#started) return;
    const breaker = this.handler.breaker;
    if (breaker === undefined) {
      this.#call?.cancel();
      this.#done();
      return;
    }
    if (this.#breakerOver) return;
    this.#breakerOver = true;
    if (this.#holding) {
      this.#call?.cancel();
      releaseSlot(breaker);
    } else {
      breaker.cancel(this);
    }
    this.#done();
  }
}

function releaseSlot(breaker: Breaker<BreakerWaiter>): void {
  breaker.release()?.admit();
}

function drainerResponse(status: 200 | 400 | 503, req: HttpRequest): HttpResponse {
  if (status === 503) return { status, body: 'shutting down' };
  if (status === 400) return { status, body: `a probe request must contain a non-empty "${HEADER.hash}" header` };
  const hash = headerOf(req, HEADER.hash);
  return { status, headers: hash ? { [HEADER.hash]: hash } : {}, body: '' };
}
