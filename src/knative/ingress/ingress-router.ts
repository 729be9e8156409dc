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
import type { HttpNetwork, HttpResponse, Pending } from '../../dataplane/http-network.js';
import type { RequestOutcome, SimRequest } from '../../dataplane/request.js';
import type { ChoiceSource } from '../../sim/chooser.js';
import type { Simulation } from '../../sim/simulation.js';
import type { EndpointSubset } from '../kpa/endpoints-types.js';
import { HEADER, headerOf } from '../runtime/network-headers.js';
import type { GatewayConfig, IngressSplit } from './gateway-config.js';
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

const NOTHING: Routing = { cancel: () => undefined };

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

  constructor(options: IngressRouterOptions) {
    this.#o = options;
    this.#splits = options.sim.choices('ingress/split');
    this.#lb = options.sim.choices('ingress/lb');
  }

  /** Routes `req`; `done` gets its outcome (once, unless cancelled: then never). */
  route(req: SimRequest, done: (outcome: RequestOutcome) => void): Routing {
    const finish = (fields: Pick<RequestOutcome, 'status'> & Partial<RequestOutcome>): void => done(outcomeOf(req, this.#o.sim.nowMs, fields));
    const match = this.#o.config.lookup(req.host, req.path);
    if (match === undefined) {
      finish({ status: 404, error: 'no route for host' });
      return NOTHING;
    }
    const splits = match.path.splits ?? [];
    const total = splits.reduce((n, s) => n + s.percent, 0);
    const split = total > 0 ? splitFor(splits, this.#splits.int(total)) : undefined;
    if (split === undefined) {
      finish({ status: 503, error: 'no healthy upstream' });
      return NOTHING;
    }
    const eps = this.#o.endpoints.get(this.#serviceKey(split));
    const addresses = this.#upstreams(eps, split.servicePort);
    if (addresses.length === 0) {
      finish({ status: 503, revision: split.serviceName, error: 'no healthy upstream' });
      return NOTHING;
    }
    const target = this.#lb.pick(addresses);
    const headers = {
      ...(match.path.appendHeaders ?? {}), ...(split.appendHeaders ?? {}),
      [HEADER.host]: req.host, [HEADER.revisionName]: split.serviceName, [HEADER.revisionNamespace]: split.serviceNamespace,
    };
    let cancelled = false;
    const pending: Pending = this.#o.http.send(target.ip, target.port, { method: 'GET', path: req.path, headers, carried: req }, { fromIp: this.#o.selfIp, timeoutMs: this.#o.upstreamTimeoutMs }, (res) => {
      if (!cancelled) finish(outcomeFields(res, split.serviceName));
    });
    return {
      cancel: () => {
        cancelled = true;
        pending.cancel();
      },
    };
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

function outcomeFields(res: HttpResponse, revision: string): Pick<RequestOutcome, 'status'> & Partial<RequestOutcome> {
  const fields: Pick<RequestOutcome, 'status'> & Partial<RequestOutcome> = { status: res.status, revision };
  const pod = headerOf(res, HEADER.servedByPod);
  const activator = headerOf(res, HEADER.viaActivator);
  if (pod !== undefined) fields.pod = pod;
  if (activator !== undefined) fields.activator = activator;
  if (res.status === 0) {
    fields.status = res.error === 'timeout' ? 504 : 502;
    fields.error = res.error === 'timeout' ? 'upstream request timeout' : `upstream connect error: ${res.error ?? 'transport failure'}`;
  } else if (res.status >= 400) {
    fields.error = typeof res.body === 'string' && res.body !== '' ? res.body : `HTTP ${res.status}`;
  }
  return fields;
}
