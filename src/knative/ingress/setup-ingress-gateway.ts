// One ingress gateway incarnation (one gateway pod), a stand-in for net-kourier's gateway and
// controller together: informers on KIngresses and Endpoints; the KIngress controller that loads
// routes into this gateway after a propagation delay and marks KIngresses Ready; the router; an
// HTTP server on <pod IP>:80 that routes the workload request each exchange carries; and the pod's
// lifecycle (Ready once its informers have synced; on SIGTERM readiness fails, it keeps serving for
// `drainMs`, then closes its listener once its requests are done and exits).
// Outcomes: the gateway records the outcome of every request it answers (system.onRequestDone),
// unless the ledger says it was recorded already (see request-ledger.ts).

import type { ComponentContext } from '../../client/component.js';
import type { AbandonListener, Exchange } from '../../dataplane/http-network.js';
import type { RequestOutcome, SimRequest } from '../../dataplane/request.js';
import { ENDPOINTS } from '../../kube/resources.js';
import { KINGRESSES } from '../apis/resources.js';
import { HttpServer } from '../runtime/http-server.js';
import { registerProcessLifecycle } from '../runtime/process-lifecycle.js';
import type { KnativeComponentEnv } from '../serving-system.js';
import { GatewayConfig } from './gateway-config.js';
import { GATEWAY_HTTP_PORT } from './gateway-constants.js';
import { IngressRouter, type RouteListener, type Routing } from './ingress-router.js';
import { startKIngressReconciler, type PropagationDelay } from './kingress-reconciler.js';
import { recordOnce, type LedgerBody, type RequestLedger } from './request-ledger.js';

export interface IngressGatewayOptions {
  /** From a KIngress change until this gateway serves it. Default 100–500 ms (an assumption: xDS push). */
  configPropagation?: PropagationDelay;
  /** Only this ingress class; default: every KIngress. */
  ingressClass?: string;
  /** Upstream request timeout; default 0 (none: the revision's own timeouts apply). */
  upstreamTimeoutMs?: number;
  /** From SIGTERM until the listener closes. Default 15 s (an assumption: envoy's drain). */
  drainMs?: number;
}

export const DEFAULT_CONFIG_PROPAGATION: Readonly<PropagationDelay> = Object.freeze({ minMs: 100, maxMs: 500 });
export const DEFAULT_GATEWAY_DRAIN_MS = 15_000;

export interface IngressGateway {
  readonly config: GatewayConfig;
  readonly server: HttpServer;
  /** Routes a request; records its outcome and hands it to `done`. */
  routeRequest(req: SimRequest, done: (outcome: RequestOutcome) => void): Routing;
}

export function setupIngressGateway(ctx: ComponentContext, env: KnativeComponentEnv, options: IngressGatewayOptions = {}): IngressGateway {
  const { system, pod } = env;
  const ingresses = ctx.informer(KINGRESSES);
  const endpoints = ctx.informer(ENDPOINTS);
  const config = new GatewayConfig();
  startKIngressReconciler({ ctx, ingresses, config, propagation: options.configPropagation ?? DEFAULT_CONFIG_PROPAGATION, ingressClass: options.ingressClass });
  const router = new IngressRouter({ sim: ctx.sim, http: system.http, selfIp: pod.ip, config, endpoints, upstreamTimeoutMs: options.upstreamTimeoutMs ?? 0 });
  const serve = (ex: Exchange): void => {
    const req = ex.request.carried;
    if (req === undefined) return ex.respond({ status: 400, body: 'no request' });
    const ledger = (ex.request.body as Partial<LedgerBody> | undefined)?.ledger;
    const request = new GatewayRequest(ex, ledger, system.onRequestDone);
    request.routing = router.route(req, request);
    ex.onAbandon(request);
  };
  const server = new HttpServer({ http: system.http, ip: pod.ip, port: GATEWAY_HTTP_PORT, handler: serve });
  let sigterm = false;
  registerProcessLifecycle(ctx, env, {
    name: 'ingress-gateway-process',
    healthy: () => !sigterm && ingresses.hasSynced && endpoints.hasSynced,
    sigterm: (container) => {
      if (sigterm) return;
      sigterm = true;
      ctx.schedule(options.drainMs ?? DEFAULT_GATEWAY_DRAIN_MS, () => {
        server.shutdown(() => void system.runtime.exitContainer(pod.uid, container, { exitCode: 0 }));
      }, 'gateway-drain');
    },
  });
  ctx.onStop(() => server.reset());
  return {
    config, server,
    routeRequest: (req, done) => router.route(req, (outcome) => {
      recordOnce(undefined, system.onRequestDone, outcome);
      done(outcome);
    }),
  };
}

/** One request the gateway serves: its outcome is recorded (once) and answered; a client that leaves cancels the routing. */
class GatewayRequest implements RouteListener, AbandonListener {
  routing: Routing | undefined;

  constructor(
    readonly ex: Exchange,
    readonly ledger: RequestLedger | undefined,
    readonly record: (outcome: RequestOutcome) => void,
  ) {}

  routed(outcome: RequestOutcome): void {
    recordOnce(this.ledger, this.record, outcome);
    this.ex.respond({ status: outcome.status, body: outcome });
  }

  abandoned(): void {
    this.routing?.cancel();
  }
}
