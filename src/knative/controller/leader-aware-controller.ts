// A knative.dev/pkg controller with leader election (controller/controller.go RunContext,
// leaderelection/context.go standardBuilder, reconciler/leader.go LeaderAwareFuncs): each
// reconciler has its own work queue and its own Lease, named `<component>.<queue>.<i>-of-<n>`
// with the queue named after the reconciler's Go type (one bucket: `...reconciler.00-of-01`). The
// elector starts once the informers have synced (sharedmain starts the controllers after the
// caches). Every replica keeps its informers warm and its handlers enqueue, but only the leader
// reconciles: a follower's workers skip the keys they take (controller.NewSkipKey). On promotion
// the leader enqueues every object of its primary informer (the generated PromoteFunc); a
// demotion just stops the reconciling.

import type { ComponentContext } from '../../client/component.js';
import type { Controller, Reconcile } from '../../client/controller.js';
import type { LeaderElector } from '../../client/leader-elector.js';
import { sleep, type Proc } from '../../sim/process.js';
import { KNATIVE_NAMESPACE } from '../serving-system.js';

/** knative.dev/pkg leaderelection defaultConfig: lease 60s, renew deadline 40s, retry 10s. */
export const KNATIVE_LEASE_DURATION_MS = 60_000;
export const KNATIVE_RENEW_DEADLINE_MS = 40_000;
export const KNATIVE_RETRY_PERIOD_MS = 10_000;
/** controller.DefaultThreadsPerController. */
export const KNATIVE_WORKERS = 2;
const SYNC_POLL_MS = 100;

/**
 * standardBucketName for one bucket: `<component>.knative.dev.serving.pkg.reconciler.<pkg>.reconciler.00-of-01`
 * (the work queue is named after the reconciler type's package path and name, lower-cased).
 */
export function knativeLeaseName(component: string, reconcilerPackage: string): string {
  return `${component}.knative.dev.serving.pkg.reconciler.${reconcilerPackage}.reconciler.00-of-01`.toLowerCase();
}

export interface LeaderAwareControllerOptions {
  /** Work queue name, for traces. */
  name: string;
  leaseName: string;
  /** The candidate identity (the pod name; the component adds its incarnation). */
  identity: string;
  /** The leader renews without a GET first (client-go v0.30+: profile switch pr-15462). */
  optimisticRenew?: boolean;
  reconcile: Reconcile;
  /** Every key of the primary informer, in a defined order (promotion and global resync). */
  keys: () => string[];
  workers?: number;
}

export class LeaderAwareController {
  readonly controller: Controller;
  readonly #keys: () => string[];
  #elector: LeaderElector | undefined;

  constructor(ctx: ComponentContext, options: LeaderAwareControllerOptions) {
    this.#keys = options.keys;
    this.controller = ctx.controller({
      name: options.name,
      reconcile: options.reconcile,
      workers: options.workers ?? KNATIVE_WORKERS,
      shouldReconcile: () => this.isLeader,
    });
    ctx.spawn(`elect/${options.name}`, this.#elect(ctx, options));
  }

  get isLeader(): boolean {
    return this.#elector?.isLeader ?? false;
  }

  enqueue(key: string): void {
    this.controller.enqueue(key);
  }

  enqueueAfter(key: string, delayMs: number): void {
    this.controller.enqueueAfter(key, delayMs);
  }

  /** impl.GlobalResync: every object of the primary informer goes through the queue again. */
  globalResync(): void {
    for (const key of this.#keys()) this.controller.enqueue(key);
  }

  *#elect(ctx: ComponentContext, options: LeaderAwareControllerOptions): Proc<void> {
    while (!ctx.informersSynced()) yield* sleep(SYNC_POLL_MS);
    this.#elector = ctx.leaderElector({
      name: options.leaseName,
      namespace: KNATIVE_NAMESPACE,
      identity: options.identity,
      leaseDurationMs: KNATIVE_LEASE_DURATION_MS,
      renewDeadlineMs: KNATIVE_RENEW_DEADLINE_MS,
      retryPeriodMs: KNATIVE_RETRY_PERIOD_MS,
      optimisticRenew: options.optimisticRenew ?? false,
      onStartedLeading: () => this.globalResync(),
    });
  }
}
