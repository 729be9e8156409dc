// The PodAutoscaler, ServerlessService and autoscaler-config facts the KPA's pure decisions read
// (knative/serving pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go, pkg/autoscaler/config,
// knative/networking pkg/apis/networking/v1alpha1/serverlessservice_lifecycle.go). Annotations
// arrive parsed: an absent key is `undefined`, and a value that failed to parse upstream
// (annotationInt32 / annotationDuration report !ok) must also be passed as `undefined`.

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** pa.Spec.Reachability; upstream's ReachabilityUnknown is the empty string. */
export type Reachability = 'Reachable' | 'Unreachable' | '';

export type SksMode = 'Serve' | 'Proxy';

/** A condition as the decisions read it: status and when it last changed (integer virtual ms). */
export interface ConditionState {
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTimeMs: number;
}

/** Parsed per-revision annotations on the PA. */
export interface PaAnnotations {
  /** autoscaling.knative.dev/min-scale */
  minScale?: number;
  /** autoscaling.knative.dev/max-scale */
  maxScale?: number;
  /** autoscaling.knative.dev/initial-scale */
  initialScale?: number;
  /** autoscaling.knative.dev/window */
  windowMs?: number;
  /** autoscaling.knative.dev/scale-to-zero-pod-retention-period */
  scaleToZeroPodRetentionMs?: number;
  /** serving.knative.dev/progress-deadline */
  progressDeadlineMs?: number;
  /** autoscaling.knative.dev/target-burst-capacity */
  targetBurstCapacity?: number;
}

export interface PaState {
  /** The Active condition; undefined reads as Activating with no transition time (inStatusFor = −1). */
  active?: ConditionState;
  scaleTargetInitialized: boolean;
  reachability: Reachability;
  /** pa.Status.ServiceName: empty until the SKS reports its public service. */
  serviceName: string;
  annotations: PaAnnotations;
}

/** The config-autoscaler and config-deployment values the scaler reads. */
export interface ScalerConfig {
  enableScaleToZero: boolean;
  scaleToZeroGracePeriodMs: number;
  scaleToZeroPodRetentionPeriodMs: number;
  stableWindowMs: number;
  initialScale: number;
  allowZeroInitialScale: boolean;
  minScale: number;
  /** 0 means unbounded. */
  maxScale: number;
  /** config-deployment progress-deadline. */
  progressDeadlineMs: number;
  targetBurstCapacity: number;
}

export interface SksState {
  mode: SksMode;
  /** The ActivatorEndpointsPopulated condition; ProxyFor measures from its transition to True. */
  activatorEndpointsPopulated?: ConditionState;
}
