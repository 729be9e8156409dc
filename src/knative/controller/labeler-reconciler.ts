// The labeler (knative/serving pkg/reconciler/labeler: labeler.go, metasync.go, accessors.go,
// controller.go), a second reconciler of Routes with its own queue and Lease. For every traffic
// target in the Route's status and spec it collects the Revisions named (and their controlling
// Configurations) and the Configurations named (and, for latestRevision targets, their
// LatestCreatedRevisionName; before #7214 (v0.14) it walked status.traffic only, and before #7110
// (v0.14) it did not add the LatestCreatedRevisionName, so a new revision stayed unlabelled (and,
// once active, Unreachable: below min-scale) until the Route sent it traffic, #6733 and #6935); it adds the Route to their routes annotation (and so marks those
// Revisions `active`); once the Route is Ready or failed it removes the Route from the
// Revisions/Configurations it no longer lists (marking Revisions left with no route `reserve`).
// It writes no status. As a finalizer (routes.serving.knative.dev) it clears the Route from
// everything when the Route is deleted. Configuration and Revision changes reach it through the
// reference tracker.

import type { KubeObject } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import { objectKey, type Informer } from '../../client/informer.js';
import type { Proc } from '../../sim/process.js';
import { CONFIGURATIONS, REVISIONS, ROUTES } from '../apis/resources.js';
import { ANNOTATIONS, LABELS } from '../apis/serving-labels.js';
import { controllerOf } from './owner-refs.js';
import { cached, startReconciler, type ReconcilerHost, type StartedReconciler } from './reconciler-host.js';
import { ReferenceTracker } from './reference-tracker.js';
import { makeMetadataPatch } from './routing-meta-patch.js';
import { listAnnotation } from './service-resources.js';
import type { KnativeProfile } from '../versions.js';

export const ROUTE_FINALIZER = 'routes.serving.knative.dev';

interface Accessor {
  informer: Informer;
  resource: typeof REVISIONS;
  routingState: boolean;
}

function readyStatus(route: KubeObject): string | undefined {
  if (route.status?.observedGeneration !== route.metadata.generation) return undefined;
  return (route.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')?.status;
}

/** syncRoutingMeta and clearRoutingMeta (metasync.go) over the two accessors (accessors.go). */
class Labeler {
  readonly #ctx: ComponentContext;
  readonly #profile: KnativeProfile;
  readonly #tracker: ReferenceTracker;
  readonly revs: Accessor;
  readonly cfgs: Accessor;

  constructor(ctx: ComponentContext, profile: KnativeProfile, tracker: ReferenceTracker) {
    this.#ctx = ctx;
    this.#profile = profile;
    this.#tracker = tracker;
    this.revs = { informer: ctx.informer(REVISIONS), resource: REVISIONS, routingState: true };
    this.cfgs = { informer: ctx.informer(CONFIGURATIONS), resource: CONFIGURATIONS, routingState: false };
  }

  *reconcileKind(route: KubeObject): Proc<void> {
    const { revisions, configs } = this.#listed(route);
    const status = readyStatus(route);
    if (status === 'True' || status === 'False') {
      yield* this.#clearNotListed(this.revs, route, revisions);
      yield* this.#clearNotListed(this.cfgs, route, configs);
    }
    for (const name of [...revisions].sort()) yield* this.#setMeta(this.revs, route, name, false);
    for (const name of [...configs].sort()) yield* this.#setMeta(this.cfgs, route, name, false);
  }

  *finalize(route: KubeObject): Proc<void> {
    yield* this.#clearNotListed(this.revs, route, new Set());
    yield* this.#clearNotListed(this.cfgs, route, new Set());
  }

  /** The names the Route refers to, as syncRoutingMeta collects them. */
  #listed(route: KubeObject): { revisions: Set<string>; configs: Set<string> } {
    const ns = route.metadata.namespace!;
    const key = objectKey(route);
    const revisions = new Set<string>();
    const configs = new Set<string>();
    // knative/serving pkg/reconciler/labeler/labels.go: fix #7214 (3c69fef662) added spec.traffic
    // and configurationName targets; fix #7110 (b260b2b880) added LatestCreatedRevisionName.
    const withSpec = this.#profile.has('pr-7214');
    const targets = withSpec ? [...(route.status?.traffic ?? []), ...(route.spec?.traffic ?? [])] : (route.status?.traffic ?? []);
    for (const tt of targets) {
      let configName: string | undefined = withSpec ? tt.configurationName : undefined;
      if (tt.revisionName) {
        this.#tracker.track({ kind: 'Revision', namespace: ns, name: tt.revisionName }, key);
        const rev = cached(this.revs.informer, ns, tt.revisionName);
        if (rev === undefined) continue;
        revisions.add(tt.revisionName);
        const owner = controllerOf(rev);
        if (owner?.kind === 'Configuration') configName = owner.name;
      }
      if (!configName) continue;
      this.#tracker.track({ kind: 'Configuration', namespace: ns, name: configName }, key);
      const config = cached(this.cfgs.informer, ns, configName);
      if (config === undefined) continue;
      configs.add(configName);
      const latestCreated = config.status?.latestCreatedRevisionName;
      if (this.#profile.has('pr-7110') && latestCreated && tt.latestRevision === true) revisions.add(latestCreated);
    }
    return { revisions, configs };
  }

  *#setMeta(acc: Accessor, route: KubeObject, name: string, remove: boolean): Proc<void> {
    const obj = cached(acc.informer, route.metadata.namespace, name);
    if (obj === undefined) throw new Error(`${acc.resource.resource} "${name}" not found`);
    const patch = makeMetadataPatch(obj, { routeName: route.metadata.name!, remove, routingState: acc.routingState, nowMs: this.#ctx.sim.nowMs });
    if (patch === null) return;
    yield* this.#ctx.client.patch(acc.resource, name, patch, { namespace: route.metadata.namespace, patchType: 'merge' });
  }

  /** clearMetaForNotListed: objects listing this Route (Revisions: only `active` ones) that `keep` lacks. */
  *#clearNotListed(acc: Accessor, route: KubeObject, keep: ReadonlySet<string>): Proc<void> {
    for (const obj of acc.informer.list(route.metadata.namespace)) {
      if (acc.routingState && obj.metadata.labels?.[LABELS.routingState] !== 'active') continue;
      if (!listAnnotation(obj.metadata.annotations, ANNOTATIONS.routes).has(route.metadata.name!)) continue;
      if (!keep.has(obj.metadata.name!)) yield* this.#setMeta(acc, route, obj.metadata.name!, true);
    }
  }
}

export function setupLabeler(host: ReconcilerHost): StartedReconciler {
  const tracker = new ReferenceTracker((key) => started.queue.enqueue(key));
  const labeler = new Labeler(host.ctx, host.profile, tracker);
  const started = startReconciler(host, {
    reconcilerPackage: 'labeler',
    resource: ROUTES,
    reconcileKind: (route) => labeler.reconcileKind(route),
    finalizer: { name: ROUTE_FINALIZER, finalize: (route) => labeler.finalize(route) },
  });
  started.informer.addHandler({ delete: (route) => tracker.onDeleted(route) });
  for (const [kind, acc] of [['Revision', labeler.revs], ['Configuration', labeler.cfgs]] as const) {
    const changed = (obj: KubeObject): void => tracker.onChanged(kind, obj);
    acc.informer.addHandler({ add: changed, update: (_o, n) => changed(n), delete: changed });
  }
  return started;
}
