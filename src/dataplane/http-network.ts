// The data-plane network: simulated HTTP between processes that listen on pod IPs (queue-proxies,
// activators, the autoscaler's stat server) and their clients (the ingress, activators, the
// autoscaler's scraper and prober). A request travels with a per-hop latency drawn through the
// chooser; there is no listener → connection refused; a blocked address (a partition) → the request
// hangs until the client's timeout. Servers answer through `respond`, once; a late answer after the
// client gave up is dropped, as on a closed connection.

import type { ChoiceSource } from '../sim/chooser.js';
import type { Effect } from '../sim/process.js';
import type { Simulation } from '../sim/simulation.js';
import type { SimRequest } from './request.js';

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Readonly<Record<string, string>>;
  body?: unknown;
  /** The workload request this one carries (user traffic), if any. */
  carried?: SimRequest;
}

export interface HttpResponse {
  /** HTTP status; 0 for a transport failure (see `error`). */
  status: number;
  headers?: Readonly<Record<string, string>>;
  body?: unknown;
  /** Transport failure: 'connection refused', 'timeout', 'connection reset'. */
  error?: string;
}

/** Handle of one exchange, given to the server: it answers once, and can see whether the client left. */
export interface Exchange {
  readonly request: HttpRequest;
  readonly fromIp: string;
  /** True once the client has given up (its timeout fired) or the caller cancelled. */
  readonly abandoned: boolean;
  respond(res: HttpResponse): void;
  /** Called when the client gives up, so the server can stop work (Go's request context). */
  onAbandon(fn: () => void): void;
}

export type HttpHandler = (exchange: Exchange) => void;

export interface HttpNetworkOptions {
  /** One-way latency between pods. Default 0–1 ms. */
  hopLatency?: { minMs: number; maxMs: number };
}

export interface SendOptions {
  fromIp: string;
  /** Give up after this long (0: never). */
  timeoutMs: number;
}

/** A request in flight, client side: cancel it to stop waiting (the server sees it abandoned). */
export interface Pending {
  cancel(): void;
}

class ExchangeImpl implements Exchange {
  abandoned = false;
  answered = false;
  readonly #abandonHooks: (() => void)[] = [];
  constructor(
    readonly request: HttpRequest,
    readonly fromIp: string,
    readonly deliver: (res: HttpResponse) => void,
  ) {}
  respond(res: HttpResponse): void {
    if (this.answered) return;
    this.answered = true;
    if (!this.abandoned) this.deliver(res);
  }
  onAbandon(fn: () => void): void {
    if (this.abandoned) fn();
    else this.#abandonHooks.push(fn);
  }
  abandon(): void {
    if (this.abandoned || this.answered) return;
    this.abandoned = true;
    for (const fn of this.#abandonHooks.splice(0)) fn();
  }
}

export class HttpNetwork {
  readonly #sim: Simulation;
  readonly #latency: ChoiceSource;
  readonly #hop: { minMs: number; maxMs: number };
  readonly #listeners = new Map<string, HttpHandler>();
  readonly #blocked = new Set<string>();

  constructor(sim: Simulation, options: HttpNetworkOptions = {}) {
    this.#sim = sim;
    this.#hop = options.hopLatency ?? { minMs: 0, maxMs: 1 };
    this.#latency = sim.choices('dataplane/latency');
  }

  /** Serves `handler` at ip:port until the returned function is called. */
  listen(ip: string, port: number, handler: HttpHandler): () => void {
    const key = `${ip}:${port}`;
    this.#listeners.set(key, handler);
    return () => {
      if (this.#listeners.get(key) === handler) this.#listeners.delete(key);
    };
  }

  isListening(ip: string, port: number): boolean {
    return this.#listeners.has(`${ip}:${port}`);
  }

  /** Cuts an address off (both directions) or heals it. */
  setBlocked(ip: string, blocked: boolean): void {
    if (blocked) this.#blocked.add(ip);
    else this.#blocked.delete(ip);
    this.#sim.record(blocked ? 'dataplane-block' : 'dataplane-unblock', { ip });
  }

  /** Sends a request; `callback` gets exactly one response (possibly a transport failure). */
  send(ip: string, port: number, request: HttpRequest, options: SendOptions, callback: (res: HttpResponse) => void): Pending {
    const sim = this.#sim;
    let done = false;
    let timeout: ReturnType<Simulation['schedule']> | undefined;
    let exchange: ExchangeImpl | undefined;
    const finish = (res: HttpResponse): void => {
      if (done) return;
      done = true;
      sim.cancel(timeout);
      callback(res);
    };
    const giveUp = (error: string): void => {
      exchange?.abandon();
      finish({ status: 0, error });
    };
    if (options.timeoutMs > 0) timeout = sim.schedule(options.timeoutMs, () => giveUp('timeout'), 'http-timeout');
    const blocked = this.#blocked.has(ip) || this.#blocked.has(options.fromIp);
    if (!blocked) {
      sim.schedule(this.#hopMs(), () => {
        if (done) return;
        const handler = this.#listeners.get(`${ip}:${port}`);
        if (handler === undefined) {
          sim.schedule(this.#hopMs(), () => finish({ status: 0, error: 'connection refused' }), 'http-refused');
          return;
        }
        exchange = new ExchangeImpl(request, options.fromIp, (res) => {
          if (this.#blocked.has(ip) || this.#blocked.has(options.fromIp)) return; // lost on the way back
          sim.schedule(this.#hopMs(), () => finish(res), 'http-response');
        });
        handler(exchange);
      }, 'http-request');
    }
    return { cancel: () => giveUp('cancelled') };
  }

  /** The same as an effect, for generator processes: `const res = yield* perform(net.request(...))`. */
  request(ip: string, port: number, request: HttpRequest, options: SendOptions): Effect<HttpResponse> {
    return {
      description: `${request.method} ${ip}:${port}${request.path}`,
      start: (_sim, resume) => {
        const pending = this.send(ip, port, request, options, (res) => resume.ok(res));
        return () => pending.cancel();
      },
    };
  }

  #hopMs(): number {
    const { minMs, maxMs } = this.#hop;
    return minMs === maxMs ? minMs : this.#latency.between(minMs, maxMs);
  }
}
