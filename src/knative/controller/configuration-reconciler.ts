// The Configuration reconciler (knative/serving pkg/reconciler/configuration/configuration.go,
// controller.go; status rules of pkg/apis/serving/v1/configuration_lifecycle.go):
// - the latest created revision is the one labelled with this Configuration and its current
//   generation (or the BYO-named one, checked by CheckNameAvailability); it is created from the
//   template when missing;
// - Ready follows it: Unknown when it is not the latest ready one, False (RevisionFailed) when it
//   failed, True once LatestReadyRevisionName catches up;
// - LatestReadyRevisionName is the newest Ready revision among the generations since the current
//   latest ready one (findAndSetLatestReadyRevision, newest generation first).
// It is enqueued by its Configurations and by the Revisions it controls.

import { alreadyExists, isAlreadyExists, isNotFound, notFound } from '../../apiserver/api-error.js';
import type { KubeObject } from '../../apiserver/types.js';
import type { Informer } from '../../client/informer.js';
import type { Proc } from '../../sim/process.js';
import { CONFIGURATIONS, REVISIONS } from '../apis/resources.js';
import { LABELS } from '../apis/serving-labels.js';
import { conditionsOf } from '../reconciler/generated-reconciler.js';
import { controllerKey, isControlledBy } from './owner-refs.js';
import { cached, startReconciler, type ReconcilerHost, type StartedReconciler } from './reconciler-host.js';
import { makeRevision, revisionLabelValue } from './revision-from-configuration.js';
import { revisionIsReady } from './revision-status.js';
import { semanticEqual } from './semantic-equal.js';
import { CONFIGURATION_CONDITIONS } from './serving-conditions.js';
import { defaultConfigurationSpec } from './webhook-defaults.js';

const REVISIONS_GR = { group: 'serving.knative.dev', resource: 'revisions' };

function generationOf(rev: KubeObject): number | undefined {
  const text = rev.metadata.labels?.[LABELS.configurationGeneration];
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
}

/** The Configuration's revisions (from the cache), in cache-key order. */
function revisionsOf(revisions: Informer, config: KubeObject): KubeObject[] {
  return revisions.list(config.metadata.namespace).filter((r) => r.metadata.labels?.[LABELS.configuration] === config.metadata.name);
}

/** latestCreatedRevision: the BYO-named revision, else the one of the current generation. Throws 404/409. */
function latestCreated(revisions: Informer, config: KubeObject): { rev: KubeObject; byo: boolean } {
  const byoName: string | undefined = config.spec?.template?.metadata?.name;
  if (byoName) {
    const rev = cached(revisions, config.metadata.namespace, byoName);
    if (rev === undefined) throw notFound(REVISIONS_GR, byoName);
    const sameGeneration = rev.metadata.labels?.[LABELS.configurationGeneration] === revisionLabelValue(LABELS.configurationGeneration, config);
    if (!isControlledBy(rev, config) || (!sameGeneration && !semanticEqual(config.spec.template.spec, rev.spec))) {
      throw alreadyExists(REVISIONS_GR, byoName);
    }
    return { rev, byo: true };
  }
  const generation = revisionLabelValue(LABELS.configurationGeneration, config);
  const rev = revisionsOf(revisions, config).find((r) => r.metadata.labels?.[LABELS.configurationGeneration] === generation);
  if (rev === undefined) throw notFound(REVISIONS_GR, `revision for ${config.metadata.name}`);
  return { rev, byo: false };
}

/** getSortedCreatedRevisions: candidates for latest ready, the BYO-named first, then newest generation first. */
function sortedCandidates(revisions: Informer, config: KubeObject, lcr: KubeObject, byo: boolean): KubeObject[] {
  let list = revisionsOf(revisions, config);
  const lrrName: string | undefined = config.status?.latestReadyRevisionName;
  const lrr = lrrName ? cached(revisions, config.metadata.namespace, lrrName) : undefined;
  if (lrr !== undefined) {
    const start = generationOf(lrr) ?? config.metadata.generation ?? 0;
    const allowed = new Set<number>();
    for (let g = start; g <= (config.metadata.generation ?? 0); g++) allowed.add(g);
    const lcrGeneration = generationOf(lcr);
    if (byo && lcrGeneration !== undefined) allowed.add(lcrGeneration);
    list = list.filter((r) => allowed.has(generationOf(r) ?? Number.NaN));
  }
  const templateName = config.spec?.template?.metadata?.name;
  const rank = (r: KubeObject): number => (r.metadata.name === templateName ? Infinity : (generationOf(r) ?? -Infinity));
  return [...list].sort((a, b) => rank(b) - rank(a));
}

export function setupConfigurationController(host: ReconcilerHost): StartedReconciler {
  const { ctx, configs } = host;
  const revisions = ctx.informer(REVISIONS);
  const conditions = (config: KubeObject) => conditionsOf(ctx.sim, CONFIGURATION_CONDITIONS, config);

  function* latestCreatedOrNew(config: KubeObject): Proc<{ rev: KubeObject; byo: boolean } | undefined> {
    try {
      return latestCreated(revisions, config);
    } catch (e) {
      if (isAlreadyExists(e)) {
        conditions(config).markFalse('Ready', 'RevisionFailed', `Revision creation failed with message: ${(e as Error).message}.`);
        return undefined;
      }
      if (!isNotFound(e)) throw e;
    }
    try {
      return { rev: yield* ctx.client.create(REVISIONS, makeRevision(config, { nowMs: ctx.sim.nowMs, profile: host.profile })), byo: false };
    } catch (e) {
      if (!isAlreadyExists(e)) conditions(config).markFalse('Ready', 'RevisionFailed', `Revision creation failed with message: ${(e as Error).message}.`);
      throw e;
    }
  }

  function* reconcileKind(config: KubeObject): Proc<void> {
    const found = yield* latestCreatedOrNew(config);
    if (found === undefined) return;
    const { rev: lcr, byo } = found;
    // SetLatestCreatedRevisionName
    config.status.latestCreatedRevisionName = lcr.metadata.name;
    if (config.status.latestReadyRevisionName !== lcr.metadata.name) conditions(config).markUnknown('Ready', '', '');
    const ready = (lcr.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
    if (ready?.status === 'False') {
      conditions(config).markFalse('Ready', 'RevisionFailed', `Revision "${lcr.metadata.name}" failed with message: ${ready.message ?? ''}.`);
    }
    for (const rev of sortedCandidates(revisions, config, lcr, byo)) {
      if (!revisionIsReady(rev)) continue;
      config.status.latestReadyRevisionName = rev.metadata.name;
      if (rev.metadata.name === config.status.latestCreatedRevisionName) conditions(config).markTrue('Ready');
      break;
    }
  }

  const started = startReconciler(host, {
    reconcilerPackage: 'configuration',
    resource: CONFIGURATIONS,
    conditions: CONFIGURATION_CONDITIONS,
    setDefaults: (config) => defaultConfigurationSpec((config.spec ??= {}), configs.current.defaults, config.metadata.name!),
    reconcileKind,
  });
  const enqueueOwner = (obj: KubeObject): void => {
    const key = controllerKey(obj, 'serving.knative.dev', 'Configuration');
    if (key !== undefined) started.queue.enqueue(key);
  };
  revisions.addHandler({ add: enqueueOwner, update: (_o, n) => enqueueOwner(n), delete: enqueueOwner });
  return started;
}
