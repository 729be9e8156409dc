// The KPA's scaler (knative/serving pkg/reconciler/autoscaling/kpa/scaler.go scale, applyScale):
// the pure decision of src/knative/kpa/scale-decision.ts wired to its effects —
// - the synchronous activator probe when the PA is Inactive (then the decision is taken again with
//   its answer, at the same instant), the async probe manager when that probe failed;
// - the delayed re-enqueues of the PA (enqueueCB);
// - PATCH of the scale target's `scale` subresource with the JSON patch
//   [{"op":"add","path":"/spec/replicas","value":N}] when the decision applies and the target's
//   spec.replicas (nil reads as 1) differs. The target comes from an informer of its kind (the
//   PodScalable duck informer), made on first use.

import type { KubeObject, ResourceId } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import type { Informer } from '../../client/informer.js';
import { perform, type Proc } from '../../sim/process.js';
import type { PaAnnotations, ScalerConfig } from '../kpa/pa-types.js';
import { scaleDecision, type ScaleDecisionInput } from '../kpa/scale-decision.js';
import type { KnativeProfile } from '../versions.js';
import type { ActivatorProber } from './activator-prober.js';
import { paStateOf, sksStateOf } from './pa-view.js';

export interface KpaScalerOptions {
  prober: ActivatorProber;
  /** The release whose scaler.go behaviour applies (the ServingSystem's profile). */
  profile: KnativeProfile;
  enqueueAfter: (paKey: string, delayMs: number) => void;
  record: (kind: string, fields: Record<string, string | number | boolean>) => void;
}

interface ScaleTarget {
  resource: ResourceId;
  informer: Informer;
  name: string;
  object: KubeObject | undefined;
}

/** A resolved scale target kind: its resource and the informer of that resource. */
interface TargetKind {
  apiVersion: string;
  kind: string;
  resource: ResourceId;
  informer: Informer;
}

/** What one KPA reconcile reads once: the PA's parsed annotations and the scaler's configuration. */
export interface KpaReads {
  annotations: PaAnnotations;
  config: ScalerConfig;
}

export class KpaScaler {
  readonly #ctx: ComponentContext;
  readonly #o: KpaScalerOptions;
  /**
   * The last scale target kind resolved (every PA of a revision targets apps/v1 Deployment): the
   * registry never drops a kind and the context keeps one informer per resource, so a kind once
   * resolved resolves the same way for good, without a registry lookup and an informer key per call.
   */
  #lastKind: TargetKind | undefined;

  constructor(ctx: ComponentContext, options: KpaScalerOptions) {
    this.#ctx = ctx;
    this.#o = options;
  }

  /**
   * scale(pa, sks, desiredScale): what ReconcileKind gets as `want`. `read` is what the reconcile
   * already read of the PA's annotations (paAnnotationsOf under the profile's features) and of the
   * configs (scalerConfigOf).
   */
  *scale(pa: KubeObject, sks: KubeObject, desiredScale: number, read: KpaReads): Proc<number> {
    const key = `${pa.metadata.namespace}/${pa.metadata.name}`;
    const target = this.#scaleTarget(pa);
    const input: ScaleDecisionInput = {
      pa: paStateOf(pa, { initialScale: this.#o.profile.has('pr-8403') }, read.annotations), sks: sksStateOf(sks), config: read.config, desiredScale,
      currentReplicas: target?.object?.spec?.replicas as number | undefined, nowMs: this.#ctx.sim.nowMs,
      fixes: { initialScaleOnlyUntilInitialized: this.#o.profile.has('pr-8883'), activationTimeout: this.#o.profile.has('pr-4614') },
    };
    let decision = scaleDecision(input);
    if (decision.probeActivator) {
      const backed = yield* perform(this.#o.prober.probe(pa));
      this.#o.record('autoscaler/activator-probe', { pa: key, ok: backed });
      decision = scaleDecision({ ...input, activatorProbeResult: backed });
    }
    if (decision.requeueAfterMs !== undefined) this.#o.enqueueAfter(key, decision.requeueAfterMs);
    if (decision.offerAsyncProbe) this.#o.prober.offer(pa, key);
    if (!decision.apply) return decision.desired;
    if (target?.object === undefined) throw new Error(`failed to get scale target ${JSON.stringify(pa.spec?.scaleTargetRef ?? {})}: not found`);
    if (decision.patchReplicas === undefined) return decision.desired;
    const patch = [{ op: 'add', path: '/spec/replicas', value: decision.patchReplicas }];
    try {
      yield* this.#ctx.client.patch(target.resource, target.name, patch, { namespace: pa.metadata.namespace, patchType: 'json', subresource: 'scale' });
    } catch (e) {
      throw new Error(`failed to apply scale ${decision.patchReplicas} to scale target ${target.name}: ${(e as Error).message}`, { cause: e });
    }
    this.#o.record('autoscaler/scale', { pa: key, from: input.currentReplicas ?? 1, to: decision.patchReplicas });
    return decision.desired;
  }

  /** The scale target from its kind's informer (undefined when the kind is not served). */
  #scaleTarget(pa: KubeObject): ScaleTarget | undefined {
    const ref = (pa.spec?.scaleTargetRef ?? {}) as { apiVersion?: string; kind?: string; name?: string };
    if (ref.name === undefined) return undefined;
    const target = this.#targetKind(ref.apiVersion ?? '', ref.kind ?? '');
    if (target === undefined) return undefined;
    const { resource, informer } = target;
    return { resource, informer, name: ref.name, object: informer.get(`${pa.metadata.namespace}/${ref.name}`) };
  }

  #targetKind(apiVersion: string, kind: string): TargetKind | undefined {
    const last = this.#lastKind;
    if (last !== undefined && last.apiVersion === apiVersion && last.kind === kind) return last;
    const type = this.#ctx.registry.byKind(apiVersion, kind);
    if (type === undefined) return undefined;
    const resource: ResourceId = { group: type.group, version: type.version, resource: type.plural };
    return (this.#lastKind = { apiVersion, kind, resource, informer: this.#ctx.informer(resource) });
  }
}
