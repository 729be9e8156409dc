// The revision garbage collector (knative/serving pkg/reconciler/gc/gc.go collect, reconciler.go,
// controller.go), a Configuration reconciler without status updates. For each Configuration with
// more than min-non-active-revisions revisions it considers the non-active ones (routing state
// reserve, not the latest ready one, not annotated serving.knative.dev/no-gc), oldest last-active
// first (routingStateModified, else creation): it deletes those stale by both retain times (at
// most all but the minimum), then, above max-non-active-revisions, the oldest of the rest. A
// failed delete is recorded and skipped, as upstream logs it. A config-gc change resyncs the
// revision informer into this queue (upstream's GlobalResync(revisionInformer)), so its keys are
// revision names and rarely name a Configuration: as upstream, a config change alone seldom
// triggers a collection.

import { isApiError } from '../../apiserver/api-error.js';
import type { KubeObject } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import { NetworkError } from '../../client/network-error.js';
import type { Proc } from '../../sim/process.js';
import { parseSimTime } from '../../sim/time-format.js';
import { CONFIGURATIONS, REVISIONS } from '../apis/resources.js';
import { ANNOTATIONS, LABELS } from '../apis/serving-labels.js';
import { GC_CONFIG_NAME, GC_DISABLED, type GcConfig } from './gc-config.js';
import { controllerKey } from './owner-refs.js';
import { startReconciler, type ReconcilerHost, type StartedReconciler } from './reconciler-host.js';

const PRESERVED_ANNOTATION = 'serving.knative.dev/no-gc';

function timeMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  try {
    return parseSimTime(text);
  } catch {
    return undefined;
  }
}

/** revisionLastActiveTime: when the routing state last changed, else when it was created. */
function lastActiveMs(rev: KubeObject): number {
  return timeMs(rev.metadata.annotations?.[ANNOTATIONS.routingStateModified]) ?? timeMs(rev.metadata.creationTimestamp) ?? 0;
}

function isActive(rev: KubeObject, config: KubeObject): boolean {
  if (config.status?.latestReadyRevisionName === rev.metadata.name) return true;
  if ((rev.metadata.annotations?.[PRESERVED_ANNOTATION] ?? '').toLowerCase() === 'true') return true;
  return rev.metadata.labels?.[LABELS.routingState] !== 'reserve';
}

function isStale(cfg: GcConfig, rev: KubeObject, nowMs: number): boolean {
  const sinceCreate = cfg.retainSinceCreateTimeMs;
  const sinceActive = cfg.retainSinceLastActiveTimeMs;
  if (sinceCreate === GC_DISABLED && sinceActive === GC_DISABLED) return false;
  if (sinceCreate !== GC_DISABLED && nowMs - (timeMs(rev.metadata.creationTimestamp) ?? 0) < sinceCreate) return false;
  return !(sinceActive !== GC_DISABLED && nowMs - lastActiveMs(rev) < sinceActive);
}

/** The revisions `collect` deletes, in deletion order. */
export function revisionsToCollect(cfg: GcConfig, config: KubeObject, revisions: readonly KubeObject[], nowMs: number): KubeObject[] {
  const min = cfg.minNonActiveRevisions;
  const max = cfg.maxNonActiveRevisions;
  if (max === GC_DISABLED && cfg.retainSinceCreateTimeMs === GC_DISABLED && cfg.retainSinceLastActiveTimeMs === GC_DISABLED) return [];
  if (revisions.length <= min) return [];
  const candidates = revisions.filter((r) => !isActive(r, config));
  if (candidates.length <= min) return [];
  candidates.sort((a, b) => lastActiveMs(a) - lastActiveMs(b) || (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const out: KubeObject[] = [];
  const kept: KubeObject[] = [];
  for (const rev of candidates) {
    if (out.length < candidates.length - min && isStale(cfg, rev, nowMs)) out.push(rev);
    else kept.push(rev);
  }
  if (out.length >= candidates.length - min || max === GC_DISABLED || kept.length <= max) return out;
  return [...out, ...kept.slice(0, kept.length - max)];
}

function* collect(ctx: ComponentContext, gc: () => GcConfig, revisions: () => KubeObject[], config: KubeObject): Proc<void> {
  for (const rev of revisionsToCollect(gc(), config, revisions(), ctx.sim.nowMs)) {
    try {
      yield* ctx.client.delete(REVISIONS, rev.metadata.name!, { namespace: rev.metadata.namespace });
    } catch (e) {
      if (!isApiError(e) && !(e instanceof NetworkError)) throw e;
      ctx.sim.record('revision-gc-error', { revision: rev.metadata.name!, error: e.message });
    }
  }
}

export function setupRevisionGc(host: ReconcilerHost): StartedReconciler {
  const { ctx } = host;
  const revisionInformer = ctx.informer(REVISIONS);
  const revisionsOf = (config: KubeObject) => (): KubeObject[] =>
    revisionInformer.list(config.metadata.namespace).filter((r) => r.metadata.labels?.[LABELS.configuration] === config.metadata.name);
  const started = startReconciler(host, {
    reconcilerPackage: 'gc',
    resource: CONFIGURATIONS,
    reconcileKind: (config) => collect(ctx, () => host.configs.current.gc, revisionsOf(config), config),
  });
  const enqueueOwner = (obj: KubeObject): void => {
    const key = controllerKey(obj, 'serving.knative.dev', 'Configuration');
    if (key !== undefined) started.queue.enqueue(key);
  };
  revisionInformer.addHandler({ add: enqueueOwner, update: (_o, n) => enqueueOwner(n), delete: enqueueOwner });
  host.configs.onChange([GC_CONFIG_NAME], () => {
    for (const key of revisionInformer.keys()) started.queue.enqueue(key);
  });
  return started;
}
