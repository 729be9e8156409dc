// The KPA reconciler's ReconcileKind (knative/serving pkg/reconciler/autoscaling/kpa/kpa.go):
//   no SKS, or no private service yet: ReconcileSKS(Proxy, 2 activators), SKSReady Unknown
//     ("No Private Service Name"), computeStatus with want −1, done;
//   MetricsServiceName ← the SKS's private service; decider create-or-update in the multiscaler;
//   ReconcileMetric (scrape target `<rev>-private`, or '' when TBC is −1);
//   want ← scaler.scale(decider's DesiredScale);
//   SKS mode (decideSksMode) and numActivators from the ready pods; ReconcileSKS;
//   ServiceName ← the SKS's public service; SKSReady from the SKS's readiness;
//   computeStatus: ActualScale, DesiredScale (−1 never overwrites a stored value ≥ 0),
//   ScaleTargetInitialized and Active (computeActiveCondition).
// ObserveDeletion deletes the decider. Conditions: Ready over the living set {Active,
// ScaleTargetInitialized, SKSReady} (pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go); before v0.17
// {Active} alone, and a not-ready SKS zeroed the ready count (switches pr-8569, pr-8809, pr-8838).

import type { KubeObject } from '../../apiserver/types.js';
import type { Informer } from '../../client/informer.js';
import type { Proc } from '../../sim/process.js';
import type { ConditionSetSpec } from '../apis/condition-set.js';
import { LABELS } from '../apis/serving-labels.js';
import { makeDeciderSpec, type DeciderSpec } from '../autoscaler/decider-spec.js';
import { activeThreshold, computeActiveCondition, computeNumActivators, computeStatus, decideSksMode, MIN_ACTIVATORS, NO_PRIVATE_SERVICE_NAME } from '../kpa/pa-status.js';
import type { PaState, ScalerConfig } from '../kpa/pa-types.js';
import { SCALE_UNKNOWN } from '../kpa/scale-decision.js';
import { sksIsReady } from '../kpa/sks-endpoints.js';
import type { AutoscalingBase } from './autoscaling-base.js';
import type { ConfigStore } from './config-store.js';
import type { ManageConditions } from '../reconciler/generated-reconciler.js';
import type { KnativeProfile } from '../versions.js';
import type { KpaReads, KpaScaler } from './kpa-scaler.js';
import type { DeciderRecord, MultiScaler } from './multi-scaler.js';
import { conditionOf, paAnnotationsOf, paStateOf, paViewOf, scalerConfigOf } from './pa-view.js';
import type { RevisionPods } from './revision-pods.js';

export const PA_CONDITION_SET: ConditionSetSpec = Object.freeze({ happy: 'Ready', dependents: ['Active', 'ScaleTargetInitialized', 'SKSReady'] });
/**
 * Before #8569 (ddd6bd9f27, feature switch pr-8569) and #8809 (1642dd12db, feature switch pr-8809),
 * both v0.17, the PA's living condition set was {Active} alone (pa_lifecycle.go at v0.16.0).
 */
export const PA_CONDITION_SET_V0_16: ConditionSetSpec = Object.freeze({ happy: 'Ready', dependents: ['Active'] });

/** The PA's condition set in the profile's release: Active, then ScaleTargetInitialized (#8569), then SKSReady (#8809). */
export function paConditionSet(profile: KnativeProfile): ConditionSetSpec {
  const has8569 = profile.has('pr-8569');
  const has8809 = profile.has('pr-8809');
  if (has8569 && has8809) return PA_CONDITION_SET;
  if (!has8569 && !has8809) return PA_CONDITION_SET_V0_16;
  return Object.freeze({ happy: 'Ready', dependents: has8569 ? ['Active', 'ScaleTargetInitialized'] : ['Active', 'SKSReady'] });
}

export interface KpaReconcilerDeps {
  configs: ConfigStore;
  sksLister: Informer;
  deciders: MultiScaler;
  scaler: KpaScaler;
  base: AutoscalingBase;
  pods: RevisionPods;
  /** The release whose kpa.go behaviour applies (the ServingSystem's profile). */
  profile: KnativeProfile;
  nowMs: () => number;
  record: (kind: string, fields: Record<string, string | number | boolean>) => void;
}

function wrap(prefix: string, e: unknown): Error {
  return new Error(`${prefix}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

export function* reconcileKpa(deps: KpaReconcilerDeps, pa: KubeObject, conditions: ManageConditions): Proc<void> {
  const configs = deps.configs.current();
  if (configs === undefined) throw new Error('autoscaler configuration not loaded');
  const status = pa.status!;
  // The annotations (which no reconcile changes) and the configs, read once for the scaler and computeStatus.
  const read: KpaReads = { annotations: paAnnotationsOf(pa, { initialScale: deps.profile.has('pr-8403') }), config: scalerConfigOf(configs) };
  const sks = deps.sksLister.get(`${pa.metadata.namespace}/${pa.metadata.name}`);
  if (sks === undefined || !sks.status?.privateServiceName) {
    // Before pr-12842 (95cfa70f64) the SKS was created in Serve mode.
    const initialMode = deps.profile.has('pr-12842') ? 'Proxy' : 'Serve';
    // Before pr-11375 (3afc6e4f0b) the first SKS got 0 activators: all of them.
    const initialActivators = deps.profile.has('pr-11375') ? MIN_ACTIVATORS : 0;
    try {
      yield* deps.base.reconcileSks(pa, conditions, initialMode, initialActivators);
    } catch (e) {
      throw wrap('error reconciling SKS', e);
    }
    // SKSReady arrived with #8809 (1642dd12db, v0.17, feature switch pr-8809).
    if (deps.profile.has('pr-8809')) conditions().markUnknown('SKSReady', 'NotReady', NO_PRIVATE_SERVICE_NAME);
    applyComputedStatus(deps, pa, conditions, read, { want: SCALE_UNKNOWN, ready: 0 });
    return;
  }
  status.metricsServiceName = sks.status.privateServiceName;
  const deciderSpec = makeDeciderSpec(paViewOf(pa), configs.autoscaler);
  const decider = reconcileDecider(deps, pa, deciderSpec);
  try {
    yield* deps.base.reconcileMetric(pa, conditions, resolveScrapeTarget(pa, deciderSpec), configs.autoscaler);
  } catch (e) {
    throw wrap('error reconciling Metric', e);
  }
  let want: number;
  try {
    want = yield* deps.scaler.scale(pa, sks, decider.status.desiredScale, read);
  } catch (e) {
    throw wrap('error scaling target', e);
  }
  yield* reconcileServing(deps, pa, conditions, read, { want, decider });
}

/** From the SKS mode on: ReconcileSKS, ServiceName, SKSReady, computeStatus. */
function* reconcileServing(deps: KpaReconcilerDeps, pa: KubeObject, conditions: ManageConditions, read: KpaReads, got: { want: number; decider: DeciderRecord }): Proc<void> {
  const { want, decider } = got;
  const paInactive = conditionOf(pa, 'Active')?.status === 'False';
  const fixes = { proxyByDefault: deps.profile.has('pr-12842'), unknownWantWhileInactiveIsProxy: deps.profile.has('pr-5328'), burstCapacity: deps.profile.has('pr-4669') };
  const mode = decideSksMode({ want, paInactive, excessBurstCapacity: decider.status.excessBurstCapacity, fixes });
  const podCounts = deps.pods.countsByState(pa.metadata.namespace ?? '', pa.metadata.labels?.[LABELS.revision] ?? '');
  // Since pr-11375 (knative/serving 3afc6e4f0b, kpa.go computeNumActivators) the KPA sizes the
  // activator subset from the ready pods; before it, it took the decider's count, which is 0 (all
  // activators) until the decider's first valid tick, e.g. for a new revision or after a restart.
  const numActivators = deps.profile.has('pr-11375') ? computeNumActivators(podCounts.ready, decider.spec) : decider.status.numActivators ?? 0;
  let sks: KubeObject;
  try {
    sks = yield* deps.base.reconcileSks(pa, conditions, mode, numActivators);
  } catch (e) {
    throw wrap('error reconciling SKS', e);
  }
  pa.status!.serviceName = (sks.status?.serviceName as string | undefined) ?? '';
  const ready = conditionOf(sks, 'Ready');
  // ServerlessService.IsReady compares generations since #8187 (84ec474dc4, v0.16, switch pr-8187);
  // before it the KPA read sks.Status.IsReady(), the Ready condition alone (kpa.go at v0.14.0).
  const observedGeneration = (sks.status?.observedGeneration as number | undefined) ?? 0;
  const generation = deps.profile.has('pr-8187') ? sks.metadata.generation ?? 0 : observedGeneration;
  const isReady = sksIsReady({ generation, observedGeneration, ready: ready?.status });
  // Since #8809 (1642dd12db, v0.17, feature switch pr-8809) the SKS's readiness is the PA's
  // SKSReady condition, part of PA readiness; before it the PA had no such condition
  // (knative/serving pkg/reconciler/autoscaling/kpa/kpa.go at v0.16.0).
  if (deps.profile.has('pr-8809')) {
    if (isReady) conditions().markTrue('SKSReady');
    else conditions().markUnknown('SKSReady', 'NotReady', ready?.message ?? '');
  }
  // Until #8838 (06fa35ffc7, v0.17, switch pr-8838) a not-ready SKS counted as zero ready pods, so
  // the PA could not turn Active (kpa.go at v0.16.0 read the endpoints only when the SKS was ready).
  const counts = isReady || deps.profile.has('pr-8838') ? podCounts : { ...podCounts, ready: 0 };
  deps.record('autoscaler/kpa', {
    pa: `${pa.metadata.namespace}/${pa.metadata.name}`, mode, want, desired: decider.status.desiredScale, ebc: decider.status.excessBurstCapacity,
    activators: numActivators, ready: counts.ready, notReady: counts.notReady, pending: counts.pending, terminating: counts.terminating,
  });
  applyComputedStatus(deps, pa, conditions, read, { want, ready: counts.ready });
}

/** reconcileDecider: create the decider if missing; update it when its spec (MakeDecider's) or labels differ. */
function reconcileDecider(deps: KpaReconcilerDeps, pa: KubeObject, spec: DeciderSpec): DeciderRecord {
  const desired: DeciderRecord = {
    namespace: pa.metadata.namespace ?? '', name: pa.metadata.name ?? '', labels: { ...(pa.metadata.labels ?? {}) },
    spec, status: { desiredScale: SCALE_UNKNOWN, excessBurstCapacity: 0 },
  };
  let decider = deps.deciders.get(desired.namespace, desired.name);
  if (decider === undefined) {
    try {
      decider = deps.deciders.create(desired);
    } catch (e) {
      throw wrap('error reconciling Decider: error creating Decider', e);
    }
  }
  desired.status = decider.status;
  const same = sameFlatJson(desired.spec, decider.spec) && sameFlatJson(desired.labels, decider.labels);
  return same ? decider : (deps.deciders.update(desired) ?? decider);
}

/**
 * Whether two flat records of primitives would serialise to the same JSON text (the comparison this
 * reconciler made with JSON.stringify, without building the strings): the same keys with defined values
 * in the same order, each value the same (non-finite numbers all serialise as null).
 */
function sameFlatJson(a: object, b: object): boolean {
  const av = a as Record<string, unknown>;
  const bv = b as Record<string, unknown>;
  const ak = Object.keys(av);
  const bk = Object.keys(bv);
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < ak.length && av[ak[i]] === undefined) i++;
    while (j < bk.length && bv[bk[j]] === undefined) j++;
    if (i === ak.length || j === bk.length) return i === ak.length && j === bk.length;
    if (ak[i] !== bk[j]) return false;
    const x = av[ak[i]];
    const y = bv[bk[j]];
    if (x !== y && !(typeof x === 'number' && typeof y === 'number' && !Number.isFinite(x) && !Number.isFinite(y))) return false;
    i++;
    j++;
  }
}

/**
 * resolveScrapeTarget: no scraping when TBC is −1 (the activator reports everything). The TBC is the
 * decider spec's, read the same way (the annotation over config-autoscaler's value).
 */
function resolveScrapeTarget(pa: KubeObject, deciderSpec: DeciderSpec): string {
  return deciderSpec.targetBurstCapacity === -1 ? '' : ((pa.status?.metricsServiceName as string | undefined) ?? '');
}

/**
 * When computeActiveCondition (knative/serving pkg/reconciler/autoscaling/kpa/kpa.go) marks the
 * sticky ScaleTargetInitialized: the ready pods reached the active threshold and the PA has its
 * service name (pr-9232, 24d63ef5d5). The condition itself arrived with #8569 (ddd6bd9f27, v0.17,
 * feature switch pr-8569): before it the KPA never set it. From pr-9110 (82aae91478, v0.18,
 * backported to 0.17.1) until #10534 (7602d81c12, v0.21) removed the shim, a PA already Inactive
 * with reason NoTraffic counted as initialized too: a revision scaled to zero under 0.16 had never
 * been marked, and 0.17 would otherwise fail it as "Initial scale was never achieved" (#9105).
 */
function scaleTargetReached(profile: KnativeProfile, pa: PaState, config: ScalerConfig, ready: number): boolean {
  if (!profile.has('pr-8569')) return false;
  const minReady = activeThreshold(pa, config);
  const alreadyScaledDown = profile.has('pr-9110') && !profile.has('pr-10534') && minReady > 0 && pa.active?.reason === 'NoTraffic';
  return (ready >= minReady || alreadyScaledDown) && (pa.serviceName !== '' || !profile.has('pr-9232'));
}

/** computeStatus and computeActiveCondition, written into the PA's status through its condition set. */
function applyComputedStatus(deps: KpaReconcilerDeps, pa: KubeObject, conditions: ManageConditions, read: KpaReads, counts: { want: number; ready: number }): void {
  const state = paStateOf(pa, { initialScale: deps.profile.has('pr-8403') }, read.annotations);
  const config = read.config;
  const status = pa.status!;
  const stored = status.desiredScale as number | undefined;
  const update = computeStatus({ pa: state, config, want: counts.want, ready: counts.ready, currentDesiredScale: stored, nowMs: deps.nowMs() });
  status.actualScale = update.actualScale;
  status.desiredScale = update.desiredScale;
  if (scaleTargetReached(deps.profile, state, config, counts.ready)) conditions().markTrue('ScaleTargetInitialized');
  const result = computeActiveCondition(state, config, counts);
  const active = result.active;
  if (active === undefined) return;
  if (active.status === 'True') conditions().markTrue('Active');
  else if (active.status === 'Unknown') conditions().markUnknown('Active', active.reason ?? '', active.message ?? '');
  else conditions().markFalse('Active', active.reason ?? '', active.message ?? '');
}
