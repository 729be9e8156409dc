// Bounds and names that both config-autoscaler and the per-revision annotations use
// (knative/serving pkg/apis/autoscaling/register.go; BucketSize from pkg/autoscaler/config/config.go).

export const AUTOSCALING_LIMITS = Object.freeze({
  /** KPA class name (autoscaling.KPA). */
  kpaClass: 'kpa.autoscaling.knative.dev',
  /** HPA class name (autoscaling.HPA). */
  hpaClass: 'hpa.autoscaling.knative.dev',
  /** autoscaling.TargetMin: the smallest target value. */
  targetMin: 0.01,
  /** autoscaling.WindowMin / WindowMax: bounds of the stable window. */
  windowMinMs: 6_000,
  windowMaxMs: 3_600_000,
  panicWindowPercentageMin: 1,
  panicWindowPercentageMax: 100,
  panicThresholdPercentageMin: 110,
  panicThresholdPercentageMax: 1000,
  /** config.BucketSize: metric bucket granularity and the smallest panic window. */
  bucketSizeMs: 1_000,
});
