// The namespace controller of kube-controller-manager (k8s.io/kubernetes
// pkg/controller/namespace/namespace_controller.go and deletion/namespaced_resources_deleter.go).
// A Namespace with a deletionTimestamp is synced 5 s after each event (so late creations are
// seen): it is marked Terminating, its content is deleted kind by kind (every namespaced kind the
// API server serves; pods first, and nothing else until they are gone: OrderedNamespaceDeletion,
// GA in 1.34) with background propagation, objects held by finalizers are waited for, and once
// nothing is left the `kubernetes` finalizer is removed through /finalize, upon which the API
// server removes the Namespace. While content remains the sync is retried after half the estimate
// (the longest pod grace period, 15 s for finalizers) plus a second; errors back off 5 ms to 60 s.
// Status conditions report what remains. Upstream deletes each collection with one
// DELETE-collection call; our API server has none, so it lists and deletes item by item (the
// deleter's own fallback, deleteEachItem): more requests, the same end state.

import { isConflict, isNotFound } from '../apiserver/api-error.js';
import { deepCopy } from '../apiserver/deep-copy.js';
import { resourceIdOf, type ResourceType } from '../apiserver/registry.js';
import type { KubeObject } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import { objectKey } from '../client/informer.js';
import type { Proc } from '../sim/process.js';
import { formatSimTime, parseSimTime } from '../sim/time-format.js';
import { NamespaceConditionUpdater, type ContentTotals } from './namespace-conditions.js';
import { isPodTerminal } from './pod-status.js';
import { NAMESPACES } from './resources.js';
import { isModelBug } from '../sim/invariant.js';

/** namespaceDeletionGracePeriod. */
export const NAMESPACE_DELETION_GRACE_PERIOD_MS = 5_000;
/** finalizerEstimateSeconds: the wait assumed for objects held by finalizers. */
const FINALIZER_ESTIMATE_S = 15;
const FINALIZER_TOKEN = 'kubernetes';

export interface NamespaceControllerOptions {
  /** --concurrent-namespace-syncs. Default 10. */
  workers?: number;
  /** --namespace-sync-period (informer resync). Default 5 min. */
  resyncPeriodMs?: number;
}

interface Deleter {
  ctx: ComponentContext;
}

interface KindResult {
  estimateS: number;
  remaining: number;
  finalizers: Map<string, number>;
  error?: string;
}

export function setupNamespaceController(ctx: ComponentContext, options: NamespaceControllerOptions = {}): void {
  const namespaces = ctx.informer(NAMESPACES, { resyncPeriodMs: options.resyncPeriodMs ?? 300_000 });
  const deleter: Deleter = { ctx };
  const controller = ctx.controller({
    name: 'namespace-controller',
    workers: options.workers ?? 10,
    rateLimiter: { baseDelayMs: 5, maxDelayMs: 60_000 },
    reconcile: function* (key) {
      if (namespaces.get(key) === undefined) return;
      const estimateS = yield* deleteNamespace(deleter, key);
      // ResourcesRemainingError: come back after half the estimate.
      if (estimateS > 0) return { requeueAfterMs: (Math.floor(estimateS / 2) + 1) * 1000 };
    },
  });
  const enqueue = (ns: KubeObject): void => {
    if (ns.metadata.deletionTimestamp !== undefined) controller.enqueueAfter(objectKey(ns), NAMESPACE_DELETION_GRACE_PERIOD_MS);
  };
  namespaces.addHandler({ add: enqueue, update: (_old, ns) => enqueue(ns) });
}

/** Delete: the seconds content is estimated to remain (0 when done); throws to retry with backoff. */
function* deleteNamespace(d: Deleter, name: string): Proc<number> {
  let ns: KubeObject;
  try {
    ns = yield* d.ctx.client.get(NAMESPACES, name);
  } catch (e) {
    if (isNotFound(e)) return 0;
    throw e;
  }
  if (ns.metadata.deletionTimestamp === undefined) return 0;
  const current = yield* retryOnConflict(d, ns, markTerminating);
  if (current === undefined) return 0;
  if (specFinalizers(current).length === 0) return 0;
  const estimateS = yield* deleteAllContent(d, current);
  if (estimateS > 0) return estimateS;
  yield* retryOnConflict(d, current, finalizeNamespace);
  return 0;
}

const specFinalizers = (ns: KubeObject): string[] => ((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []);

type NamespaceWrite = (d: Deleter, ns: KubeObject) => Proc<KubeObject>;

/** retryOnConflictError: re-read and retry a conflicting write; undefined when the namespace is gone. */
function* retryOnConflict(d: Deleter, ns: KubeObject, write: NamespaceWrite): Proc<KubeObject | undefined> {
  let latest = ns;
  while (true) {
    try {
      return yield* write(d, latest);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      if (!isConflict(e)) throw e;
    }
    const previous = latest;
    latest = yield* d.ctx.client.get(NAMESPACES, previous.metadata.name!);
    if (latest.metadata.uid !== previous.metadata.uid) throw new Error('namespace uid has changed across retries');
  }
}

/** updateNamespaceStatusFunc: phase Terminating, if the API server has not set it already. */
function* markTerminating(d: Deleter, ns: KubeObject): Proc<KubeObject> {
  if ((ns.status as { phase?: string } | undefined)?.phase === 'Terminating') return ns;
  const next = deepCopy(ns);
  next.status = { ...(next.status ?? {}), phase: 'Terminating' };
  return yield* d.ctx.client.updateStatus(NAMESPACES, next);
}

/** finalizeNamespace: spec.finalizers without ours (a sorted set), through /finalize. */
function* finalizeNamespace(d: Deleter, ns: KubeObject): Proc<KubeObject> {
  const next = deepCopy(ns);
  next.spec = { ...(next.spec ?? {}), finalizers: [...new Set(specFinalizers(ns).filter((f) => f !== FINALIZER_TOKEN))].sort() };
  return yield* d.ctx.client.update(NAMESPACES, next, { subresource: 'finalize' });
}

/** `pods.`, `deployments.apps`: how the conditions name a resource. */
const resourceName = (type: ResourceType): string => `${type.plural}.${type.group}`;
/** GroupVersionResource.String(). */
const gvrString = (type: ResourceType): string => `${type.group}/${type.version}, Resource=${type.plural}`;

/** deleteAllContent: pods first; the rest only once no pod is left. Throws (after the status update) on errors. */
function* deleteAllContent(d: Deleter, ns: KubeObject): Proc<number> {
  const name = ns.metadata.name!;
  const deletedAtMs = parseSimTime(ns.metadata.deletionTimestamp!);
  const kinds = d.ctx.registry.list().filter((type) => type.namespaced);
  const pods = kinds.filter((type) => type.group === '' && type.plural === 'pods');
  const totals: ContentTotals = { resourcesRemaining: new Map(), finalizersRemaining: new Map() };
  const conditions = new NamespaceConditionUpdater();
  const errors: string[] = [];
  let estimateS = 0;
  for (const batch of [pods, kinds.filter((type) => !pods.includes(type))]) {
    for (const type of batch) {
      const result = yield* deleteKindReportingErrors(d, type, name, deletedAtMs);
      estimateS = Math.max(estimateS, result.estimateS);
      if (result.error !== undefined) {
        errors.push(result.error);
        conditions.deleteContentError(result.error);
      }
      if (result.remaining === 0) continue;
      totals.resourcesRemaining.set(resourceName(type), result.remaining);
      for (const [finalizer, n] of result.finalizers) totals.finalizersRemaining.set(finalizer, (totals.finalizersRemaining.get(finalizer) ?? 0) + n);
    }
    if (totals.resourcesRemaining.size > 0) break;
  }
  conditions.contentTotals(totals);
  yield* writeConditions(d, ns, conditions);
  if (errors.length > 0) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  return estimateS;
}

/** Conditions are best effort: a failed status write is dropped (upstream logs it). */
function* writeConditions(d: Deleter, ns: KubeObject, conditions: NamespaceConditionUpdater): Proc<void> {
  const next = deepCopy(ns);
  if (!conditions.apply(next, formatSimTime(d.ctx.sim.nowMs))) return;
  try {
    yield* d.ctx.client.updateStatus(NAMESPACES, next);
  } catch (e) {
    if (isModelBug(e)) throw e;
  }
}

/** A kind whose deletion fails is reported and the others still go (upstream aggregates the errors). */
function* deleteKindReportingErrors(d: Deleter, type: ResourceType, namespace: string, deletedAtMs: number): Proc<KindResult> {
  try {
    return yield* deleteKind(d, type, namespace, deletedAtMs);
  } catch (e) {
    if (isModelBug(e)) throw e;
    return { estimateS: 0, remaining: 0, finalizers: new Map(), error: e instanceof Error ? e.message : String(e) };
  }
}

/** deleteAllContentForGroupVersionResource. */
function* deleteKind(d: Deleter, type: ResourceType, namespace: string, deletedAtMs: number): Proc<KindResult> {
  const res = resourceIdOf(type);
  const { client } = d.ctx;
  const before = (yield* client.list(res, { namespace })).items;
  const estimateS = type.group === '' && type.plural === 'pods' ? podsEstimateS(before, d.ctx.sim.nowMs - deletedAtMs) : 0;
  for (const item of before) {
    try {
      yield* client.delete(res, item.metadata.name!, { namespace, propagationPolicy: 'Background' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  const left = (yield* client.list(res, { namespace })).items;
  if (left.length === 0) return { estimateS: 0, remaining: 0, finalizers: new Map() };
  const finalizers = new Map<string, number>();
  for (const item of left) for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
  if (estimateS !== 0) return { estimateS, remaining: left.length, finalizers };
  if (finalizers.size > 0) return { estimateS: FINALIZER_ESTIMATE_S, remaining: left.length, finalizers };
  return { estimateS, remaining: left.length, finalizers, error: `unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(type)}` };
}

/** estimateGracefulTerminationForPods: the longest grace period of non-terminal pods, 0 once that long has passed. */
function podsEstimateS(pods: readonly KubeObject[], sinceDeletionMs: number): number {
  let estimateS = 0;
  for (const pod of pods) {
    if (isPodTerminal(pod)) continue;
    const grace = pod.spec?.terminationGracePeriodSeconds as number | undefined;
    if (grace !== undefined && grace > estimateS) estimateS = grace;
  }
  return sinceDeletionMs >= estimateS * 1000 ? 0 : estimateS;
}
