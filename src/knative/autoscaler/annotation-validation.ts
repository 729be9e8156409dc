// The webhook's check of a revision's autoscaling annotations, as knative/serving
// pkg/apis/autoscaling/annotation_validation.go (ValidateAnnotations) writes it: the same checks in
// the same order, the same FieldError messages, each naming the annotation key that was set.
import type { AutoscalerConfig } from '../config/autoscaler-config.js';
import { AUTOSCALING_LIMITS as LIMITS } from '../config/autoscaling-limits.js';
import { DurationSyntaxError, formatDurationMs, parseDurationNs } from '../config/duration.js';
import { formatGoFloat } from '../config/go-format.js';
import { goStrconv } from '../config/go-strconv.js';
import { AGGREGATION_ALGORITHMS, ANNOTATIONS, METRICS, lookupAnnotation, type Annotations } from './annotation-keys.js';
import { KnativeFieldError as FieldError } from './knative-field-error.js';

type ValidationConfig = Pick<AutoscalerConfig, 'maxScaleLimit' | 'podAutoscalerClass' | 'allowZeroInitialScale'>;
type Result = FieldError | null;

const INT32_MAX = '2147483647';
const NS_PER_SECOND = 1_000_000_000n;
const WINDOW_MAX_NS = BigInt(LIMITS.windowMaxMs) * 1_000_000n;
const WINDOW_MIN_NS = BigInt(LIMITS.windowMinMs) * 1_000_000n;

/** getIntGE0: an int32 >= 0, or 0 and an error. */
function intGE0(m: Annotations, keys: typeof ANNOTATIONS.minScale): { value: number; error: Result } {
  const hit = lookupAnnotation(m, keys);
  if (hit === undefined) return { value: 0, error: null };
  const parsed = goStrconv.parseInt32(hit.value);
  if (!parsed.ok) {
    const error = parsed.error.problem === 'value out of range'
      ? FieldError.outOfBounds(hit.value, '0', INT32_MAX, hit.key)
      : FieldError.invalidValue(hit.value, hit.key);
    return { value: 0, error };
  }
  if (parsed.value < 0) return { value: 0, error: FieldError.outOfBounds(hit.value, '0', INT32_MAX, hit.key) };
  return { value: parsed.value, error: null };
}

function validateClass(m: Annotations): Result {
  const hit = lookupAnnotation(m, ANNOTATIONS.class);
  if (hit === undefined) return null;
  const knative = hit.value.endsWith('.knative.dev');
  return knative && hit.value !== LIMITS.kpaClass && hit.value !== LIMITS.hpaClass ? FieldError.invalidValue(hit.value, hit.key) : null;
}

function validateMaxScaleWithinLimit(key: string, maxScale: number, limit: number): Result {
  if (limit === 0) return null;
  return FieldError.also(
    maxScale > limit ? FieldError.outOfBounds(String(maxScale), '1', String(limit), key) : null,
    maxScale === 0 ? FieldError.of(`max-scale=0 (unlimited), must be less than ${limit}`, [key]) : null,
  );
}

function validateActivationScale(m: Annotations, min: number, max: number): Result {
  const hit = lookupAnnotation(m, ANNOTATIONS.activationScale);
  if (hit === undefined) return null;
  const parsed = goStrconv.parseInt32(hit.value);
  if (!parsed.ok) return FieldError.invalidValue(hit.value, hit.key);
  const activation = parsed.value;
  if (min > activation) return FieldError.of(`min-scale=${min} is greater than activation-scale=${activation}`, [hit.key]);
  if (max < activation && max !== 0) return FieldError.of(`max-scale=${max} is less than activation-scale=${activation}`, [hit.key]);
  if (activation < 2) return FieldError.of(`activation-scale=${activation} must be greater than 1`, [hit.key]);
  return null;
}

function validateMinMaxScale(config: ValidationConfig, m: Annotations): Result {
  const min = intGE0(m, ANNOTATIONS.minScale);
  const max = intGE0(m, ANNOTATIONS.maxScale);
  const maxHit = lookupAnnotation(m, ANNOTATIONS.maxScale);
  return FieldError.also(
    min.error,
    max.error,
    max.value !== 0 && max.value < min.value
      ? FieldError.of(`max-scale=${max.value} is less than min-scale=${min.value}`, [ANNOTATIONS.maxScale[0], ANNOTATIONS.minScale[0]])
      : null,
    maxHit === undefined ? null : validateMaxScaleWithinLimit(maxHit.key, max.value, config.maxScaleLimit),
    validateActivationScale(m, min.value, max.value),
  );
}

/** One float annotation: unparsable is an invalid value; `bounds` reports a range problem. */
function floatCheck(m: Annotations, keys: typeof ANNOTATIONS.target, bounds: (value: number, text: string, key: string) => Result): Result {
  const hit = lookupAnnotation(m, keys);
  if (hit === undefined) return null;
  const parsed = goStrconv.parseFloat(hit.value);
  if (!parsed.ok) return FieldError.invalidValue(hit.value, hit.key);
  return bounds(parsed.value, hit.value, hit.key);
}

const within = (lower: number, upper: number) => (value: number, text: string, key: string): Result =>
  (value < lower || value > upper ? FieldError.outOfBounds(text, formatGoFloat(lower), formatGoFloat(upper), key) : null);

function validateFloats(m: Annotations): Result {
  const tbc = lookupAnnotation(m, ANNOTATIONS.targetBurstCapacity);
  const tbcValue = tbc === undefined ? null : goStrconv.parseFloat(tbc.value);
  return FieldError.also(
    floatCheck(m, ANNOTATIONS.panicWindowPercentage, within(LIMITS.panicWindowPercentageMin, LIMITS.panicWindowPercentageMax)),
    floatCheck(m, ANNOTATIONS.panicThresholdPercentage, within(LIMITS.panicThresholdPercentageMin, LIMITS.panicThresholdPercentageMax)),
    floatCheck(m, ANNOTATIONS.target, (value, text, key) => (value < LIMITS.targetMin
      ? FieldError.generic(`target ${text} should be at least ${formatGoFloat(LIMITS.targetMin)}`, key) : null)),
    floatCheck(m, ANNOTATIONS.targetUtilizationPercentage, within(1, 100)),
    tbc !== undefined && tbcValue !== null && (!tbcValue.ok || (tbcValue.value < 0 && tbcValue.value !== -1))
      ? FieldError.invalidValue(tbc.value, tbc.key) : null,
  );
}

/** A duration annotation: unparsable → invalid value; else `bounds` decides. */
function durationCheck(m: Annotations, keys: typeof ANNOTATIONS.window, bounds: (ns: bigint, text: string, key: string) => Result, reportKey?: string): Result {
  const hit = lookupAnnotation(m, keys);
  if (hit === undefined) return null;
  const key = reportKey ?? hit.key;
  let ns: bigint;
  try {
    ns = parseDurationNs(hit.value);
  } catch (error) {
    if (error instanceof DurationSyntaxError) return FieldError.invalidValue(hit.value, key);
    throw error;
  }
  return bounds(ns, hit.value, key);
}

const SECOND_PRECISION = 'must be specified with at most second precision';

function upToWindowMax(wholeSeconds: boolean) {
  return (ns: bigint, text: string, key: string): Result => {
    if (ns < 0n || ns > WINDOW_MAX_NS) return FieldError.outOfBounds(text, '0s', formatDurationMs(LIMITS.windowMaxMs), key);
    if (wholeSeconds && ns % NS_PER_SECOND !== 0n) return FieldError.generic(SECOND_PRECISION, key);
    return null;
  };
}

function validateWindow(m: Annotations): Result {
  // Upstream reports the window under its canonical key.
  return durationCheck(m, ANNOTATIONS.window, (ns, text, key) => {
    if (ns < WINDOW_MIN_NS || ns > WINDOW_MAX_NS) {
      return FieldError.outOfBounds(text, formatDurationMs(LIMITS.windowMinMs), formatDurationMs(LIMITS.windowMaxMs), key);
    }
    return ns % NS_PER_SECOND !== 0n ? FieldError.generic(SECOND_PRECISION, key) : null;
  }, ANNOTATIONS.window[0]);
}

function validateMetric(config: ValidationConfig, m: Annotations): Result {
  const hit = lookupAnnotation(m, ANNOTATIONS.metric);
  if (hit === undefined) return null;
  const paClass = lookupAnnotation(m, ANNOTATIONS.class)?.value ?? config.podAutoscalerClass;
  const metric = hit.value;
  if (paClass === LIMITS.kpaClass && (metric === METRICS.concurrency || metric === METRICS.rps)) return null;
  if (paClass === LIMITS.hpaClass && metric !== '') return null;
  if (paClass !== LIMITS.kpaClass && paClass !== LIMITS.hpaClass) return null;
  return FieldError.invalidValue(metric, ANNOTATIONS.metric[0]);
}

function validateAlgorithm(m: Annotations): Result {
  // Only the KPA's algorithms are known; other classes may define their own.
  if (lookupAnnotation(m, ANNOTATIONS.class)?.value !== LIMITS.kpaClass) return null;
  const hit = lookupAnnotation(m, ANNOTATIONS.metricAggregationAlgorithm);
  if (hit === undefined || hit.value === '') return null;
  const known: string[] = Object.values(AGGREGATION_ALGORITHMS);
  return known.includes(hit.value) ? null : FieldError.invalidValue(hit.value, hit.key);
}

function validateInitialScale(config: ValidationConfig, m: Annotations): Result {
  const hit = lookupAnnotation(m, ANNOTATIONS.initialScale);
  if (hit === undefined) return null;
  const parsed = goStrconv.atoi(hit.value);
  if (!parsed.ok) return FieldError.invalidValue(hit.value, hit.key);
  if (parsed.value < 0) return FieldError.invalidValue(hit.value, `${hit.key} must be greater than 0`);
  if (!config.allowZeroInitialScale && parsed.value === 0) return FieldError.invalidValue(hit.value, `${hit.key}=0 not allowed by cluster`);
  return null;
}

/** ValidateAnnotations: null when valid, else every problem found (error() prints upstream's text). */
export function validateAnnotations(config: ValidationConfig, annotations: Annotations): FieldError | null {
  return FieldError.also(
    validateClass(annotations),
    validateMinMaxScale(config, annotations),
    validateFloats(annotations),
    validateWindow(annotations),
    durationCheck(annotations, ANNOTATIONS.scaleToZeroPodRetentionPeriod, upToWindowMax(false)),
    durationCheck(annotations, ANNOTATIONS.scaleDownDelay, upToWindowMax(true)),
    validateMetric(config, annotations),
    validateAlgorithm(annotations),
    validateInitialScale(config, annotations),
  );
}
