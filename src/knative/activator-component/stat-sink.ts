// Where the activator's concurrency reports go (knative/serving cmd/activator/main.go: a
// DurableSendingConnection to ws://autoscaler.knative-serving:8080, fed by
// pkg/activator/stat_reporter.go). The websocket is modelled as stat-message.ts says: one HTTP POST
// per batch to an autoscaler pod's stat server. The "connection" is an autoscaler address from the
// `autoscaler` Service's Endpoints, kept while it stays there and its sends go through (kube-proxy
// picks a backend once per connection; here the pick goes through the chooser); a failed send drops
// it, and the next batch reconnects. A batch sent while there is no autoscaler address is dropped,
// as upstream's Send fails on a closed connection (the reporter logs and moves on).
//
// Simplification: the activator's readiness (newHealthCheck: statSink.Status()) is "the autoscaler
// Service has a ready address"; the dial and its back-off are not modelled.

import type { HttpNetwork } from '../../dataplane/http-network.js';
import type { Informer } from '../../client/informer.js';
import type { ChoiceSource } from '../../sim/chooser.js';
import { statBatchRequest, STAT_SERVER, type StatMessage } from '../autoscaler-component/stat-message.js';
import { sortGoStrings } from '../hash/go-string-order.js';
import type { EndpointSubset } from '../kpa/endpoints-types.js';
import { KNATIVE_NAMESPACE } from '../serving-system.js';

/** The autoscaler's Service (and so its Endpoints) in knative-serving. */
export const AUTOSCALER_SERVICE = 'autoscaler';

export interface StatSinkOptions {
  http: HttpNetwork;
  selfIp: string;
  /** A cluster-wide (or knative-serving) Endpoints informer. */
  endpoints: Informer;
  choices: ChoiceSource;
}

export class StatSink {
  readonly #options: StatSinkOptions;
  #current: string | undefined;
  #sent = 0;
  #failed = 0;

  constructor(options: StatSinkOptions) {
    this.#options = options;
  }

  /** Batches handed to the network, and sends that failed. */
  get counts(): { sent: number; failed: number } {
    return { sent: this.#sent, failed: this.#failed };
  }

  /** Status(): nil when the autoscaler can be reached (see the simplification above). */
  healthy(): boolean {
    return this.#addresses().length > 0;
  }

  send(messages: readonly StatMessage[]): void {
    if (messages.length === 0) return;
    const ip = this.#connect();
    if (ip === undefined) return;
    this.#sent++;
    this.#options.http.send(ip, STAT_SERVER.port, statBatchRequest(messages), { fromIp: this.#options.selfIp, timeoutMs: 0 }, (res) => {
      if (res.status !== 0) return;
      this.#failed++;
      if (this.#current === ip) this.#current = undefined;
    });
  }

  #connect(): string | undefined {
    const addresses = this.#addresses();
    if (this.#current !== undefined && addresses.includes(this.#current)) return this.#current;
    this.#current = addresses.length > 0 ? this.#options.choices.pick(addresses) : undefined;
    return this.#current;
  }

  #addresses(): string[] {
    const eps = this.#options.endpoints.get(`${KNATIVE_NAMESPACE}/${AUTOSCALER_SERVICE}`);
    const ips = new Set<string>();
    for (const subset of (eps?.subsets ?? []) as EndpointSubset[]) for (const a of subset.addresses ?? []) ips.add(a.ip);
    return sortGoStrings(ips);
  }
}
