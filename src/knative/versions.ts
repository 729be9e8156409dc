// Knative release profiles. A profile is a Knative Serving release; the models carry one behaviour
// switch per upstream fix that the bug catalog needs, named after the fix PR, and a profile turns on
// exactly the fixes its release contains. Releases are named either way Knative names them: `1.11`
// (Knative) or `0.38` (the serving module's own version before 1.0; serving v0.N = Knative 1.(N−27),
// per research/knative-bugs.md). `latest` names the newest profile.

export interface UpstreamFix {
  /** Switch name: `pr-<number>` of the fixing pull request in knative/serving. */
  id: string;
  /** Serving minor version (the N of v0.N) of the first release containing the fix. */
  fixedInServingMinor: number;
  /** What it changed, in a line, and the upstream code it touched. */
  summary: string;
  files: string[];
}

/** Serving minors with a profile: the pre-1.0 releases the catalog needs, then every 1.x. */
const PRE_1_0 = [7, 8, 9, 13, 14, 16, 17, 18, 19, 22, 23, 24, 26];
const LATEST_KNATIVE_MINOR = 20;

export const SERVING_MINORS: readonly number[] = [...PRE_1_0, ...Array.from({ length: LATEST_KNATIVE_MINOR + 1 }, (_, m) => m + 27)];

export class UnknownReleaseError extends Error {
  override readonly name = 'UnknownReleaseError';
}

export interface Release {
  /** The serving module's minor version (v0.N); a development snapshot sorts half-way before its release. */
  servingMinor: number;
  /** How a person names it: `1.11`, or `0.16` before 1.0, or `0.17-dev`. */
  name: string;
  /** A development snapshot's fixes beyond the previous release (the PRs merged by then). */
  extraFixes?: readonly string[];
}

/**
 * Development snapshots: a state of serving's main branch that no tagged release shipped, for bugs
 * that were introduced and fixed within one release cycle (knative publishes nightly builds of main).
 * `0.17-dev` is main between knative/serving#8403 (initial scale, 2020-07-10) and #8883 (its fix,
 * 2020-08-04): v0.16 plus initial-scale support, without the fix. `0.18-dev` is main between
 * knative/serving#9232 (24d63ef5d5, 2020-08-31) and #9258 (c4fefc8763, 2020-09-01): v0.17 plus the
 * 0.18 fixes merged by then that the models switch on (#9110, 2020-08-19, and #9232), without #9258.
 */
export const DEV_SNAPSHOTS: readonly Release[] = [
  { name: '0.17-dev', servingMinor: 16.5, extraFixes: ['pr-8403', 'pr-8569'] },
  { name: '0.18-dev', servingMinor: 17.5, extraFixes: ['pr-9110', 'pr-9232'] },
];

export function releaseName(servingMinor: number): string {
  return servingMinor >= 27 ? `1.${servingMinor - 27}` : `0.${servingMinor}`;
}

/** Parses `1.11`, `v1.11`, `0.16`, `v0.38` (serving numbering) or `latest`; throws UnknownReleaseError. */
export function parseRelease(text: string): Release {
  const t = text.trim().replace(/^v/, '');
  const snapshot = DEV_SNAPSHOTS.find((d) => d.name === t);
  if (snapshot !== undefined) return snapshot;
  if (t === 'latest') {
    const newest = SERVING_MINORS[SERVING_MINORS.length - 1];
    return { servingMinor: newest, name: releaseName(newest) };
  }
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(t);
  if (!m) throw new UnknownReleaseError(`not a Knative release: ${JSON.stringify(text)} (expected e.g. 1.11, 0.16 or latest)`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const servingMinor = major === 1 ? minor + 27 : major === 0 ? minor : NaN;
  if (!SERVING_MINORS.includes(servingMinor)) {
    throw new UnknownReleaseError(`no profile for Knative release ${JSON.stringify(text)}; known: ${SERVING_MINORS.map(releaseName).join(', ')}, latest (and the development snapshots ${DEV_SNAPSHOTS.map((d) => d.name).join(', ')})`);
  }
  return { servingMinor, name: releaseName(servingMinor) };
}

/** The newest tagged release profile older than `release` (itself when none is older): the supported
 * upgrade path into a release is from the one before it. */
export function previousRelease(release: Release): Release {
  const older = SERVING_MINORS.filter((m) => m < release.servingMinor);
  return older.length === 0 ? release : parseRelease(releaseName(older[older.length - 1]));
}

/** Every profile, oldest first. */
export function allReleases(): Release[] {
  return SERVING_MINORS.map((servingMinor) => ({ servingMinor, name: releaseName(servingMinor) }));
}

/**
 * The fixes the models know, by switch name. Each model that has a switch reads it through
 * `KnativeProfile.has(id)`; the catalogued bugs add theirs here with the code that changed.
 */
export const UPSTREAM_FIXES: readonly UpstreamFix[] = [
  {
    id: 'pr-8403',
    fixedInServingMinor: 17,
    summary: 'feature, not a fix: the KPA honours initial scale (scale bounds until reached, activity and ScaleTargetInitialized); before it (v0.16) only the revision Deployment started at the initial scale (#8355) and the KPA ignored it',
    files: ['pkg/reconciler/autoscaling/kpa/scaler.go', 'pkg/reconciler/autoscaling/kpa/kpa.go'],
  },
  {
    id: 'pr-8883',
    fixedInServingMinor: 17,
    summary: 'KPA scaler: initial scale > 1 raises min only until ScaleTargetInitialized (#8878: never scaled down below initial scale)',
    files: ['pkg/reconciler/autoscaling/kpa/scaler.go'],
  },
  {
    id: 'pr-5328',
    fixedInServingMinor: 9,
    summary: 'KPA: want -1 (no decider data, e.g. after an autoscaler restart) on an Inactive PA keeps the SKS in Proxy (#5327: SKS went to Serve)',
    files: ['pkg/reconciler/autoscaling/kpa/kpa.go'],
  },
  {
    id: 'pr-6227',
    fixedInServingMinor: 12,
    summary: 'multiscaler: a new decider starts with EBC from its initial capacity (TBC -1 or 0 as is), not 0',
    files: ['pkg/autoscaler/multiscaler.go'],
  },
  {
    id: 'pr-4795',
    fixedInServingMinor: 8,
    summary: 'autoscaler: a new decider starts in panic holding the ready pod count when > 1 (a restart no longer scales down under load)',
    files: ['pkg/autoscaler/autoscaler.go'],
  },
  {
    id: 'pr-13585',
    fixedInServingMinor: 36,
    summary: 'autoscaler: one shared leader elector for the KPA and Metric controllers (#13447: two electors renewed the same bucket Lease)',
    files: ['cmd/autoscaler/main.go', 'cmd/autoscaler/leaderelection.go'],
  },
  {
    id: 'pr-12842',
    fixedInServingMinor: 32,
    summary: 'KPA: SKS mode defaults to Proxy (initial SKS too); Serve only for want > 0 and EBC >= 0 (#12887: activator removed from the path prematurely)',
    files: ['pkg/reconciler/autoscaling/kpa/kpa.go'],
  },
  {
    id: 'pr-4884', fixedInServingMinor: 9,
    summary: 'feature: the revision sets PA reachability and the KPA ignores min-scale for an Unreachable PA (before v0.9 min-scale always held)',
    files: ['pkg/reconciler/revision/resources/pa.go', 'pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go'],
  },
  {
    id: 'pr-4669',
    fixedInServingMinor: 8,
    summary: 'feature: target burst capacity; a negative excess burst capacity keeps the activator in the path of a revision with pods (before it, only a revision at zero had the activator in front)',
    files: ['pkg/apis/autoscaling/register.go', 'pkg/reconciler/autoscaling/kpa/kpa.go'],
  },
  {
    id: 'pr-9682',
    fixedInServingMinor: 19,
    summary: 'feature: leader election for the autoscaler (bucket Lease, stat forwarding to the bucket owner); before it the autoscaler ran its controllers unopposed, one replica only',
    files: ['cmd/autoscaler/main.go'],
  },
  {
    id: 'pr-8569',
    fixedInServingMinor: 17,
    summary: 'feature: the KPA marks the sticky PA condition ScaleTargetInitialized once the ready pods reach the active threshold (before it, no PA ever had it)',
    files: ['pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go', 'pkg/reconciler/autoscaling/kpa/kpa.go'],
  },
  {
    id: 'pr-8809',
    fixedInServingMinor: 17,
    summary: 'feature: the PA\'s SKSReady condition (Unknown "NotReady" while the SKS is not ready) and its part in PA readiness (1642dd12db); before it (v0.16) the PA\'s living condition set was {Active} alone',
    files: ['pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go', 'pkg/reconciler/autoscaling/kpa/kpa.go'],
  },
  {
    id: 'pr-8838',
    fixedInServingMinor: 17,
    summary: 'the KPA counts the ready pods even while the SKS is not ready, which SKSReady now keeps from making the PA Ready (06fa35ffc7); before it a not-ready SKS counted as zero ready pods, so the PA went Activating',
    files: ['pkg/reconciler/autoscaling/kpa/kpa.go'],
  },
  {
    id: 'pr-8187',
    fixedInServingMinor: 16,
    summary: 'the KPA\'s SKS readiness also needs the SKS status to have observed its generation (ServerlessService.IsReady, 84ec474dc4); before it (v0.14) only the Ready condition counted',
    files: ['pkg/reconciler/autoscaling/kpa/kpa.go', 'pkg/apis/networking/v1alpha1/serverlessservice_lifecycle.go'],
  },
  {
    id: 'pr-8933',
    fixedInServingMinor: 17,
    summary: 'a Revision whose PA turns Ready=False without ever reaching initial scale fails ResourcesAvailable, ProgressDeadlineExceeded "Initial scale was never achieved" (#8922: stuck Unknown after scaling to zero)',
    files: ['pkg/apis/serving/v1/revision_lifecycle.go'],
  },
  {
    id: 'pr-9110',
    fixedInServingMinor: 18,
    summary: 'KPA: a PA already Inactive with reason NoTraffic counts as ScaleTargetInitialized (#9105: revisions scaled to zero under 0.16 failed after upgrading to 0.17); backported to 0.17.1, removed again by #10534 in 0.21',
    files: ['pkg/reconciler/autoscaling/kpa/kpa.go'],
  },
  {
    id: 'pr-10534',
    fixedInServingMinor: 21,
    summary: 'removal: the KPA drops the pr-9110 upgrade shim (NoTraffic no longer counts as ScaleTargetInitialized)',
    files: ['pkg/reconciler/autoscaling/kpa/kpa.go'],
  },
  {
    id: 'pr-9232',
    fixedInServingMinor: 18,
    summary: 'KPA: ScaleTargetInitialized only once the PA has its service name (#8971: with initial scale 0 the ksvc went Ready too soon)',
    files: ['pkg/reconciler/autoscaling/kpa/kpa.go'],
  },
  {
    id: 'pr-9258',
    fixedInServingMinor: 18,
    summary: 'Revision: "Initial scale was never achieved" only once the PA has its service name (#9245: after #9232, ResourcesAvailable failed too early and never recovered)',
    files: ['pkg/apis/serving/v1/revision_lifecycle.go'],
  },
  {
    id: 'pr-4614',
    fixedInServingMinor: 8,
    summary: 'feature: the KPA gives up an activation that exceeds the progress deadline + buffer and scales the revision to zero (before it, an activating PA stayed up for ever)',
    files: ['pkg/reconciler/autoscaling/kpa/scaler.go', 'pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go'],
  },
  // BUGS-K4: the activator, its throttler and probes, the queue-proxy's probe handling, the KPA's activator count.
  {
    id: 'pr-12033', fixedInServingMinor: 28,
    summary: 'feature: queue-proxy serves through knative/pkg\'s Drainer, which runs the health handler only for kubelet probes and the listed user agents (before it, any request with K-Network-Probe went to the health handler), and /wait-for-drain starts the drain itself (before: it only waited for the SIGTERM shutdown)',
    files: ['cmd/queue/main.go'],
  },
  {
    id: 'pr-13501', fixedInServingMinor: 36,
    summary: 'queue-proxy\'s Drainer also treats the autoscaler\'s User-Agent as a health check, so the KPA\'s activator probe no longer reaches the user container (#13487: TBC 0 never scaled to zero)',
    files: ['pkg/queue/sharedmain/main.go'],
  },
  {
    id: 'pr-9540', fixedInServingMinor: 18,
    summary: 'feature: the activator runs a round of pod probes in an errgroup.WithContext group, so the first failed probe cancels the others in flight',
    files: ['pkg/activator/net/revision_backends.go'],
  },
  {
    id: 'pr-14303', fixedInServingMinor: 39,
    summary: 'activator: pod probes run in a plain errgroup, one failed probe no longer cancels the others (#14200: new pods not routed to during a scale-up)',
    files: ['pkg/activator/net/revision_backends.go'],
  },
  {
    id: 'pr-14347', fixedInServingMinor: 39,
    summary: 'activator: a probe round is a no-op only when the healthy set is unchanged, not whenever no probe succeeded (#13531: gone pods kept as healthy)',
    files: ['pkg/activator/net/revision_backends.go'],
  },
  {
    id: 'pr-11375', fixedInServingMinor: 24,
    summary: 'KPA computes the activators of a revision from its ready pods (default 2); before, it used the decider\'s count, 0 = all activators until the decider\'s first valid tick (#11373)',
    files: ['pkg/reconciler/autoscaling/kpa/kpa.go', 'pkg/autoscaler/scaling/autoscaler.go', 'pkg/autoscaler/scaling/multiscaler.go'],
  },
  // BUGS-B: revision reachability, the labeler, revision readiness and the revision Deployment.
  {
    id: 'pr-5532', fixedInServingMinor: 9,
    summary: 'a Revision that failed (Ready=False) and is not routed gets an Unreachable PA, so min-scale no longer holds a crash-looping revision up (#5529)',
    files: ['pkg/reconciler/revision/resources/pa.go'],
  },
  {
    id: 'pr-7110', fixedInServingMinor: 14,
    summary: 'the labeler also labels the LatestCreatedRevision of a Configuration a latestRevision target follows (#6733)',
    files: ['pkg/reconciler/labeler/labels.go'],
  },
  {
    id: 'pr-7214', fixedInServingMinor: 14,
    summary: 'the labeler walks spec.traffic as well as status.traffic, so a brand-new Route labels its first revision (#6935)',
    files: ['pkg/reconciler/labeler/labels.go'],
  },
  {
    id: 'pr-8577', fixedInServingMinor: 17,
    summary: 'the Revision becomes ResourcesAvailable/ContainerHealthy from the sticky ScaleTargetInitialized, not only from a PA seen Ready (#8539)',
    files: ['pkg/apis/serving/v1/revision_lifecycle.go'],
  },
  {
    id: 'pr-9354', fixedInServingMinor: 18,
    summary: 'image digests are resolved by a background resolver; before, reconcileDigest waited for the registry on the revision reconciler\'s worker (a burst of new Revisions delayed every Revision key)',
    files: ['pkg/reconciler/revision/revision.go', 'pkg/reconciler/revision/background.go'],
  },
  {
    id: 'pr-8914', fixedInServingMinor: 17,
    summary: 'a new Revision inherits its Configuration\'s routes annotation and is born in routing state active',
    files: ['pkg/reconciler/configuration/resources/revision.go'],
  },
  {
    id: 'pr-11140', fixedInServingMinor: 23,
    summary: 'revision Deployments roll with maxUnavailable 0 instead of the default 25% (#11092)',
    files: ['pkg/reconciler/revision/resources/deploy.go'],
  },
  {
    id: 'pr-14309', fixedInServingMinor: 39,
    summary: 'PA reachability comes from the routing state and infrastructure failures only, no longer from the Active condition (#14115)',
    files: ['pkg/reconciler/revision/resources/pa.go'],
  },
  {
    id: 'pr-14795', fixedInServingMinor: 41,
    summary: 'Unreachable only when the Deployment wants pods and has none ready; Deployment status always propagated; PA Ready no longer marks the revision healthy; ResourcesAvailable stays Deploying without a PA Ready condition or while the PA has no service name (#14660)',
    files: ['pkg/reconciler/revision/resources/pa.go', 'pkg/reconciler/revision/reconcile_resources.go', 'pkg/apis/serving/v1/revision_lifecycle.go'],
  },
  {
    id: 'pr-10638', fixedInServingMinor: 21,
    summary: 'the Route sends a target\'s traffic to the Service named after the Revision; before, to the Revision\'s status.serviceName, which the revision reconciler copies from its PodAutoscaler',
    files: ['pkg/reconciler/route/traffic/traffic.go', 'pkg/apis/serving/v1/revision_lifecycle.go'],
  },
  {
    id: 'pr-14744', fixedInServingMinor: 41,
    summary: 'a failed ContainerHealthy, like a failed ResourcesAvailable, keeps the PA status from marking the Revision available or failing its initial scale',
    files: ['pkg/apis/serving/v1/revision_lifecycle.go'],
  },
  {
    id: 'pr-15503', fixedInServingMinor: 44,
    summary: 'a Deployment with a ready replica marks the Revision ContainerHealthy (#15503; with a Deployment-derived ResourcesAvailable this let a Revision turn Ready below min-scale, #15889)',
    files: ['pkg/reconciler/revision/reconcile_resources.go'],
  },
  {
    id: 'pr-16094', fixedInServingMinor: 47,
    summary: 'ResourcesAvailable stays Unknown until the PA\'s ScaleTargetInitialized, so a Revision is not Ready below min-scale (#15889)',
    files: ['pkg/apis/serving/v1/revision_lifecycle.go'],
  },
  {
    id: 'pr-15462', fixedInServingMinor: 43,
    summary: 'dependency upgrade to k8s.io/client-go v0.30.3, whose leader election renews a still-valid lease with one UPDATE and no GET first (kubernetes#122069); 1.15 had v0.29.2',
    files: ['go.mod', 'vendor/k8s.io/client-go/tools/leaderelection/leaderelection.go'],
  },
  // BUGS-K5: the kubelet-facing data plane (queue-proxy drain and preStop, activator probing).
  {
    id: 'pr-6695', fixedInServingMinor: 13,
    summary: 'feature: the activator also probes the not-ready addresses of a revision\'s private Endpoints and routes to those whose queue-proxy answers (before: ready addresses only)',
    files: ['pkg/activator/net/revision_backends.go', 'pkg/activator/net/helpers.go'],
  },
  {
    id: 'pr-12250', fixedInServingMinor: 28,
    summary: 'activator: with an exec readiness probe a queue-proxy probe success counts only for pods Kubernetes reports ready (#11693: requests reached pods before their exec probe passed)',
    files: ['pkg/activator/net/revision_backends.go'],
  },
  {
    id: 'pr-13229', fixedInServingMinor: 34,
    summary: 'queue-proxy: /wait-for-drain not followed by SIGTERM within 1 s resets the drainer (#12571: a user-container restart left the pod draining and never Ready)',
    files: ['pkg/queue/sharedmain/main.go'],
  },
  {
    id: 'pr-12815', fixedInServingMinor: 31,
    summary: 'feature: internal TLS between activator and queue-proxy: revision pods mount serving-certs into queue-proxy, which then serves its main and admin ports over TLS',
    files: ['cmd/queue/main.go', 'pkg/reconciler/revision/resources/deploy.go'],
  },
  {
    id: 'pr-14472', fixedInServingMinor: 39,
    summary: 'feature: config-network system-internal-tls makes revision pods mount serving-certs into queue-proxy (before: older settings, internal-encryption and queue-proxy certificate secrets, not modelled)',
    files: ['pkg/reconciler/revision/resources/deploy.go'],
  },
  {
    id: 'pr-16163', fixedInServingMinor: 47,
    summary: 'queue-proxy: the admin server (8022, /wait-for-drain) stays plain HTTP with system-internal-tls (#16162: the kubelet\'s HTTP preStop hook failed at once)',
    files: ['pkg/queue/sharedmain/main.go'],
  },
];

/** The behaviour of one release: which upstream fixes are in. */
export class KnativeProfile {
  readonly release: Release;
  readonly #fixes: ReadonlyMap<string, UpstreamFix>;
  /** Per fix id, whether this release contains it (the release and the fixes never change). */
  readonly #contained: ReadonlyMap<string, boolean>;

  constructor(release: Release | string, fixes: readonly UpstreamFix[] = UPSTREAM_FIXES) {
    this.release = typeof release === 'string' ? parseRelease(release) : release;
    // Filled in loops rather than from arrays of entry pairs: a profile is made for every Knative
    // container start (its image's release), mostly in the boot, where this code runs cold.
    const byId = new Map<string, UpstreamFix>();
    for (const fix of fixes) byId.set(fix.id, fix);
    const contained = new Map<string, boolean>();
    for (const [id, fix] of byId) contained.set(id, this.#contains(fix));
    this.#fixes = byId;
    this.#contained = contained;
  }

  /** Whether this release contains the fix named `id`. Unknown ids are a programming error. */
  has(id: string): boolean {
    const contained = this.#contained.get(id);
    if (contained === undefined) throw new Error(`unknown upstream fix switch ${JSON.stringify(id)}`);
    return contained;
  }

  #contains(fix: UpstreamFix): boolean {
    return this.release.servingMinor >= fix.fixedInServingMinor || (this.release.extraFixes?.includes(fix.id) ?? false);
  }

  /** The fixes this release contains, by id. */
  fixes(): string[] {
    return [...this.#fixes.values()].filter((f) => this.#contains(f)).map((f) => f.id);
  }
}
