// One activator incarnation (knative/serving cmd/activator/main.go), run in an activator pod:
// informers on Revisions and Endpoints; the throttler, fed by the revision backends manager
// (private Endpoints, pod probing) and the public Endpoints (this activator's slice); the
// concurrency reporter sending to the autoscaler; the handler chain on <pod IP>:8012; and the
// SIGTERM drain: readiness fails at once, the servers shut down after network.DefaultDrainTimeout
// (45 s) once their requests are done, and the process exits.

import type { ComponentContext } from '../../client/component.js';
import { ENDPOINTS } from '../../kube/resources.js';
import { LABELS } from '../apis/serving-labels.js';
import { REVISIONS } from '../apis/resources.js';
import { DEFAULT_DRAIN_TIMEOUT_MS } from '../queue/index.js';
import { HttpServer } from '../runtime/http-server.js';
import { registerProcessLifecycle } from '../runtime/process-lifecycle.js';
import { PORTS, type KnativeComponentEnv } from '../serving-system.js';
import { ActivatorHandler } from './activator-handler.js';
import { ConcurrencyReporter } from './concurrency-reporter.js';
import { RevisionBackendsManager } from './revision-backends.js';
import { ACTIVATOR_PROBE_FREQUENCY_MS, ACTIVATOR_PROBE_TIMEOUT_MS } from './revision-watcher.js';
import { StatSink } from './stat-sink.js';
import { Throttler } from './throttler.js';

export interface ActivatorOptions {
  /** PROBE_TIMEOUT. Default 300 ms. */
  probeTimeoutMs?: number;
  /** PROBE_FREQUENCY. Default 200 ms. */
  probeFrequencyMs?: number;
  /** The sleep between SIGTERM and the servers' shutdown. Default 45 s. */
  drainMs?: number;
}

/** What an incarnation exposes to tests and faults (the component itself holds nothing else). */
export interface Activator {
  readonly throttler: Throttler;
  readonly backends: RevisionBackendsManager;
  readonly reporter: ConcurrencyReporter;
  readonly sink: StatSink;
  readonly server: HttpServer;
  healthError(): string | undefined;
}

export function setupActivator(ctx: ComponentContext, env: KnativeComponentEnv, options: ActivatorOptions = {}): Activator {
  const { sim } = ctx;
  const { system, pod } = env;
  const revisions = ctx.informer(REVISIONS);
  const endpoints = ctx.informer(ENDPOINTS);
  const timers = { schedule: (ms: number, run: () => void, label: string) => ctx.schedule(ms, run, label), cancel: (t: Parameters<typeof sim.cancel>[0]) => ctx.cancel(t) };
  const lb = sim.choices('activator/lb');
  const throttler = new Throttler({ revisions, selfIp: pod.ip, choose: (n) => lb.int(n), ...timers });
  const backends = new RevisionBackendsManager({
    sim, http: system.http, selfIp: pod.ip, revisions,
    probeTimeoutMs: options.probeTimeoutMs ?? ACTIVATOR_PROBE_TIMEOUT_MS,
    probeFrequencyMs: options.probeFrequencyMs ?? ACTIVATOR_PROBE_FREQUENCY_MS,
    probeNotReady: env.profile.has('pr-6695'),
    execProbeOptOut: env.profile.has('pr-12250'),
    fixes: {
      independentProbes: !env.profile.has('pr-9540') || env.profile.has('pr-14303'),
      noopBySetEquality: env.profile.has('pr-14347'),
    },
    onUpdate: (key, dests) => {
      sim.record('activator-backends', { activator: pod.name, revision: key, healthy: dests.size });
      throttler.handleUpdate(key, dests);
    },
  });
  const sink = new StatSink({ http: system.http, selfIp: pod.ip, endpoints, choices: sim.choices('activator/stat-sink') });
  const reporter = new ConcurrencyReporter({ ctx, podName: pod.name, sink });
  let sigterm = false;
  const healthError = (): string | undefined => (sigterm ? 'received SIGTERM from kubelet' : sink.healthy() ? undefined : 'connection to the autoscaler is not established');
  const handler = new ActivatorHandler({ sim, http: system.http, selfIp: pod.ip, podName: pod.name, revisions, throttler, reporter, healthError, ...timers });
  const server = new HttpServer({ http: system.http, ip: pod.ip, port: PORTS.http1, handler: (ex) => handler.handle(ex) });
  wireInformers(revisions, endpoints, throttler, backends);
  registerProcessLifecycle(ctx, env, {
    name: 'activator-process',
    healthy: () => healthError() === undefined,
    sigterm: (container) => {
      if (sigterm) return;
      sigterm = true;
      ctx.schedule(options.drainMs ?? DEFAULT_DRAIN_TIMEOUT_MS, () => {
        server.shutdown(() => void system.runtime.exitContainer(pod.uid, container, { exitCode: 0 }));
      }, 'activator-drain');
    },
  });
  const activator = { throttler, backends, reporter, sink, server, healthError };
  system.activators.set(pod.name, activator);
  ctx.onStop(() => {
    server.reset();
    backends.stopAll();
    if (system.activators.get(pod.name) === activator) system.activators.delete(pod.name);
  });
  return activator;
}

function wireInformers(
  revisions: ReturnType<ComponentContext['informer']>,
  endpoints: ReturnType<ComponentContext['informer']>,
  throttler: Throttler,
  backends: RevisionBackendsManager,
): void {
  revisions.addHandler({
    add: (rev) => throttler.revisionUpdated(rev),
    update: (_old, rev) => throttler.revisionUpdated(rev),
    delete: (rev) => throttler.revisionDeleted(rev),
  });
  const updated = (eps: Parameters<typeof backends.endpointsUpdated>[0]): void => {
    if (eps.metadata.labels?.[LABELS.serviceType] === 'Public') throttler.handlePubEpsUpdate(eps);
    backends.endpointsUpdated(eps);
  };
  endpoints.addHandler({ add: updated, update: (_old, eps) => updated(eps), delete: (eps) => backends.endpointsDeleted(eps) });
}
