// The workload's way in: what a cloud load balancer in front of the gateway does. It picks a ready
// gateway pod from the `ingress-gateway` Endpoints (read from the API server at once, as a load
// balancer's health checks would know them; the pick goes through the chooser), sends the request
// to it on port 80 from the external client address, with the client's own timeout, and completes
// with the gateway's outcome. Without a ready gateway the request completes with 503; a refused or
// reset connection to the gateway is a 502; a client that gives up first sees status 0. The
// outcome is recorded once (request-ledger.ts).

import { isApiError } from '../../apiserver/api-error.js';
import type { KubeObject } from '../../apiserver/types.js';
import type { HttpCaller, HttpRequest, HttpResponse, SendOptions } from '../../dataplane/http-network.js';
import type { RequestOutcome, SimRequest } from '../../dataplane/request.js';
import { ENDPOINTS } from '../../kube/resources.js';
import type { ChoiceSource } from '../../sim/chooser.js';
import { sortGoStrings } from '../hash/go-string-order.js';
import type { EndpointSubset } from '../kpa/endpoints-types.js';
import { HEADER } from '../runtime/network-headers.js';
import type { ServingSystem } from '../serving-system.js';
import { EXTERNAL_CLIENT_IP, GATEWAY_HTTP_PORT, GATEWAY_SERVICE } from './gateway-constants.js';
import { outcomeOf, recordOnce, type LedgerBody, type RequestLedger } from './request-ledger.js';

/** The ready gateway IPs, Go-sorted, of an `ingress-gateway` Endpoints. */
function readyAddresses(eps: KubeObject): string[] {
  const ips = new Set<string>();
  for (const subset of (eps.subsets ?? []) as EndpointSubset[]) for (const a of subset.addresses ?? []) ips.add(a.ip);
  return sortGoStrings(ips);
}

function isOutcome(body: unknown): body is RequestOutcome {
  return typeof body === 'object' && body !== null && typeof (body as RequestOutcome).status === 'number' && typeof (body as RequestOutcome).id === 'number';
}

function clientOutcome(system: ServingSystem, req: SimRequest, res: HttpResponse): RequestOutcome {
  const now = system.cluster.sim.nowMs;
  if (res.status > 0) return isOutcome(res.body) ? res.body : outcomeOf(req, now, { status: res.status });
  if (res.error === 'timeout') return outcomeOf(req, now, { status: 0, error: 'client timeout' });
  return outcomeOf(req, now, { status: 502, error: `ingress ${res.error ?? 'transport failure'}` });
}

function complete(system: ServingSystem, ledger: RequestLedger, done: (outcome: RequestOutcome) => void, outcome: RequestOutcome): void {
  recordOnce(ledger, system.onRequestDone, outcome);
  done(outcome);
}

/**
 * One request from the client to a gateway, in one object: the request on the wire, its body (which
 * carries the ledger: the call is its own ledger), and the caller the answer comes back to.
 */
class ClientCall implements HttpRequest, LedgerBody, RequestLedger, HttpCaller {
  readonly method = 'GET';
  readonly path: string;
  recorded = false;

  constructor(
    readonly system: ServingSystem,
    readonly carried: SimRequest,
    readonly headers: Readonly<Record<string, string>>,
    readonly done: (outcome: RequestOutcome) => void,
  ) {
    this.path = carried.path;
  }

  get body(): LedgerBody {
    return this;
  }

  get ledger(): RequestLedger {
    return this;
  }

  answered(res: HttpResponse): void {
    complete(this.system, this, this.done, clientOutcome(this.system, this.carried, res));
  }
}

/**
 * The load balancer of one serving system. It reads the gateway Endpoints from the API server for
 * every request; as every commit advances the server's global resourceVersion, a read at the same
 * resourceVersion as the last one answers the same, so it is not repeated. The
 * addresses derived from a stored (frozen, never edited) Endpoints object are kept until the server
 * holds another one.
 */
export class IngressClient {
  readonly #system: ServingSystem;
  readonly #lb: ChoiceSource;
  #endpoints: KubeObject | undefined;
  #addresses: string[] = [];
  /** The server's resourceVersion at the last read; the answer stands while it does. */
  #readAtRv = -1;
  #headers: { host: string; headers: Readonly<Record<string, string>> } | undefined;
  #options: Readonly<SendOptions> | undefined;

  constructor(system: ServingSystem) {
    this.#system = system;
    this.#lb = system.cluster.sim.choices('ingress/gateway-lb');
  }

  send(req: SimRequest, done: (outcome: RequestOutcome) => void): void {
    const system = this.#system;
    const ips = this.#gatewayAddresses();
    if (ips.length === 0) {
      return complete(system, { recorded: false }, done, outcomeOf(req, system.cluster.sim.nowMs, { status: 503, error: 'no ingress gateway' }));
    }
    const ip = this.#lb.pick(ips);
    const call = new ClientCall(system, req, this.#hostHeaders(req.host), done);
    system.http.send(ip, GATEWAY_HTTP_PORT, call, this.#sendOptions(req.clientTimeoutMs), call);
  }

  /** The request headers for a host: one shared frozen object while the host stays the same. */
  #hostHeaders(host: string): Readonly<Record<string, string>> {
    if (this.#headers === undefined || this.#headers.host !== host) this.#headers = { host, headers: Object.freeze({ [HEADER.host]: host }) };
    return this.#headers.headers;
  }

  #sendOptions(timeoutMs: number): SendOptions {
    if (this.#options === undefined || this.#options.timeoutMs !== timeoutMs) this.#options = Object.freeze({ fromIp: EXTERNAL_CLIENT_IP, timeoutMs });
    return this.#options;
  }

  #gatewayAddresses(): string[] {
    const api = this.#system.cluster.api;
    const rv = api.resourceVersion;
    if (rv === this.#readAtRv) return this.#addresses;
    this.#readAtRv = rv;
    let eps: KubeObject;
    try {
      eps = api.get(ENDPOINTS, GATEWAY_SERVICE.name, { namespace: GATEWAY_SERVICE.namespace });
    } catch (e) {
      if (!isApiError(e)) throw e;
      this.#endpoints = undefined;
      this.#addresses = [];
      return this.#addresses;
    }
    if (eps !== this.#endpoints) {
      this.#endpoints = eps;
      this.#addresses = readyAddresses(eps);
    }
    return this.#addresses;
  }
}

/** One request through a fresh IngressClient (installServing keeps one per system). */
export function sendThroughIngress(system: ServingSystem, req: SimRequest, done: (outcome: RequestOutcome) => void): void {
  new IngressClient(system).send(req, done);
}
