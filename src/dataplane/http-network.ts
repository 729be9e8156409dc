// The data-plane network: simulated HTTP between processes that listen on pod IPs (queue-proxies,
// activators, the autoscaler's stat server) and their clients (the ingress, activators, the
// autoscaler's scraper and prober). A request travels with a per-hop latency drawn through the
// chooser; there is no listener → connection refused; a blocked address (a partition) → the request
// hangs until the client's timeout. Servers answer through `respond`, once; a late answer after the
// client gave up is dropped, as on a closed connection.

import type { ChoiceSource } from '../sim/chooser.js';
import type { Effect } from '../sim/process.js';
import type { Simulation, Timer } from '../sim/simulation.js';
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
  /** True once the exchange is over: answered, or abandoned by the client. */
  readonly settled: boolean;
  respond(res: HttpResponse): void;
  /** Called when the client gives up, so the server can stop work (Go's request context). */
  onAbandon(hook: (() => void) | AbandonListener): void;
  /**
   * Tells `listener` once that the exchange is over: answered or abandoned (at once if it already
   * is). One listener per exchange: the server that accepted it keeps its in-flight set with it.
   */
  onSettled(listener: SettleListener): void;
}

/** A server's per-request object told when the client gives up (instead of a closure). */
export interface AbandonListener {
  abandoned(): void;
}

export interface SettleListener {
  settled(exchange: Exchange): void;
}

export type HttpHandler = (exchange: Exchange) => void;

/** A client's per-request object that gets the one response (instead of a closure per send). */
export interface HttpCaller {
  answered(res: HttpResponse): void;
}

/** Who gets a send's response: a callback or a caller object. */
export type HttpCallback = ((res: HttpResponse) => void) | HttpCaller;

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

/**
 * One request in flight: the client's Pending and, once the request has reached a listener, the
 * server's Exchange (one object per send, so a hop allocates little: this is the data plane's
 * hottest path).
 */
class Flight implements Exchange, Pending {
  /** ABANDONED, ANSWERED, DONE and DELIVERED bits (one field instead of four per send). */
  #state = 0;
  #timeout: Timer | undefined;
  /** The answer on its way back to the client (set when its hop is scheduled). */
  #reply: HttpResponse | undefined;
  /** The first abandon hook (almost always the only one: the server's per-request object), then a list of them all. */
  #abandonHooks: (() => void) | AbandonListener | ((() => void) | AbandonListener)[] | undefined;
  #settleListener: SettleListener | undefined;

  constructor(
    readonly net: HttpNetwork,
    readonly ip: string,
    readonly port: number,
    readonly request: HttpRequest,
    readonly fromIp: string,
    readonly callback: HttpCallback,
  ) {}

  /** Client side: the request leaves (arms the client timeout, then the hop to the server). */
  start(timeoutMs: number): void {
    const net = this.net;
    if (timeoutMs > 0) this.#timeout = net.sim.schedule(timeoutMs, this, 'http-timeout');
    if (!net.cutOff(this.ip, this.fromIp)) net.sim.schedule(net.hopMs(), this, 'http-request');
  }

  /**
   * The flight's events run here (the flight schedules itself: no closure per event): the client
   * timeout, or a hop (request out, answer back; which one is told by `#reply`: the answer's hop is
   * scheduled only after the request's hop ran, so the two never overlap). The timeout is the
   * event that runs while `#timeout` is no longer pending: the kernel clears an event as it runs
   * it, and `#finish` forgets the timeout it cancels.
   */
  fire(): void {
    const timeout = this.#timeout;
    if (timeout !== undefined && !this.net.sim.isPending(timeout)) {
      this.#timeout = undefined;
      this.#giveUp('timeout');
      return;
    }
    const reply = this.#reply;
    if (reply === undefined) this.#arrive();
    else this.#finish(reply);
  }

  get abandoned(): boolean {
    return (this.#state & ABANDONED) !== 0;
  }

  cancel(): void {
    this.#giveUp('cancelled');
  }

  respond(res: HttpResponse): void {
    const state = this.#state;
    if ((state & ANSWERED) !== 0) return;
    this.#state = state | ANSWERED;
    if ((state & ABANDONED) === 0) {
      const net = this.net;
      // Unless cut off, in which case the answer is lost on the way back.
      if (!net.cutOff(this.ip, this.fromIp)) {
        this.#reply = res;
        net.sim.schedule(net.hopMs(), this, 'http-response');
      }
    }
    this.#settled();
  }

  onAbandon(hook: (() => void) | AbandonListener): void {
    const hooks = this.#abandonHooks;
    if ((this.#state & ABANDONED) !== 0) callAbandonHook(hook);
    else if (hooks === undefined) this.#abandonHooks = hook;
    else if (Array.isArray(hooks)) hooks.push(hook);
    else this.#abandonHooks = [hooks, hook];
  }

  get settled(): boolean {
    return (this.#state & (ABANDONED | ANSWERED)) !== 0;
  }

  onSettled(listener: SettleListener): void {
    if ((this.#state & (ABANDONED | ANSWERED)) !== 0) listener.settled(this);
    else this.#settleListener = listener;
  }

  #settled(): void {
    const listener = this.#settleListener;
    this.#settleListener = undefined;
    listener?.settled(this);
  }

  #arrive(): void {
    if ((this.#state & DONE) !== 0) return;
    const net = this.net;
    const handler = net.handlerAt(this.ip, this.port);
    if (handler === undefined) {
      this.#reply = { status: 0, error: 'connection refused' };
      net.sim.schedule(net.hopMs(), this, 'http-refused');
      return;
    }
    this.#state |= DELIVERED;
    handler(this);
  }

  #finish(res: HttpResponse): void {
    if ((this.#state & DONE) !== 0) return;
    this.#state |= DONE;
    const timeout = this.#timeout;
    if (timeout !== undefined) {
      this.#timeout = undefined;
      this.net.sim.cancel(timeout);
    }
    const callback = this.callback;
    if (typeof callback === 'function') callback(res);
    else callback.answered(res);
  }

  #giveUp(error: string): void {
    if ((this.#state & (DELIVERED | ABANDONED | ANSWERED)) === DELIVERED) {
      this.#state |= ABANDONED;
      this.#settled();
      const hooks = this.#abandonHooks;
      this.#abandonHooks = undefined;
      if (Array.isArray(hooks)) for (const hook of hooks) callAbandonHook(hook);
      else if (hooks !== undefined) callAbandonHook(hooks);
    }
    this.#finish({ status: 0, error });
  }
}

/** The client has given up (its timeout fired) or the caller cancelled, after the server got the request. */
const ABANDONED = 1;
/** The server answered. */
const ANSWERED = 2;
/** The client has its answer (or gave up): nothing more reaches it. */
const DONE = 4;
/** The request reached a listener: from here on the server holds the exchange. */
const DELIVERED = 8;

function callAbandonHook(hook: (() => void) | AbandonListener): void {
  if (typeof hook === 'function') hook();
  else hook.abandoned();
}

export class HttpNetwork {
  /** @internal */
  readonly sim: Simulation;
  readonly #latency: ChoiceSource;
  readonly #hop: { minMs: number; maxMs: number };
  /** Listeners by port, then IP. */
  readonly #listeners = new Map<number, Map<string, HttpHandler>>();
  readonly #blocked = new Set<string>();

  constructor(sim: Simulation, options: HttpNetworkOptions = {}) {
    this.sim = sim;
    this.#hop = options.hopLatency ?? { minMs: 0, maxMs: 1 };
    this.#latency = sim.choices('dataplane/latency');
  }

  /** Serves `handler` at ip:port until the returned function is called. */
  listen(ip: string, port: number, handler: HttpHandler): () => void {
    let byIp = this.#listeners.get(port);
    if (byIp === undefined) {
      byIp = new Map();
      this.#listeners.set(port, byIp);
    }
    byIp.set(ip, handler);
    return () => {
      if (byIp.get(ip) === handler) byIp.delete(ip);
    };
  }

  isListening(ip: string, port: number): boolean {
    return this.handlerAt(ip, port) !== undefined;
  }

  /** Cuts an address off (both directions) or heals it. */
  setBlocked(ip: string, blocked: boolean): void {
    if (blocked) this.#blocked.add(ip);
    else this.#blocked.delete(ip);
    this.sim.record(blocked ? 'dataplane-block' : 'dataplane-unblock', { ip });
  }

  /** Sends a request; `callback` gets exactly one response (possibly a transport failure). */
  send(ip: string, port: number, request: HttpRequest, options: SendOptions, callback: HttpCallback): Pending {
    const flight = new Flight(this, ip, port, request, options.fromIp, callback);
    flight.start(options.timeoutMs);
    return flight;
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

  /** @internal The handler listening at ip:port, if any. */
  handlerAt(ip: string, port: number): HttpHandler | undefined {
    return this.#listeners.get(port)?.get(ip);
  }

  /** @internal Whether traffic between the two addresses is cut (a partition). */
  cutOff(ip: string, fromIp: string): boolean {
    const blocked = this.#blocked;
    return blocked.size > 0 && (blocked.has(ip) || blocked.has(fromIp));
  }

  /** @internal One hop's latency, drawn through the chooser. */
  hopMs(): number {
    const hop = this.#hop;
    return hop.minMs === hop.maxMs ? hop.minMs : this.#latency.between(hop.minMs, hop.maxMs);
  }
}
