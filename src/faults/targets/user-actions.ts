// Faults that act as a person with kubectl would (delete pods, edit a ConfigMap, apply a release's
// manifests) write through a client named `user`, so their writes travel the network and show in
// the history as the user's. A session runs its steps one after another in a process outside any
// component — what a heal asks for waits until what the firing asked for has answered, as commands
// typed one after another would. A refused request is what kubectl would print: recorded in the
// trace (`fault-action`), and the steps after it still run, as kubectl applying a multi-document
// file goes on past a failed object.

import { isApiError } from '../../apiserver/api-error.js';
import type { SimClient } from '../../client/sim-client.js';
import { NetworkError } from '../../client/network-error.js';
import { Process, type Proc } from '../../sim/process.js';
import type { FaultWorld } from '../fault-world.js';

export const USER_CLIENT = 'user';

/** One kubectl command (a request, or a read and a write as `kubectl edit`); a refusal throws. */
export interface UserStep {
  what: string;
  run: (client: SimClient) => Proc<void>;
}

export class UserSession {
  readonly #world: FaultWorld;
  readonly #fault: string;
  readonly #queue: UserStep[] = [];
  #running = false;

  constructor(world: FaultWorld, fault: string) {
    this.#world = world;
    this.#fault = fault;
  }

  /** Queues `steps` behind whatever this session still has to do, and starts if idle. */
  run(steps: readonly UserStep[]): void {
    this.#queue.push(...steps);
    if (this.#running) return;
    this.#running = true;
    new Process(this.#world.cluster.sim, this.#drain(), {
      name: `fault/${this.#fault}`,
      onExit: (outcome) => {
        this.#running = false;
        if (!outcome.ok && 'error' in outcome) throw outcome.error;
      },
    }).start();
  }

  *#drain(): Proc<void> {
    const { sim } = this.#world.cluster;
    const client = this.#world.cluster.client(USER_CLIENT);
    for (let step = this.#queue.shift(); step !== undefined; step = this.#queue.shift()) {
      try {
        yield* step.run(client);
        sim.record('fault-action', { fault: this.#fault, step: step.what, ok: true });
      } catch (e) {
        if (!isApiError(e) && !(e instanceof NetworkError)) throw e;
        sim.record('fault-action', { fault: this.#fault, step: step.what, ok: false, error: e.message });
      }
    }
  }
}
