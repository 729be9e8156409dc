// A gateway's request routing (envoy as net-kourier configures it): the request's host and path
// select a KIngress path; its splits are drawn by percent through the chooser; the split's
// revision public Service `<rev>` gives the Endpoints (from the gateway's informer); one ready
// address is picked at random (envoy's random load balancing, through the chooser); the request
// goes to address:port (the Endpoints' port named after the service port: `http`, or `http2` for
// 81; 8012 if there is none) with the split's headers (Knative-Serving-Revision and
// -Namespace). Outcomes: the upstream's status; 404 for an unknown host; 503 "no healthy upstream"
// for empty Endpoints; 502 when the connection is refused or reset; 504 when the upstream timeout
// (if any) fires first. Envoy itself would answer 503 to a refused connection; 502 keeps the
// failure apart from "no healthy upstream".

import type { KubeObject } from '../../apiserver/types.js';
import type { Informer } from '../../client/informer.js';
import type { HttpCaller, HttpNetwork, HttpRequest, HttpResponse, Pending, SendOptions } from '../../dataplane/http-network.js';
import type { RequestOutcome, SimRequest } from '../../dataplane/request.js';
import type { ChoiceSource } from '../../sim/chooser.js';
import type { Simulation } from '../../sim/simulation.js';
import type { EndpointSubset } from '../kpa/endpoints-types.js';
import { HEADER } from '../runtime/network-headers.js';
import type { GatewayConfig, IngressPath, IngressSplit } from './gateway-config.js';
import { outcomeOf } from './request-ledger.js';

export interface IngressRouterOptions {
  sim: Simulation;
  http: HttpNetwork;
  selfIp: string;
  config: GatewayConfig;
  endpoints: Informer;
  /** Upstream request timeout; 0: none. */
  upstreamTimeoutMs: number;
}

export interface Routing {
  cancel(): void;
}

/** An object that gets a routed request's outcome (the gateway's per-request one: no closure). */
export interface RouteListener {
  routed(outcome: RequestOutcome): void;
}

/** Who gets a routed request's outcome: a callback or a listener. */
export type RouteDone = ((outcome: RequestOutcome) => void) | RouteListener;

function deliver(done: RouteDone, outcome: RequestOutcome): void {
  if (typeof done === 'function') done(outcome);
  else done.routed(outcome);
}

const NOTHING: Routing = { cancel: () => undefined };

/**
 * A request sent upstream, which is also the request on the wire and the caller its answer goes to
 * (one object per routed request): cancelling it drops the answer and cancels the send.
 */
class UpstreamCall implements Routing, HttpRequest, HttpCaller {
  readonly method = 'GET';
  cancelled = false;
  pending: Pending | undefined;

  constructor(
    readonly sim: Simulation,
    readonly carried: SimRequest,
    readonly path: string,
    readonly headers: Readonly<Record<string, string>>,
    /** The split's revision (its public Service's name). */
    readonly revision: string,
    readonly done: RouteDone,
  ) {}

  cancel(): void {
    this.cancelled = true;
    this.pending?.cancel();
  }

  answered(res: HttpResponse): void {
    if (!this.cancelled) deliver(this.done, upstreamOutcome(this.carried, this.sim.nowMs, res, this.revision));
  }
}

/** The split whose cumulative percent range holds `draw` (in [0, total)). */
export function splitFor(splits: readonly IngressSplit[], draw: number): IngressSplit | undefined {
  let upTo = 0;
  for (const s of splits) {
    upTo += s.percent;
    if (draw < upTo) return s;
  }
  return undefined;
}

/** Ready addresses of an Endpoints for a service port (80 → `http`, 81 → `http2`). */
export function upstreamAddresses(subsets: readonly EndpointSubset[] | undefined, servicePort: number): { ip: string; port: number }[] {
  const portName = servicePort === 81 ? 'http2' : 'http';
  const out: { ip: string; port: number }[] = [];
  for (const subset of subsets ?? []) {
    const ports = subset.ports ?? [];
    const port = ports.find((p) => p.name === portName)?.port ?? ports[0]?.port ?? 8012;
    for (const a of subset.addresses ?? []) out.push({ ip: a.ip, port });
  }
  return out;
}

export class IngressRouter {
  readonly #o: IngressRouterOptions;
  readonly #splits: ChoiceSource;
  readonly #lb: ChoiceSource;
  /** upstreamAddresses per informer object (frozen, replaced on every change) and service port. */
  readonly #addresses = new WeakMap<KubeObject, { servicePort: number; addresses: { ip: string; port: number }[] }>();

  readonly #serviceKeys = new WeakMap<IngressSplit, string>();
  /** The request headers last built per split (splits are replaced when their KIngress is loaded again). */
  readonly #splitHeaders = new WeakMap<IngressSplit, { path: IngressPath; host: string; headers: Readonly<Record<string, string>> }>();
  readonly #sendOptions: SendOptions;

  constructor(options: IngressRouterOptions) {
    this.#o = options;
    this.#sendOptions = { fromIp: options.selfIp, timeoutMs: options.upstreamTimeoutMs };
    this.#splits = options.sim.choices('ingress/split');
    this.#lb = options.sim.choices('ingress/lb');
  }

  /** Routes `req`; `done` gets its outcome (once, unless cancelled: then never). */
  route(req: SimRequest, done: RouteDone): Routing {
    const sim = this.#o.sim;
    const match = this.#o.config.lookup(req.host, req.path);
    if (match === undefined) {
      deliver(done, outcomeOf(req, sim.nowMs, { status: 404, error: 'no route for host' }));
      return NOTHING;
    }
    const splits = match.path.splits ?? [];
    let total = 0;
    let only: IngressSplit | undefined;
    let weighted = 0;
    for (const s of splits) {
      total += s.percent;
      if (s.percent > 0) {
        only = s;
        weighted++;
      }
    }
    // One split with traffic takes every request: no draw (a decision whose every value leads to the
    // same split would only widen the space that exploration and shrinking search).
    const split = weighted === 1 ? only : total > 0 ? splitFor(splits, this.#splits.int(total)) : undefined;
    if (split === undefined) {
      deliver(done, outcomeOf(req, sim.nowMs, { status: 503, error: 'no healthy upstream' }));
      return NOTHING;
    }
    const eps = this.#o.endpoints.get(this.#serviceKey(split));
    const addresses = this.#upstreams(eps, split.servicePort);
    if (addresses.length === 0) {
      deliver(done, outcomeOf(req, sim.nowMs, { status: 503, revision: split.serviceName, error: 'no healthy upstream' }));
      return NOTHING;
    }
    const target = this.#lb.pick(addresses);
    const headers = this.#headers(match.path, split, req.host);
    const call = new UpstreamCall(sim, req, req.path, headers, split.serviceName, done);
    call.pending = this.#o.http.send(target.ip, target.port, call, this.#sendOptions, call);
    return call;
  }

  /**
   * The headers of a request sent for `split` (the path's and the split's appendHeaders, Host and
   * the revision headers): one shared read-only object per split while the host stays the same.
   */
  #headers(path: IngressPath, split: IngressSplit, host: string): Readonly<Record<string, string>> {
    const cached = this.#splitHeaders.get(split);
    if (cached !== undefined && cached.path === path && cached.host === host) return cached.headers;
    const headers = Object.freeze({
      ...(path.appendHeaders ?? {}), ...(split.appendHeaders ?? {}),
      [HEADER.host]: host, [HEADER.revisionName]: split.serviceName, [HEADER.revisionNamespace]: split.serviceNamespace,
    });
    this.#splitHeaders.set(split, { path, host, headers });
    return headers;
  }

  /** The split's Service key; the splits of a loaded KIngress stay the same objects until it changes. */
  #serviceKey(split: IngressSplit): string {
    let key = this.#serviceKeys.get(split);
    if (key === undefined) {
      key = `${split.serviceNamespace}/${split.serviceName}`;
      this.#serviceKeys.set(split, key);
    }
    return key;
  }

  #upstreams(eps: KubeObject | undefined, servicePort: number): { ip: string; port: number }[] {
    if (eps === undefined) return [];
    const cached = this.#addresses.get(eps);
    if (cached !== undefined && cached.servicePort === servicePort) return cached.addresses;
    const addresses = upstreamAddresses(eps.subsets as EndpointSubset[] | undefined, servicePort);
    this.#addresses.set(eps, { servicePort, addresses });
    return addresses;
  }
}

/**
 * The outcome of a request the upstream answered (`res`, status 0 for a transport failure): built
 * in one object, with the fields in outcomeOf's order.
 */
function upstreamOutcome(req: SimRequest, nowMs: number, res: HttpResponse, revision: string): RequestOutcome {
  const transportError = res.status === 0 ? (res.error ?? 'transport failure') : undefined;
  const status = transportError === undefined ? res.status : res.error === 'timeout' ? 504 : 502;
  // Read here rather than through headerOf (see there): this site's own inline caches.
  const headers = res.headers;
  const pod = headers?.[HEADER.servedByPod];
  const activator = headers?.[HEADER.viaActivator];
  // The common answer (a pod served it through an activator) in one literal, so that its fields
  // are in the object itself (fields added to a literal later go to a separate property store).
  const outcome: RequestOutcome = pod !== undefined && activator !== undefined
    ? { id: req.id, host: req.host, arrivalMs: req.arrivalMs, doneMs: nowMs, latencyMs: nowMs - req.arrivalMs, status, phase: req.phase, revision, pod, activator }
    : { id: req.id, host: req.host, arrivalMs: req.arrivalMs, doneMs: nowMs, latencyMs: nowMs - req.arrivalMs, status, phase: req.phase, revision };
  if (activator === undefined) {
    if (pod !== undefined) outcome.pod = pod;
  } else if (pod === undefined) outcome.activator = activator;
  if (transportError !== undefined) {
    outcome.error = res.error === 'timeout' ? 'upstream request timeout' : `upstream connect error: ${transportError}`;
  } else if (res.status >= 400) {
    outcome.error = typeof res.body === 'string' && res.body !== '' ? res.body : `HTTP ${res.status}`;
  }
  return outcome;
}
