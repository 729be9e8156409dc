// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package
// (k8s.io/client-go/tools/leaderelection/leaderelection.go, resourcelock/leaselock.go):
// - a candidate tries to acquire every retryPeriod (jittered by up to 1.2×): it takes the lease when
//   there is none, or when the holder's record has not changed for leaseDuration by the candidate's
//   own observation (observedTime, never the holder's clock);
// - the leader renews every retryPeriod; when it has not renewed for renewDeadline it stops leading;
// - a write that loses the race gets 409 Conflict and counts as a failed attempt;
// - with `optimisticRenew` (client-go v0.30+, kubernetes#122069 "Optimistically update leader
//   lock"), a leader whose observed record is still valid renews with one UPDATE of the lease it
//   last read or wrote (no GET first); when that fails it falls back to the GET-then-UPDATE path.
// After losing, the elector campaigns again (knative.dev/pkg leaderelection does; kube components
// exit and restart instead, which a crash fault models).

import { isApiError, isNotFound } from '../apiserver/api-error.js';
import { NetworkError } from './network-error.js';
import type { KubeObject, ResourceId } from '../apiserver/types.js';
import { deepEqual } from '../apiserver/deep-copy.js';
import type { ChoiceSource } from '../sim/chooser.js';
import { perform, Process, sleep, type Effect, type Proc } from '../sim/process.js';
import type { Simulation } from '../sim/simulation.js';
import { formatSimTime } from '../sim/time-format.js';
import type { SimClient } from './sim-client.js';

export const LEASES: ResourceId = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };

export interface LeaderElectionOptions {
  /** Lease name and namespace. */
  name: string;
  namespace: string;
  /** This candidate's identity (holderIdentity). */
  identity: string;
  /** client-go defaults as used by kube-controller-manager: 15 s, 10 s, 2 s. */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  onStartedLeading?: () => void;
  onStoppedLeading?: () => void;
  /** client-go v0.30+ (kubernetes#122069): the leader renews without a GET first. Default false. */
  optimisticRenew?: boolean;
}

export interface LeaderElectorDeps {
  sim: Simulation;
  client: SimClient;
}

const JITTER_FACTOR = 1.2;
const WITH_MILLIS = Object.freeze({ withMillis: true });

export class LeaderElector {
  readonly #sim: Simulation;
  readonly #client: SimClient;
  readonly #o: Required<Omit<LeaderElectionOptions, 'onStartedLeading' | 'onStoppedLeading'>> & Pick<LeaderElectionOptions, 'onStartedLeading' | 'onStoppedLeading'>;
  /** The lease as last read or written (resourcelock/leaselock.go keeps it for Update). */
  #lease: KubeObject | undefined;
  readonly #jitter: ChoiceSource;
  #leading = false;
  #observedSpec: unknown = undefined;
  #observedAtMs = 0;

  constructor(deps: LeaderElectorDeps, options: LeaderElectionOptions) {
    this.#sim = deps.sim;
    this.#client = deps.client;
    this.#o = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, optimisticRenew: false, ...options };
    this.#jitter = deps.sim.choices('leader-election/jitter');
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  get identity(): string {
    return this.#o.identity;
  }

  /** The process holding this elector died (a crash): it leads nothing any more. */
  abandon(): void {
    this.#leading = false;
  }

  /** Campaign, lead, lose, campaign again: run as a process of the owning component. */
  *run(): Proc<void> {
    const o = this.#o;
    while (true) {
      while (!(yield* this.#tryAcquireOrRenew())) {
        yield* sleep(o.retryPeriodMs + this.#jitter.between(0, Math.floor(o.retryPeriodMs * (JITTER_FACTOR - 1))));
      }
      this.#leading = true;
      this.#sim.record('leader', { lease: o.name, identity: o.identity, event: 'started' });
      o.onStartedLeading?.();
      let renewedAtMs = this.#sim.nowMs;
      while (this.#sim.nowMs - renewedAtMs < o.renewDeadlineMs) {
        yield* sleep(o.retryPeriodMs);
        // A renewal may not outlive the deadline: client-go's renew polls under a context that
        // expires after RenewDeadline and passes it to the request (leaderelection.go renew,
        // PollUntilContextTimeout), so a hung request cannot keep a cut-off leader leading.
        const leftMs = renewedAtMs + o.renewDeadlineMs - this.#sim.nowMs;
        if (leftMs <= 0) break;
        const renewed = yield* perform(withDeadline(this.#sim, this.#tryAcquireOrRenew(), leftMs, `renew ${o.name}`));
        if (renewed === true) renewedAtMs = this.#sim.nowMs;
      }
      this.#leading = false;
      this.#sim.record('leader', { lease: o.name, identity: o.identity, event: 'stopped' });
      o.onStoppedLeading?.();
    }
  }

  *#tryAcquireOrRenew(): Proc<boolean> {
    const o = this.#o;
    const now = this.#sim.nowMs;
    // RFC 3339 with microseconds, as metav1.MicroTime marshals: the milliseconds text, three more zeros.
    const millisText = formatSimTime(now, WITH_MILLIS);
    const nowText = `${millisText.slice(0, -1)}000Z`;
    if (o.optimisticRenew && (yield* this.#tryOptimisticRenew(now, nowText))) return true;
    let lease: KubeObject;
    try {
      lease = yield* this.#client.get(LEASES, o.name, { namespace: o.namespace });
      this.#lease = lease;
    } catch (e) {
      if (!isApiError(e) && !(e instanceof NetworkError)) throw e;
      if (!isNotFound(e)) return false;
      return yield* this.#write('create', {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
        metadata: { name: o.name, namespace: o.namespace },
        spec: { holderIdentity: o.identity, leaseDurationSeconds: Math.ceil(o.leaseDurationMs / 1000), acquireTime: nowText, renewTime: nowText, leaseTransitions: 0 },
      });
    }
    const spec = lease.spec ?? {};
    if (!deepEqual(spec, this.#observedSpec)) {
      this.#observedSpec = spec;
      this.#observedAtMs = now;
    }
    const heldByOther = spec.holderIdentity && spec.holderIdentity !== o.identity;
    if (heldByOther && this.#observedAtMs + o.leaseDurationMs > now) return false;
    const wasMine = spec.holderIdentity === o.identity;
    return yield* this.#write('update', {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: o.identity,
        leaseDurationSeconds: Math.ceil(o.leaseDurationMs / 1000),
        acquireTime: wasMine ? spec.acquireTime : nowText,
        renewTime: nowText,
        leaseTransitions: wasMine ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
      },
    });
  }

  /**
   * leaderelection.go tryAcquireOrRenew step 1, the fast path: IsLeader (the observed record is ours)
   * and isLeaseValid (observed less than its leaseDurationSeconds ago), then an UPDATE of the last
   * known lease keeping its acquireTime and leaseTransitions. False (any failure) means the slow path.
   */
  *#tryOptimisticRenew(now: number, nowText: string): Proc<boolean> {
    const observed = this.#observedSpec as Record<string, any> | undefined;
    const lease = this.#lease;
    if (lease === undefined || observed?.holderIdentity !== this.#o.identity) return false;
    if (this.#observedAtMs + (observed.leaseDurationSeconds ?? 0) * 1000 <= now) return false;
    return yield* this.#write('update', {
      ...lease,
      spec: {
        holderIdentity: this.#o.identity,
        leaseDurationSeconds: Math.ceil(this.#o.leaseDurationMs / 1000),
        acquireTime: observed.acquireTime,
        renewTime: nowText,
        leaseTransitions: observed.leaseTransitions ?? 0,
      },
    });
  }

  *#write(verb: 'create' | 'update', lease: KubeObject): Proc<boolean> {
    try {
      const written = verb === 'create' ? yield* this.#client.create(LEASES, lease) : yield* this.#client.update(LEASES, lease);
      this.#lease = written;
      this.#observedSpec = written.spec;
      this.#observedAtMs = this.#sim.nowMs;
      return true;
    } catch (e) {
      if (isApiError(e) || e instanceof NetworkError) return false;
      throw e;
    }
  }
}

/**
 * Runs `body` as a child process until it returns or `timeoutMs` passes, like a call under a Go
 * context deadline: resolves to its value, or to undefined when the deadline cut it off (the child
 * is dropped where it stands; a request already on the wire still reaches the server).
 */
function withDeadline<T>(sim: Simulation, body: Proc<T>, timeoutMs: number, name: string): Effect<T | undefined> {
  return {
    description: `${name} (deadline ${timeoutMs} ms)`,
    start: (_sim, resume) => {
      const child = new Process<T>(sim, body, {
        name,
        onExit: (outcome) => {
          sim.cancel(timer);
          if (outcome.ok) resume.ok(outcome.value);
          else if ('error' in outcome) resume.fail(outcome.error);
        },
      });
      const timer = sim.schedule(timeoutMs, () => {
        child.kill();
        resume.ok(undefined);
      }, 'deadline');
      child.start();
      return () => child.kill();
    },
  };
}
