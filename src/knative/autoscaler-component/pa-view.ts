// Reading PodAutoscaler, ServerlessService and the configs into the inputs of the pure KPA
// decisions (src/knative/kpa) and spec builders (src/knative/autoscaler), as the accessors of
// knative/serving pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go and knative/networking
// serverlessservice_lifecycle.go read the objects. Annotations that fail to parse read as absent.

import type { KubeObject } from '../../apiserver/types.js';
import type { Condition } from '../apis/condition-set.js';
import { transitionTimeMs } from '../apis/condition-set.js';
import { ANNOTATIONS, lookupAnnotation, type KeyPriority } from '../autoscaler/annotation-keys.js';
import { paAnnotations, type PodAutoscalerView, type Reachability } from '../autoscaler/pa-annotations.js';
import { goStrconv } from '../config/go-strconv.js';
import type { ConditionState, PaAnnotations, PaState, ScalerConfig, SksMode, SksState } from '../kpa/pa-types.js';
import type { AutoscalerConfigs } from './config-store.js';

export function conditionOf(obj: KubeObject, type: string): Condition | undefined {
  return (obj.status?.conditions as Condition[] | undefined)?.find((c) => c.type === type);
}

function conditionState(c: Condition | undefined): ConditionState | undefined {
  if (c === undefined) return undefined;
  return { status: c.status, reason: c.reason, message: c.message, lastTransitionTimeMs: transitionTimeMs(c) ?? 0 };
}

function reachabilityOf(pa: KubeObject): Reachability {
  const r = pa.spec?.reachability;
  return r === 'Reachable' || r === 'Unreachable' ? r : '';
}

/**
 * Which annotation-driven features the reading KPA knows. The KPA's use of initial scale (scale
 * bounds until reached, activity, ScaleTargetInitialized) arrived with knative/serving#8403 (v0.17,
 * pkg/reconciler/autoscaling/kpa/scaler.go and kpa.go); v0.16's KPA never read
 * `autoscaling.knative.dev/initial-scale` (its revision Deployment did start at that scale, #8355),
 * so its view leaves the key out.
 */
export interface PaFeatures {
  initialScale: boolean;
}

const ALL_FEATURES: PaFeatures = { initialScale: true };

function visibleAnnotations(pa: KubeObject, features: PaFeatures): Record<string, string> | undefined {
  const annotations = pa.metadata.annotations as Record<string, string> | undefined;
  if (features.initialScale || annotations === undefined) return annotations;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations)) if (!ANNOTATIONS.initialScale.includes(k)) out[k] = v;
  return out;
}

/** The annotation and spec view the spec builders read. */
export function paViewOf(pa: KubeObject, features: PaFeatures = ALL_FEATURES): PodAutoscalerView {
  return {
    annotations: visibleAnnotations(pa, features),
    containerConcurrency: (pa.spec?.containerConcurrency as number | undefined) ?? 0,
    reachability: reachabilityOf(pa),
  };
}

/** An int32 annotation (pa.annotationInt32): absent or unparseable reads as undefined. */
function int32Annotation(pa: KubeObject, keys: KeyPriority): number | undefined {
  const hit = lookupAnnotation(pa.metadata.annotations, keys);
  if (hit === undefined) return undefined;
  const parsed = goStrconv.parseInt32(hit.value);
  return parsed.ok ? parsed.value : undefined;
}

/** The parsed annotations of paStateOf, which a reconcile (that never changes them) can read once. */
export function paAnnotationsOf(pa: KubeObject, features: PaFeatures = ALL_FEATURES): PaAnnotations {
  const view = paViewOf(pa, features);
  return {
    minScale: int32Annotation(pa, ANNOTATIONS.minScale),
    maxScale: int32Annotation(pa, ANNOTATIONS.maxScale),
    initialScale: paAnnotations.initialScale(view),
    windowMs: paAnnotations.windowMs(view),
    scaleToZeroPodRetentionMs: paAnnotations.scaleToZeroPodRetentionMs(view),
    progressDeadlineMs: paAnnotations.progressDeadlineMs(view),
    targetBurstCapacity: paAnnotations.targetBurstCapacity(view),
  };
}

/** The PA as the decisions read it; `annotations` must be paAnnotationsOf(pa, features). */
export function paStateOf(pa: KubeObject, features: PaFeatures = ALL_FEATURES, annotations: PaAnnotations = paAnnotationsOf(pa, features)): PaState {
  return {
    active: conditionState(conditionOf(pa, 'Active')),
    scaleTargetInitialized: conditionOf(pa, 'ScaleTargetInitialized')?.status === 'True',
    reachability: reachabilityOf(pa),
    serviceName: (pa.status?.serviceName as string | undefined) ?? '',
    annotations,
  };
}

export function scalerConfigOf(configs: AutoscalerConfigs): ScalerConfig {
  const a = configs.autoscaler;
  return {
    enableScaleToZero: a.enableScaleToZero,
    scaleToZeroGracePeriodMs: a.scaleToZeroGracePeriodMs,
    scaleToZeroPodRetentionPeriodMs: a.scaleToZeroPodRetentionPeriodMs,
    stableWindowMs: a.stableWindowMs,
    initialScale: a.initialScale,
    allowZeroInitialScale: a.allowZeroInitialScale,
    minScale: a.minScale,
    maxScale: a.maxScale,
    progressDeadlineMs: configs.deployment.progressDeadlineMs,
    targetBurstCapacity: a.targetBurstCapacity,
  };
}

export function sksStateOf(sks: KubeObject): SksState {
  const mode: SksMode = sks.spec?.mode === 'Serve' ? 'Serve' : 'Proxy';
  return { mode, activatorEndpointsPopulated: conditionState(conditionOf(sks, 'ActivatorEndpointsPopulated')) };
}
