// queue-proxy's main handler chain on the serving port (knative/serving
// pkg/queue/sharedmain/handlers.go mainHandler), outside in:
// - the Drainer (knative/pkg network/handlers/drain.go): kubelet probes and the activator's and
//   autoscaler's health checks (by user agent) run the health handler, or get 503 "shutting down"
//   while draining; K-Network-Probe: probe is answered by the drainer; any other request restarts a
//   pending drain timer and goes on;
// - the health handler (pkg/queue/health/handler.go): K-Network-Probe must be 'queue' (else 400),
//   then the readiness prober: 200 'queue' or 503;
// - the TimeoutHandler (pkg/http/handler/timeout.go): 504 "request timeout" when the revision's
//   timeout (or its response-start or idle timeout) fires first, and the inner work is cancelled;
// - the ProxyHandler (pkg/queue/handler.go): ReqIn, or ProxiedIn when K-Proxy-Request: activator,
//   before the breaker (so queued requests count); the breaker (none when CC = 0) admits, queues or
//   turns the request away with 503 "pending request queue full"; ReqOut/ProxiedOut at the end;
// - the reverse proxy to the user container: a transport failure is a 502 (knative/pkg
//   network/error_handler.go).
// A client that goes away (the activator's or the ingress's timeout) cancels the request wherever
// it is: it leaves the breaker's queue or frees its slot.

import type { Exchange, HttpRequest, HttpResponse } from '../../dataplane/http-network.js';
import { Breaker, queueProxyBreakerOptions } from '../queue/index.js';
import type { DrainGate } from './drain-gate.js';
import { ACTIVATOR_NAME, HEADER, headerOf, QUEUE_PROBE_VALUE, withResponseHeader } from '../runtime/network-headers.js';
import { effectiveTimeoutMs, type QueueProxySettings } from './queue-proxy-settings.js';
import type { QueueStatsReporter } from './queue-stats-reporter.js';
import type { ReadinessProber } from './readiness-prober.js';
import type { TimerGroup } from '../runtime/timer-group.js';
import type { UserApp, UserCall } from './user-app.js';

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

type Respond = (res: HttpResponse) => void;

const NOOP = (): void => undefined;

export class QueueRequestHandler {
  /** The breaker (queue.Breaker per buildBreaker), undefined when containerConcurrency is 0. */
  readonly breaker: Breaker<BreakerWaiter> | undefined;
  readonly #deps: QueueRequestHandlerDeps;

  constructor(deps: QueueRequestHandlerDeps) {
    this.#deps = deps;
    const options = queueProxyBreakerOptions(deps.settings.containerConcurrency);
    this.breaker = options ? new Breaker<BreakerWaiter>(options) : undefined;
  }

  handle(ex: Exchange): void {
    const req = ex.request;
    const answer = this.#deps.drain.serve({
      userAgent: headerOf(req, HEADER.userAgent),
      networkProbe: headerOf(req, HEADER.probe),
      networkHash: headerOf(req, HEADER.hash),
    });
    if (answer.handledBy === 'drainer') return ex.respond(drainerResponse(answer.status, req));
    if (answer.handledBy === 'health-check') return this.#healthCheck(ex);
    this.#serveWithTimeout(ex);
  }

  #healthCheck(ex: Exchange): void {
    const value = headerOf(ex.request, HEADER.probe) ?? '';
    if (value !== QUEUE_PROBE_VALUE) return ex.respond({ status: 400, body: `unexpected probe header value: ${value}` });
    this.#deps.prober.probe((ok) => ex.respond(ok ? { status: 200, body: QUEUE_PROBE_VALUE } : { status: 503, body: '' }));
  }

  #serveWithTimeout(ex: Exchange): void {
    const timers = this.#deps.timers;
    let finished = false;
    let cancelInner = NOOP;
    const finish: Respond = (res) => {
      if (finished) return;
      finished = true;
      timers.cancel(timeout);
      ex.respond(res);
    };
    const timeout = timers.schedule(effectiveTimeoutMs(this.#deps.settings), () => {
      finish({ status: 504, body: 'request timeout' });
      cancelInner();
    }, 'queue-request-timeout');
    ex.onAbandon(() => {
      finished = true;
      timers.cancel(timeout);
      cancelInner();
    });
    if (!finished) cancelInner = this.#proxyHandler(ex.request, finish);
  }

  /** ProxyHandler; returns the cancellation of the request's context. */
  #proxyHandler(req: HttpRequest, finish: Respond): () => void {
    const stats = this.#deps.stats;
    const proxied = headerOf(req, HEADER.proxy) === ACTIVATOR_NAME;
    stats.handle(proxied ? 'ProxiedIn' : 'ReqIn');
    let out = false;
    const done = (): void => {
      if (out) return;
      out = true;
      stats.handle(proxied ? 'ProxiedOut' : 'ReqOut');
    };
    const respond: Respond = (res) => {
      done();
      finish(res);
    };
    const breaker = this.breaker;
    if (breaker === undefined) {
      const call = this.#proxy(req, respond);
      return () => {
        call.cancel();
        done();
      };
    }
    return this.#throughBreaker(breaker, req, respond, done);
  }

  #throughBreaker(breaker: Breaker<BreakerWaiter>, req: HttpRequest, respond: Respond, done: () => void): () => void {
    let call: UserCall | undefined;
    let holding = false;
    let over = false;
    const waiter: BreakerWaiter = {
      admit: () => {
        holding = true;
        call = this.#proxy(req, (res) => {
          over = true;
          this.#release(breaker);
          respond(res);
        });
      },
    };
    const result = breaker.tryAcquire(waiter);
    if (result === 'rejected') {
      respond({ status: 503, body: 'pending request queue full' });
      return NOOP;
    }
    if (result === 'granted') waiter.admit();
    return () => {
      if (over) return;
      over = true;
      if (holding) {
        call?.cancel();
        this.#release(breaker);
      } else {
        breaker.cancel(waiter);
      }
      done();
    };
  }

  #release(breaker: Breaker<BreakerWaiter>): void {
    breaker.release()?.admit();
  }

  /** The reverse proxy to the user container. */
  #proxy(req: HttpRequest, respond: Respond): UserCall {
    const app = this.#deps.userApp();
    if (app === undefined) {
      respond({ status: 502, body: 'error reverse proxying request: connection refused' });
      return { cancel: NOOP };
    }
    const podName = this.#deps.settings.podName;
    return app.serve(req, (res) => {
      if (res.status === 0) return respond({ status: 502, body: `error reverse proxying request: ${res.error ?? 'transport failure'}` });
      respond(withResponseHeader(res, HEADER.servedByPod, podName));
    });
  }
}

function drainerResponse(status: 200 | 400 | 503, req: HttpRequest): HttpResponse {
  if (status === 503) return { status, body: 'shutting down' };
  if (status === 400) return { status, body: `a probe request must contain a non-empty "${HEADER.hash}" header` };
  const hash = headerOf(req, HEADER.hash);
  return { status, headers: hash ? { [HEADER.hash]: hash } : {}, body: '' };
}
