// A simulated cluster: one simulation, one API server, the network between them, and the components
// that run against it. Models (the kube controllers, the kubelet, Knative) are added as components;
// faults act on the network and on components; everything is driven by the simulation's clock.

import { ApiServer, type ApiServerOptions } from '../apiserver/api-server.js';
import { Simulation, type SimulationOptions } from '../sim/simulation.js';
import { Component, type ComponentContext } from './component.js';
import { Network, type NetworkOptions } from './network.js';
import { SimClient, type AppliedRequest, type ClientDeps } from './sim-client.js';

export interface SimClusterOptions extends SimulationOptions {
  network?: NetworkOptions;
  apiserver?: ApiServerOptions;
  /** Send watch bookmarks this often (0 disables). Default 60 s, about what the apiserver's cacher does. */
  bookmarkIntervalMs?: number;
}

export class SimCluster {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly network: Network;
  readonly #components = new Map<string, Component>();
  readonly #appliedListeners: ((req: AppliedRequest) => void)[] = [];
  readonly #clientDeps: ClientDeps;

  constructor(options: SimClusterOptions) {
    this.sim = new Simulation(options);
    this.api = new ApiServer({ nowMs: () => this.sim.nowMs, random: this.sim.prng.fork('apiserver') }, options.apiserver);
    this.network = new Network(this.sim, options.network);
    this.#clientDeps = {
      sim: this.sim,
      api: this.api,
      network: this.network,
      onApplied: (req) => {
        for (const fn of this.#appliedListeners) fn(req);
      },
    };
    const bookmarkMs = options.bookmarkIntervalMs ?? 60_000;
    if (bookmarkMs > 0) {
      const tick = (): void => {
        this.api.emitBookmarks();
        this.sim.schedule(bookmarkMs, tick, 'bookmarks');
      };
      this.sim.schedule(bookmarkMs, tick, 'bookmarks');
    }
  }

  /** Adds a component and starts it (unless `start: false`). Names are unique. */
  addComponent(options: { name: string; setup: (ctx: ComponentContext) => void; start?: boolean }): Component {
    if (this.#components.has(options.name)) throw new Error(`component ${options.name} already exists`);
    const component = new Component(this.#clientDeps, options);
    this.#components.set(options.name, component);
    if (options.start ?? true) component.start();
    return component;
  }

  component(name: string): Component {
    const c = this.#components.get(name);
    if (c === undefined) throw new Error(`no component named ${name}`);
    return c;
  }

  components(): Component[] {
    return [...this.#components.values()];
  }

  /** A client for an actor outside any component (a user, a test, the scenario runner). */
  client(name: string): SimClient {
    return new SimClient(this.#clientDeps, { component: name });
  }

  /** Called after every request the API server applies or refuses. */
  onApplied(fn: (req: AppliedRequest) => void): () => void {
    this.#appliedListeners.push(fn);
    return () => {
      const i = this.#appliedListeners.indexOf(fn);
      if (i >= 0) this.#appliedListeners.splice(i, 1);
    };
  }
}
