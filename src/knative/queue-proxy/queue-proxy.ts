// One queue-proxy process (knative/serving pkg/queue/sharedmain/main.go Main): created when the
// queue-proxy container starts, dropped when it stops, so a restart begins with a fresh breaker,
// fresh statistics and a fresh Drainer (the Drainer state lives in this process, as upstream).
// - servers: main (the serving port, 8012: user traffic and health checks), admin (8022:
//   /wait-for-drain) and metrics (9090: /metrics);
// - SIGTERM (terminate): Drain() — health checks fail at once, and Drain returns 30 s after the
//   last request (drainSleepDuration) — then every server shuts down (in-flight requests finish)
//   and the process exits 0;
// - /wait-for-drain (the user container's preStop hook), by release:
//   - before knative/serving#12033 (Knative 1.1; cmd/queue/main.go buildAdminServer with
//     health.State.DrainHandlerFunc): the call only waits until the SIGTERM shutdown has drained;
//     it starts nothing, so health checks keep passing (a user container restarting alone waits out
//     its grace period in the hook);
//   - since #12033 (cmd/queue/main.go, then pkg/queue/sharedmain/main.go): it calls Drain() itself
//     and answers when Drain returns, so health checks fail from then on;
//   - since #13229 (commit ea5c5354d9, Knative 1.7, fixing #12571): a call that is not followed by
//     SIGTERM to queue-proxy within 1 s resets the drainer (the user container alone is restarting,
//     e.g. after a failed liveness probe); before it the drainer stays draining and the pod's
//     readiness fails until queue-proxy itself restarts.
//   Which applies is the queue-proxy's own release (its image), as the `drainOnWaitForDrain` and
//   `resetUnsignalledDrain` options say.
// - TLS (pkg/queue/sharedmain/main.go): with the serving certificate mounted, from #12815 (1.4) the
//   admin server listened with TLS instead of HTTP until #16163 (commit 54868c2355, Knative 1.20,
//   fixing #16162) kept it on HTTP; the kubelet's preStop GET is plain HTTP, so it got an
//   immediate 400 and the user container its SIGTERM without waiting for the drain. Only the
//   admin port's TLS is modelled; the main server's TLS port (8112) is not.
// - which user agents the Drainer treats as health checks depends on the release: see
//   healthCheckUserAgentPrefixes.
// The hijacked-connection drain (60 s for websockets) has nothing to wait for here.

import type { Exchange } from '../../dataplane/http-network.js';
import type { ProbeOutcome } from '../../kube/pod-runtime.js';
import { QUEUE_PROXY_HEALTH_CHECK_UA_PREFIXES, QUEUE_PROXY_QUIET_PERIOD_MS } from '../queue/index.js';
import { ACTIVATOR_USER_AGENT } from '../runtime/network-headers.js';
import type { KnativeProfile } from '../versions.js';
import { PORTS } from '../serving-system.js';
import type { HttpNetwork } from '../../dataplane/http-network.js';
import { DrainGate } from './drain-gate.js';
import { HttpServer } from '../runtime/http-server.js';
import type { QueueProxySettings } from './queue-proxy-settings.js';
import { QueueRequestHandler } from './queue-request-handler.js';
import { QueueStatsReporter, type QueueProxyStat } from './queue-stats-reporter.js';
import { ReadinessProber } from './readiness-prober.js';
import { TimerGroup } from '../runtime/timer-group.js';
import type { UserApp } from './user-app.js';

/** queue.RequestQueueDrainPath. */
export const WAIT_FOR_DRAIN_PATH = '/wait-for-drain';
/** How long /wait-for-drain waits for SIGTERM before resetting the drainer (handlers.go adminHandler). */
export const UNSIGNALLED_DRAIN_RESET_MS = 1000;

/**
 * The user agents queue-proxy's Drainer hands to the health handler besides the kubelet's
 * (knative/serving pkg/queue/sharedmain/main.go buildServer, HealthCheckUAPrefixes).
 * - pr-13501 (05a28e0343, fixing #13487) added the autoscaler's Knative-Autoscaling-Probe: from
 *   then on the KPA's activator probe, when it lands on a pod, gets the health handler's 400.
 * - from pr-12033 (525a4cbe3c, the Drainer in queue-proxy, v0.28) until then only the activator's
 *   agent was listed, so that probe (K-Network-Probe: activator) went through the inner chain:
 *   counted as a request by the stats (ReqIn/ReqOut) and proxied to the user container.
 * - before pr-12033 (cmd/queue/main.go of v0.27) the chain had no Drainer: health.ProbeHandler
 *   answered every request carrying K-Network-Probe, so the autoscaler's probe got 400 there; the
 *   model keeps its agent in the list for those releases, which answers that probe the same way.
 */
export function healthCheckUserAgentPrefixes(profile: KnativeProfile): readonly string[] {
  if (profile.has('pr-12033') && !profile.has('pr-13501')) return [ACTIVATOR_USER_AGENT];
  return QUEUE_PROXY_HEALTH_CHECK_UA_PREFIXES;
}

export interface QueueProxyOptions {
  http: HttpNetwork;
  timers: TimerGroup;
  podIp: string;
  settings: QueueProxySettings;
  userApp: () => UserApp | undefined;
  /** The process exits by itself (end of a graceful shutdown). */
  exit: () => void;
  /** /wait-for-drain calls Drain() itself (knative/serving#12033); else it waits for the SIGTERM drain. */
  drainOnWaitForDrain: boolean;
  /** /wait-for-drain without SIGTERM within 1 s resets the drainer (knative/serving#13229). */
  resetUnsignalledDrain: boolean;
  /**
   * The admin server (8022) speaks TLS: certificates mounted, on a release between #12815 and
   * #16163. A plain-HTTP request to it (the kubelet's preStop hook) then gets Go's immediate
   * "400 Bad Request: Client sent an HTTP request to an HTTPS server".
   */
  adminServesTls: boolean;
  /** Answer the kubelet's readiness probe ahead of time (ReadinessProber.kubeletAnswer). */
  readinessLookahead: boolean;
  /** The release of this queue-proxy's image. */
  profile: KnativeProfile;
}

export class QueueProxy {
  readonly settings: QueueProxySettings;
  readonly drain: DrainGate;
  readonly stats: QueueStatsReporter;
  readonly prober: ReadinessProber;
  readonly handler: QueueRequestHandler;
  readonly #options: QueueProxyOptions;
  readonly #timers: TimerGroup;
  readonly #servers: HttpServer[];
  #sigterm = false;
  #stopped = false;
  /** /wait-for-drain callers (before #12033) waiting for the SIGTERM drain. */
  readonly #awaitingSigterm: (() => void)[] = [];

  constructor(options: QueueProxyOptions) {
    this.#options = options;
    this.#timers = options.timers;
    this.settings = options.settings;
    const timers = options.timers;
    this.prober = new ReadinessProber({ timers, settings: options.settings.readiness, userApp: options.userApp });
    this.drain = new DrainGate({ timers, quietPeriodMs: QUEUE_PROXY_QUIET_PERIOD_MS, healthCheckUserAgentPrefixes: healthCheckUserAgentPrefixes(options.profile), hasHealthCheck: true });
    this.stats = new QueueStatsReporter({ timers, podName: options.settings.podName });
    this.handler = new QueueRequestHandler({ timers, settings: options.settings, drain: this.drain, prober: this.prober, stats: this.stats, userApp: options.userApp });
    const serve = (port: number, handler: (ex: Exchange) => void): HttpServer => new HttpServer({ http: options.http, ip: options.podIp, port, handler });
    this.#servers = [
      serve(options.settings.servingPort, (ex) => this.handler.handle(ex)),
      serve(PORTS.queueAdmin, (ex) => this.#admin(ex)),
      serve(PORTS.metrics, (ex) => this.#metrics(ex)),
    ];
  }

  get sigtermReceived(): boolean {
    return this.#sigterm;
  }

  get stat(): QueueProxyStat {
    return this.stats.stat;
  }

  get listening(): boolean {
    return this.#servers[0].listening;
  }

  /** SIGTERM. */
  terminate(): void {
    if (this.#sigterm || this.#stopped) return;
    this.#sigterm = true;
    this.drain.drain(() => this.#shutdown());
    for (const done of this.#awaitingSigterm.splice(0)) this.drain.drain(done);
  }

  /** The process is gone (exited, killed, crashed): every server resets, every timer stops. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const server of this.#servers) server.reset();
    this.#timers.cancelAll();
  }

  /** The kubelet's readiness probe of this container (an HTTPGet with K-Network-Probe: queue). */
  kubeletReadiness(probeTimeoutMs: number): ProbeOutcome {
    if (this.#stopped || !this.listening) return 'failure';
    if (this.drain.draining) return 'failure';
    return this.prober.kubeletAnswer({ timeoutMs: probeTimeoutMs, lookahead: this.#options.readinessLookahead });
  }

  #shutdown(): void {
    let open = this.#servers.length;
    for (const server of this.#servers) {
      server.shutdown(() => {
        open--;
        if (open === 0 && !this.#stopped) this.#options.exit();
      });
    }
  }

  #admin(ex: Exchange): void {
    if (this.#options.adminServesTls) return ex.respond({ status: 400, body: 'Client sent an HTTP request to an HTTPS server.\n' });
    if (ex.request.path !== WAIT_FOR_DRAIN_PATH) return ex.respond({ status: 404, body: '404 page not found' });
    const answer = (): void => ex.respond({ status: 200, body: '' });
    if (!this.#options.drainOnWaitForDrain) {
      // health.State.DrainHandlerFunc: block until Shutdown (on SIGTERM) has drained.
      if (this.#sigterm) this.drain.drain(answer);
      else this.#awaitingSigterm.push(answer);
      return;
    }
    if (this.#options.resetUnsignalledDrain) {
      this.#timers.schedule(UNSIGNALLED_DRAIN_RESET_MS, () => {
        if (!this.#sigterm) this.drain.reset();
      }, 'wait-for-drain-reset');
    }
    this.drain.drain(answer);
  }

  #metrics(ex: Exchange): void {
    if (ex.request.path !== '/metrics') return ex.respond({ status: 404, body: '404 page not found' });
    ex.respond({ status: 200, headers: { 'Content-Type': 'application/protobuf' }, body: this.stat });
  }
}
