// A server on the simulated HttpNetwork with Go's http.Server lifecycle: it tracks the exchanges it
// is answering, so that
// - shutdown() (Server.Shutdown) stops accepting at once (new connections are refused) and reports
//   when the last in-flight exchange has been answered or abandoned;
// - reset() (the process died) stops accepting and answers every in-flight exchange with a
//   transport failure, 'connection reset', as the kernel does for a dead process's sockets.
// HttpNetwork itself keeps no connection state, so without this a server that dies would leave its
// clients waiting for ever.

import type { Exchange, HttpHandler, HttpNetwork, SettleListener } from '../../dataplane/http-network.js';
import { SweptList } from '../../sim/swept-list.js';

export interface HttpServerOptions {
  http: HttpNetwork;
  ip: string;
  port: number;
  handler: HttpHandler;
}

export class HttpServer implements SettleListener {
  readonly ip: string;
  readonly port: number;
  readonly #handler: HttpHandler;
  /**
   * The exchanges accepted, in order, of which `#open` are not settled yet. Settled ones are
   * dropped in a sweep when the list has doubled (no Set: a hash per request on the hot path).
   */
  readonly #accepted = new SweptList<Exchange>((e) => !e.settled);
  #open = 0;
  #unlisten: (() => void) | undefined;
  #onIdle: (() => void) | undefined;

  constructor(options: HttpServerOptions) {
    this.ip = options.ip;
    this.port = options.port;
    this.#handler = options.handler;
    this.#unlisten = options.http.listen(options.ip, options.port, (ex) => this.#accept(ex));
  }

  get listening(): boolean {
    return this.#unlisten !== undefined;
  }

  /** Exchanges accepted and not yet answered or abandoned. */
  get inFlight(): number {
    return this.#open;
  }

  /** Server.Shutdown: close the listener; `onIdle` runs once nothing is in flight (maybe at once). */
  shutdown(onIdle?: () => void): void {
    this.#close();
    this.#onIdle = onIdle;
    this.#checkIdle();
  }

  /** The process is gone: close the listener and reset every open exchange. */
  reset(): void {
    this.#close();
    this.#onIdle = undefined;
    const accepted = this.#accepted.takeAll();
    // Answering a settled exchange does nothing, so the list need not be swept first.
    for (const ex of accepted) if (!ex.settled) ex.respond({ status: 0, error: 'connection reset' });
  }

  #close(): void {
    this.#unlisten?.();
    this.#unlisten = undefined;
  }

  #accept(ex: Exchange): void {
    this.#accepted.push(ex);
    this.#open++;
    ex.onSettled(this);
    this.#handler(ex);
  }

  /** @internal An accepted exchange was answered or abandoned (called once per exchange). */
  settled(): void {
    this.#open--;
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.#onIdle === undefined || this.listening || this.#open > 0) return;
    const fn = this.#onIdle;
    this.#onIdle = undefined;
    fn();
  }
}
