// A component: a named process (a pod of a Deployment, a control-plane binary) holding informers,
// controllers and other simulated processes. Faults act on it as a whole (DESIGN.md layer 3):
// - crash: every process dies where it stands (possibly between two writes of one reconcile), watches
//   close, all in-memory state (caches, queues, leadership) is lost; restart builds it afresh from
//   its setup function, and its informers list again;
// - partition: its requests time out and its watch streams break (the Network does this);
// - stale view: its informers hold back the last N watch events.

import type { Registry } from '../apiserver/registry.js';
import type { ResourceId } from '../apiserver/types.js';
import { Process, type Proc } from '../sim/process.js';
import type { Simulation, Timer } from '../sim/simulation.js';
import { TimerSet } from '../sim/timer-set.js';
import { Controller, type ControllerOptions } from './controller.js';
import { Informer, type InformerOptions } from './informer.js';
import { LeaderElector, type LeaderElectionOptions } from './leader-elector.js';
import type { ClientDeps } from './sim-client.js';
import { SimClient } from './sim-client.js';

export type ComponentState = 'stopped' | 'running' | 'crashed';

/** What a component's setup function builds with. Everything made here dies with the incarnation. */
export class ComponentContext {
  readonly sim: Simulation;
  readonly client: SimClient;
  readonly component: Component;
  /** The kinds the API server serves (what discovery would tell a real component). */
  readonly registry: Registry;
  readonly #processes = new Set<Process<any>>();
  readonly #timers: TimerSet;
  readonly #informers = new Map<string, Informer>();
  readonly #controllers: Controller[] = [];
  readonly #electors: LeaderElector[] = [];
  readonly #stopHooks: (() => void)[] = [];
  #lag = 0;
  #dead = false;

  constructor(component: Component, clientDeps: ClientDeps) {
    this.component = component;
    this.sim = clientDeps.sim;
    this.#timers = new TimerSet(clientDeps.sim);
    this.registry = clientDeps.api.registry;
    this.client = new SimClient(clientDeps, { component: component.name });
  }

  /** A process owned by this incarnation; an uncaught error in it aborts the run. */
  spawn<R>(name: string, body: Proc<R>): Process<R> {
    const proc = new Process<R>(this.sim, body, {
      name: `${this.component.name}/${name}`,
      onExit: (outcome) => {
        this.#processes.delete(proc);
        if (!outcome.ok && 'error' in outcome) throw outcome.error;
      },
    });
    this.#processes.add(proc);
    return proc.start();
  }

  /** A timer owned by this incarnation (cancelled by a crash). */
  schedule(delayMs: number, run: () => void, label = ''): Timer {
    return this.#timers.schedule(delayMs, run, label);
  }

  /** Cancels a timer of this incarnation (a no-op for one that already ran or was cancelled). */
  cancel(timer: Timer | undefined): void {
    this.#timers.cancel(timer);
  }

  /**
   * The shared informer for a resource (and namespace and selectors): created and started on first
   * use, like a SharedInformerFactory.
   */
  informer(resource: ResourceId, options: Omit<InformerOptions, 'resource'> = {}): Informer {
    const key = `${resource.group}/${resource.resource}|${options.namespace ?? ''}|${options.labelSelector ?? ''}|${options.fieldSelector ?? ''}`;
    let informer = this.#informers.get(key);
    if (informer === undefined) {
      informer = new Informer({ sim: this.sim, client: this.client, name: `${this.component.name}/${resource.resource}` }, { ...options, resource });
      informer.setLag(this.#lag);
      this.#informers.set(key, informer);
      this.spawn(`informer/${resource.resource}`, informer.run());
      if ((options.resyncPeriodMs ?? 0) > 0) this.spawn(`resync/${resource.resource}`, informer.resync());
    }
    return informer;
  }

  /** True once every informer made so far has listed. */
  informersSynced(): boolean {
    for (const inf of this.#informers.values()) if (!inf.hasSynced) return false;
    return true;
  }

  /** A controller whose workers wait for the informers to sync, then run. */
  controller(options: ControllerOptions): Controller {
    const ctl = new Controller(
      { sim: this.sim, spawn: (name, body) => void this.spawn(name, body) },
      { hasSynced: () => this.informersSynced(), ...options },
    );
    this.#controllers.push(ctl);
    ctl.start();
    return ctl;
  }

  /**
   * A leader elector campaigning from this incarnation. Its identity gets the incarnation number, as
   * real components add a per-process UUID: a restarted process is a new candidate, and must wait
   * for its previous incarnation's lease to expire like anyone else. With `stableIdentity` the
   * identity is used as given, for components whose identity survives a restart of their process
   * (Knative's autoscaler uses POD_NAME_POD_IP, so a restarted container renews its own lease).
   */
  leaderElector(options: LeaderElectionOptions & { stableIdentity?: boolean }): LeaderElector {
    const { stableIdentity, ...electorOptions } = options;
    const identity = stableIdentity ? electorOptions.identity : `${electorOptions.identity}_${this.component.incarnation}`;
    const elector = new LeaderElector({ sim: this.sim, client: this.client }, { ...electorOptions, identity });
    this.#electors.push(elector);
    this.spawn(`leader-election/${options.name}`, elector.run());
    return elector;
  }

  /** The leader electors of this incarnation (the kill-leader fault looks for the one leading). */
  leaderElectors(): readonly LeaderElector[] {
    return this.#electors;
  }

  /** Runs `fn` when this incarnation ends (crash or stop). */
  onStop(fn: () => void): void {
    this.#stopHooks.push(fn);
  }

  /** @internal */
  setLag(lag: number): void {
    this.#lag = lag;
    for (const inf of this.#informers.values()) inf.setLag(lag);
  }

  /** @internal Ends this incarnation: everything it made stops at once. */
  kill(): void {
    if (this.#dead) return;
    this.#dead = true;
    for (const inf of this.#informers.values()) inf.stop();
    for (const ctl of this.#controllers) ctl.queue.shutDown();
    for (const elector of this.#electors) elector.abandon();
    for (const proc of [...this.#processes]) proc.kill();
    this.#timers.cancelAll();
    for (const fn of this.#stopHooks) fn();
  }
}

export interface ComponentOptions {
  name: string;
  /** Builds the incarnation's informers, controllers and processes. Called at every (re)start. */
  setup: (ctx: ComponentContext) => void;
}

export class Component {
  readonly name: string;
  readonly #setup: (ctx: ComponentContext) => void;
  readonly #clientDeps: ClientDeps;
  #ctx: ComponentContext | undefined;
  #state: ComponentState = 'stopped';
  #incarnation = 0;
  #lag = 0;
  #restartTimer: Timer | undefined;

  constructor(clientDeps: ClientDeps, options: ComponentOptions) {
    this.#clientDeps = clientDeps;
    this.name = options.name;
    this.#setup = options.setup;
  }

  get state(): ComponentState {
    return this.#state;
  }

  /** How many times it has started (1 after the first start). */
  get incarnation(): number {
    return this.#incarnation;
  }

  /** The running incarnation's context, if running. */
  get context(): ComponentContext | undefined {
    return this.#ctx;
  }

  start(): void {
    if (this.#state === 'running') return;
    const { sim } = this.#clientDeps;
    sim.cancel(this.#restartTimer);
    this.#incarnation++;
    this.#state = 'running';
    sim.record('component', { name: this.name, event: 'start', incarnation: this.#incarnation });
    const ctx = new ComponentContext(this, this.#clientDeps);
    ctx.setLag(this.#lag);
    this.#ctx = ctx;
    this.#setup(ctx);
  }

  /** Kills the incarnation; with `restartAfterMs` it starts again after that delay. */
  crash(options: { restartAfterMs?: number } = {}): void {
    const { sim } = this.#clientDeps;
    if (this.#state === 'running') {
      this.#state = 'crashed';
      sim.record('component', { name: this.name, event: 'crash', incarnation: this.#incarnation });
      const ctx = this.#ctx!;
      this.#ctx = undefined;
      ctx.kill();
    }
    if (options.restartAfterMs !== undefined) {
      sim.cancel(this.#restartTimer);
      this.#restartTimer = sim.schedule(options.restartAfterMs, () => this.start(), `restart ${this.name}`);
    }
  }

  /** Graceful stop: like a crash, but recorded as a stop and never restarted. */
  stop(): void {
    const { sim } = this.#clientDeps;
    sim.cancel(this.#restartTimer);
    if (this.#state !== 'running') return;
    this.#state = 'stopped';
    sim.record('component', { name: this.name, event: 'stop', incarnation: this.#incarnation });
    const ctx = this.#ctx!;
    this.#ctx = undefined;
    ctx.kill();
  }

  /** Stale view: its informers trail the server by `lag` watch events (0 heals). Survives restarts. */
  setStaleView(lag: number): void {
    this.#lag = lag;
    this.#clientDeps.sim.record('stale-view', { component: this.name, lag });
    this.#ctx?.setLag(lag);
  }
}
