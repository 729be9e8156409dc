// The KPA's activator probe (knative/serving pkg/reconciler/autoscaling/kpa/scaler.go
// activatorProbe, paToProbeTarget, probeOptions; knative/networking pkg/prober Do and Manager).
// GET http://<pa.status.serviceName>.<ns>.svc.cluster.local:<80|81>/healthz with the headers
// K-Network-Probe: activator and User-Agent: Knative-Autoscaling-Probe; it succeeds on 200 with
// the body "activator", i.e. when the PA's public service routes to an activator.
// - The Service hop is kube-proxy's: one ready address of the public Endpoints `<serviceName>`
//   as the node's kube-proxy has programmed them (kube-proxy-view.ts: a change takes effect up to
//   one kube-proxy sync period after the informer saw it) is drawn through the chooser, at the Endpoints port the service port
//   targets (8012 for http1, 8013 for h2c). No ready address: refused, a failed probe.
// - The synchronous probe runs inside the reconcile. Upstream it has no deadline of its own (the
//   prober transport's backoff dialer gives up after about 20 s: 15 steps from 50 ms × 1.4,
//   knative.dev/pkg network/transports.go); the simulated network cannot tell a hung dial from a
//   hung answer, so both end after SYNC_PROBE_TIMEOUT_MS.
// - The async probe manager (probeManager.Offer) polls one target at a time: an attempt at once,
//   then one per period (1 s), until one succeeds or the 45 s timeout ends the poll; either way the
//   PA is re-enqueued 1 s later. A target already being polled is not offered again.

import type { KubeObject } from '../../apiserver/types.js';
import type { ChoiceSource } from '../../sim/chooser.js';
import type { Effect } from '../../sim/process.js';
import type { HttpNetwork, Pending } from '../../dataplane/http-network.js';
import { ASYNC_PROBE_PERIOD_MS, ASYNC_PROBE_REQUEUE_MS, ASYNC_PROBE_TIMEOUT_MS } from '../kpa/scale-decision.js';
import type { EndpointSubset } from '../kpa/endpoints-types.js';
import { targetPortFor, type ProtocolType } from '../kpa/sks-endpoints.js';
import type { IncarnationClock } from './incarnation-clock.js';

export const SYNC_PROBE_TIMEOUT_MS = 20_000;
/** networking header.ProbeKey / AutoscalingUserAgent; activator.Name is the expected body. */
export const ACTIVATOR_PROBE_HEADERS = Object.freeze({ 'K-Network-Probe': 'activator', 'User-Agent': 'Knative-Autoscaling-Probe' });
export const ACTIVATOR_PROBE_BODY = 'activator';

export interface ActivatorProberOptions {
  http: HttpNetwork;
  fromIp: string;
  /** The Services' Endpoints as kube-proxy routes to them (KubeProxyView). */
  endpoints: { get(key: string): KubeObject | undefined };
  choices: ChoiceSource;
  clock: IncarnationClock;
  /** The async probe of a PA ended (success or not): re-enqueue it after this delay. */
  enqueueAfter: (paKey: string, delayMs: number) => void;
  record: (kind: string, fields: Record<string, string | number | boolean>) => void;
}

interface ProbeTarget {
  namespace: string;
  service: string;
  protocol: ProtocolType;
}

function targetOf(pa: KubeObject): ProbeTarget {
  const protocol: ProtocolType = pa.spec?.protocolType === 'h2c' ? 'h2c' : 'http1';
  return { namespace: pa.metadata.namespace ?? '', service: (pa.status?.serviceName as string | undefined) ?? '', protocol };
}

/** paToProbeTarget: the URL (the async manager's key). */
function targetUrl(t: ProbeTarget): string {
  return `http://${t.service}.${t.namespace}.svc.cluster.local:${t.protocol === 'h2c' ? 81 : 80}/healthz`;
}

export class ActivatorProber {
  readonly #o: ActivatorProberOptions;
  readonly #polling = new Set<string>();

  constructor(options: ActivatorProberOptions) {
    this.#o = options;
  }

  /** The synchronous probe, as an effect a reconcile waits for: true iff the activator answered. */
  probe(pa: KubeObject): Effect<boolean> {
    const target = targetOf(pa);
    return {
      description: `activator probe ${targetUrl(target)}`,
      start: (sim, resume) => {
        // Answers never resume the process from inside start(): a refused probe answers next event.
        let answer: boolean | undefined;
        let inStart = true;
        const pending = target.service === '' ? undefined : this.#attempt(target, SYNC_PROBE_TIMEOUT_MS, (ok) => {
          if (inStart) answer = ok;
          else resume.ok(ok);
        });
        inStart = false;
        if (pending !== undefined) return () => pending.cancel();
        const timer = sim.schedule(0, () => resume.ok(answer ?? false), 'activator-probe');
        return () => sim.cancel(timer);
      },
    };
  }

  /** probeManager.Offer: starts polling the PA's target unless it is already being polled. */
  offer(pa: KubeObject, paKey: string): boolean {
    const target = targetOf(pa);
    const url = targetUrl(target);
    if (this.#polling.has(url)) return false;
    this.#polling.add(url);
    const clock = this.#o.clock;
    const deadlineMs = clock.nowMs + ASYNC_PROBE_TIMEOUT_MS;
    let pending: Pending | undefined;
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      clock.cancel(deadline);
      pending?.cancel();
      this.#polling.delete(url);
      this.#o.record('autoscaler/async-probe', { pa: paKey, target: url, ok });
      this.#o.enqueueAfter(paKey, ASYNC_PROBE_REQUEUE_MS);
    };
    const deadline = clock.schedule(ASYNC_PROBE_TIMEOUT_MS, () => finish(false), `async probe ${url}`);
    const poll = (): void => {
      const startedMs = clock.nowMs;
      pending = this.#attempt(target, Math.min(SYNC_PROBE_TIMEOUT_MS, deadlineMs - startedMs), (ok) => {
        pending = undefined;
        if (done) return;
        if (ok) finish(true);
        else clock.schedule(Math.max(0, startedMs + ASYNC_PROBE_PERIOD_MS - clock.nowMs), () => { if (!done) poll(); }, `async probe ${url}`);
      });
    };
    poll();
    return true;
  }

  /** One GET through the service: an address of its Endpoints, drawn as kube-proxy would. */
  #attempt(target: ProbeTarget, timeoutMs: number, done: (ok: boolean) => void): Pending | undefined {
    const eps = this.#o.endpoints.get(`${target.namespace}/${target.service}`);
    const ips: string[] = [];
    for (const s of (eps?.subsets ?? []) as EndpointSubset[]) for (const a of s.addresses ?? []) ips.push(a.ip);
    if (ips.length === 0) {
      done(false);
      return undefined;
    }
    const ip = ips.length === 1 ? ips[0] : ips[this.#o.choices.int(ips.length)];
    const request = { method: 'GET' as const, path: '/healthz', headers: { ...ACTIVATOR_PROBE_HEADERS } };
    return this.#o.http.send(ip, targetPortFor(target.protocol), request, { fromIp: this.#o.fromIp, timeoutMs }, (res) => {
      done(res.status === 200 && res.body === ACTIVATOR_PROBE_BODY);
    });
  }
}
