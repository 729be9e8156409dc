// The autoscaler's one shared leader elector (knative/serving cmd/autoscaler/leaderelection.go
// setupSharedElector, main.go componentConfigAndIP; knative.dev/pkg leaderelection/context.go
// standardBuilder): one Lease per bucket, named by pkg/autoscaler/bucket AutoscalerBucketName
// (`autoscaler-bucket-00-of-01` with the default single bucket), held under the identity
// `<POD_NAME>_<POD_IP>` (bucket.Identity) — stable across container restarts, so a restarted
// autoscaler renews its own lease at once. Winning the lease promotes both reconcilers (KPA and
// Metric) and makes this pod the owner of the bucket's stats; losing it demotes them. The
// durations are knative.dev/pkg leaderelection defaultConfig's (config-leader-election unset).
// Only one bucket is modelled (config-leader-election `buckets: 1`, the default).

import type { ComponentContext } from '../../client/component.js';
import type { LeaderElector } from '../../client/leader-elector.js';
import type { PodIdentity } from '../serving-system.js';

/** knative.dev/pkg leaderelection/config.go defaultConfig. */
export const LEADER_ELECTION_DEFAULTS = Object.freeze({ leaseDurationMs: 60_000, renewDeadlineMs: 40_000, retryPeriodMs: 10_000 });

/** bucket.AutoscalerBucketName(ordinal, total). */
export function autoscalerBucketName(ordinal: number, total: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `autoscaler-bucket-${pad(ordinal)}-of-${pad(total)}`;
}

/** bucket.Identity: POD_NAME + "_" + POD_IP. */
export function bucketIdentity(pod: Pick<PodIdentity, 'name' | 'ip'>): string {
  return `${pod.name}_${pod.ip}`;
}

/** bucket.ExtractPodNameAndIP: split at the first underscore; undefined when there is none. */
export function podIpOfIdentity(identity: string): string | undefined {
  const at = identity.indexOf('_');
  return at < 0 ? undefined : identity.slice(at + 1);
}

export interface BucketElectorOptions {
  namespace: string;
  pod: Pick<PodIdentity, 'name' | 'ip'>;
  onPromote: () => void;
  onDemote: () => void;
  /** The leader renews without a GET first (client-go v0.30+: profile switch pr-15462). */
  optimisticRenew?: boolean;
}

export interface BucketElector {
  readonly bucket: string;
  readonly identity: string;
  readonly elector: LeaderElector;
  /** Whether this incarnation currently leads the bucket (reconcilers act only then). */
  isLeader(): boolean;
}

export function startBucketElector(ctx: ComponentContext, options: BucketElectorOptions): BucketElector {
  const bucket = autoscalerBucketName(0, 1);
  const identity = bucketIdentity(options.pod);
  const elector = ctx.leaderElector({
    name: bucket,
    namespace: options.namespace,
    identity,
    stableIdentity: true,
    ...LEADER_ELECTION_DEFAULTS,
    optimisticRenew: options.optimisticRenew ?? false,
    onStartedLeading: options.onPromote,
    onStoppedLeading: options.onDemote,
  });
  return { bucket, identity, elector, isLeader: () => elector.isLeader };
}
