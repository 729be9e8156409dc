// config-autoscaler: keys, defaults, parsing and validation as knative/serving
// pkg/autoscaler/config/config.go (defaultConfig, NewConfigFromMap, validate) and
// pkg/autoscaler/config/autoscalerconfig/autoscalerconfig.go define them. Durations are virtual
// milliseconds. This ConfigMap has no legacy key aliases upstream; unknown keys (e.g. the retired
// tick-interval and panic-window) are ignored, as upstream ignores them.
import { AUTOSCALING_LIMITS as LIMITS } from './autoscaling-limits.js';
import { ConfigError } from './config-error.js';
import { ConfigMapReader } from './configmap-reader.js';
import { formatDurationMs, msToNs, nsToMs } from './duration.js';
import { formatGoFixed, formatGoFloat } from './go-format.js';

export { ConfigError } from './config-error.js';

export const AUTOSCALER_CONFIG_NAME = 'config-autoscaler';

export interface AutoscalerConfig {
  enableScaleToZero: boolean;
  /** container-concurrency-target-percentage, stored as a fraction in (0, 1]. */
  containerConcurrencyTargetFraction: number;
  containerConcurrencyTargetDefault: number;
  /** Utilization for metrics other than concurrency (RPS); not a ConfigMap key upstream. */
  targetUtilization: number;
  rpsTargetDefault: number;
  /** -1 means unlimited (activator always in the path). */
  targetBurstCapacity: number;
  activatorCapacity: number;
  allowZeroInitialScale: boolean;
  initialScale: number;
  minScale: number;
  maxScale: number;
  maxScaleLimit: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  stableWindowMs: number;
  panicWindowPercentage: number;
  panicThresholdPercentage: number;
  scaleToZeroGracePeriodMs: number;
  scaleToZeroPodRetentionPeriodMs: number;
  scaleDownDelayMs: number;
  podAutoscalerClass: string;
}

export const DEFAULT_AUTOSCALER_CONFIG: Readonly<AutoscalerConfig> = Object.freeze({
  enableScaleToZero: true,
  containerConcurrencyTargetFraction: 0.7,
  containerConcurrencyTargetDefault: 100,
  targetUtilization: 0.7,
  rpsTargetDefault: 200,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  targetBurstCapacity: 211,
  panicWindowPercentage: 10,
  activatorCapacity: 100,
  panicThresholdPercentage: 200,
  stableWindowMs: 60_000,
  scaleToZeroGracePeriodMs: 30_000,
  scaleToZeroPodRetentionPeriodMs: 0,
  scaleDownDelayMs: 0,
  podAutoscalerClass: LIMITS.kpaClass,
  allowZeroInitialScale: false,
  initialScale: 1,
  minScale: 0,
  maxScale: 0,
  maxScaleLimit: 0,
});

function readDurationMs(reader: ConfigMapReader, key: string, currentMs: number): number {
  return nsToMs(reader.durationNs(key, msToNs(currentMs)));
}

/** The cm.Parse call of NewConfigFromMap, key by key in upstream's order. */
function readKeys(reader: ConfigMapReader, c: AutoscalerConfig): void {
  c.podAutoscalerClass = reader.string('pod-autoscaler-class', c.podAutoscalerClass);
  c.enableScaleToZero = reader.bool('enable-scale-to-zero', c.enableScaleToZero);
  c.allowZeroInitialScale = reader.bool('allow-zero-initial-scale', c.allowZeroInitialScale);
  c.maxScaleUpRate = reader.float('max-scale-up-rate', c.maxScaleUpRate);
  c.maxScaleDownRate = reader.float('max-scale-down-rate', c.maxScaleDownRate);
  c.containerConcurrencyTargetFraction = reader.float('container-concurrency-target-percentage', c.containerConcurrencyTargetFraction);
  c.containerConcurrencyTargetDefault = reader.float('container-concurrency-target-default', c.containerConcurrencyTargetDefault);
  c.rpsTargetDefault = reader.float('requests-per-second-target-default', c.rpsTargetDefault);
  c.targetBurstCapacity = reader.float('target-burst-capacity', c.targetBurstCapacity);
  c.panicWindowPercentage = reader.float('panic-window-percentage', c.panicWindowPercentage);
  c.activatorCapacity = reader.float('activator-capacity', c.activatorCapacity);
  c.panicThresholdPercentage = reader.float('panic-threshold-percentage', c.panicThresholdPercentage);
  c.initialScale = reader.int32('initial-scale', c.initialScale);
  c.minScale = reader.int32('min-scale', c.minScale);
  c.maxScale = reader.int32('max-scale', c.maxScale);
  c.maxScaleLimit = reader.int32('max-scale-limit', c.maxScaleLimit);
  c.stableWindowMs = readDurationMs(reader, 'stable-window', c.stableWindowMs);
  c.scaleDownDelayMs = readDurationMs(reader, 'scale-down-delay', c.scaleDownDelayMs);
  c.scaleToZeroGracePeriodMs = readDurationMs(reader, 'scale-to-zero-grace-period', c.scaleToZeroGracePeriodMs);
  c.scaleToZeroPodRetentionPeriodMs = readDurationMs(reader, 'scale-to-zero-pod-retention-period', c.scaleToZeroPodRetentionPeriodMs);
}

/** NewConfigFromMap: defaults, the keys present, percent-to-fraction, then validate. Throws ConfigError. */
export function parseAutoscalerConfig(data: Readonly<Record<string, string>>): AutoscalerConfig {
  const config: AutoscalerConfig = { ...DEFAULT_AUTOSCALER_CONFIG };
  readKeys(new ConfigMapReader({ configMap: AUTOSCALER_CONFIG_NAME, data, errorPrefix: 'failed to parse data: ' }), config);
  // Legacy fractions in (0, 1] stay; larger values are percentages.
  if (config.containerConcurrencyTargetFraction > 1) config.containerConcurrencyTargetFraction /= 100;
  validateAutoscalerConfig(config);
  return config;
}

type Check = (c: Readonly<AutoscalerConfig>) => ConfigError | null;

const reject = (key: string, value: string, message: string): ConfigError =>
  new ConfigError(AUTOSCALER_CONFIG_NAME, key, value, message);
const d = formatDurationMs;
const v = formatGoFloat;
const notWholeSeconds = (ms: number): boolean => ms % 1000 !== 0;

const durationChecks: Check[] = [
  (c) => (c.scaleToZeroGracePeriodMs <= 0
    ? reject('scale-to-zero-grace-period', d(c.scaleToZeroGracePeriodMs), `scale-to-zero-grace-period must be positive, was: ${d(c.scaleToZeroGracePeriodMs)}`) : null),
  (c) => (c.scaleDownDelayMs < 0
    ? reject('scale-down-delay', d(c.scaleDownDelayMs), `scale-down-delay cannot be negative, was: ${d(c.scaleDownDelayMs)}`) : null),
  (c) => (notWholeSeconds(c.scaleDownDelayMs)
    ? reject('scale-down-delay', d(c.scaleDownDelayMs), `scale-down-delay = ${d(c.scaleDownDelayMs)}, must be specified with at most second precision`) : null),
  (c) => (c.scaleToZeroPodRetentionPeriodMs < 0
    ? reject('scale-to-zero-pod-retention-period', d(c.scaleToZeroPodRetentionPeriodMs), `scale-to-zero-pod-retention-period cannot be negative, was: ${d(c.scaleToZeroPodRetentionPeriodMs)}`) : null),
];

function targetCheck(c: Readonly<AutoscalerConfig>): ConfigError | null {
  const fraction = c.containerConcurrencyTargetFraction;
  if (c.targetBurstCapacity < 0 && c.targetBurstCapacity !== -1) {
    return reject('target-burst-capacity', formatGoFixed(c.targetBurstCapacity), `target-burst-capacity must be either non-negative or -1 (for unlimited), was: ${formatGoFixed(c.targetBurstCapacity)}`);
  }
  if (fraction <= 0 || fraction > 1) {
    return reject('container-concurrency-target-percentage', formatGoFixed(fraction), `container-concurrency-target-percentage = ${formatGoFixed(fraction)} is outside of valid range of (0, 100]`);
  }
  const target = fraction * c.containerConcurrencyTargetDefault;
  if (target < LIMITS.targetMin) {
    return reject('container-concurrency-target-percentage', v(target), `container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of ${v(target)}, can't be less than ${v(LIMITS.targetMin)}`);
  }
  if (c.rpsTargetDefault < LIMITS.targetMin) {
    return reject('requests-per-second-target-default', v(c.rpsTargetDefault), `requests-per-second-target-default must be at least ${v(LIMITS.targetMin)}, was: ${v(c.rpsTargetDefault)}`);
  }
  return null;
}

const rateChecks: Check[] = [
  (c) => (c.activatorCapacity < 1
    ? reject('activator-capacity', v(c.activatorCapacity), `activator-capacity = ${v(c.activatorCapacity)}, must be at least 1`) : null),
  (c) => (c.maxScaleUpRate <= 1
    ? reject('max-scale-up-rate', v(c.maxScaleUpRate), `max-scale-up-rate = ${v(c.maxScaleUpRate)}, must be greater than 1.0`) : null),
  (c) => (c.maxScaleDownRate <= 1
    ? reject('max-scale-down-rate', v(c.maxScaleDownRate), `max-scale-down-rate = ${v(c.maxScaleDownRate)}, must be greater than 1.0`) : null),
];

function windowCheck(c: Readonly<AutoscalerConfig>): ConfigError | null {
  const sw = c.stableWindowMs;
  if (sw < LIMITS.windowMinMs || sw > LIMITS.windowMaxMs) {
    return reject('stable-window', d(sw), `stable-window = ${d(sw)}, must be in [${d(LIMITS.windowMinMs)}; ${d(LIMITS.windowMaxMs)}] range`);
  }
  if (notWholeSeconds(sw)) return reject('stable-window', d(sw), `stable-window = ${d(sw)}, must be specified with at most second precision`);
  const pwp = c.panicWindowPercentage;
  if (pwp < LIMITS.panicWindowPercentageMin || pwp > LIMITS.panicWindowPercentageMax) {
    return reject('panic-window-percentage', v(pwp), `panic-window-percentage = ${v(pwp)}, must be in [${v(LIMITS.panicWindowPercentageMin)}, ${v(LIMITS.panicWindowPercentageMax)}] interval`);
  }
  return null;
}

function scaleCheck(c: Readonly<AutoscalerConfig>): ConfigError | null {
  if (c.initialScale < 0 || (c.initialScale === 0 && !c.allowZeroInitialScale)) {
    return reject('initial-scale', String(c.initialScale), `initial-scale = ${c.initialScale}, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)`);
  }
  if (c.minScale < 0) return reject('min-scale', String(c.minScale), `min-scale = ${c.minScale}, must be at least 0`);
  // A cluster-wide max-scale-limit requires a default max-scale of at least 1.
  const minMaxScale = c.maxScaleLimit > 0 ? 1 : 0;
  if (c.maxScale < minMaxScale || (c.maxScaleLimit > 0 && c.maxScale > c.maxScaleLimit)) {
    return reject('max-scale', String(c.maxScale), `max-scale = ${c.maxScale}, must be in [${minMaxScale}, max-scale-limit(${c.maxScaleLimit})] range`);
  }
  if (c.maxScaleLimit < 0) return reject('max-scale-limit', String(c.maxScaleLimit), `max-scale-limit = ${c.maxScaleLimit}, must be at least 0`);
  if (c.minScale > c.maxScale && c.maxScale > 0) {
    return reject('min-scale', String(c.minScale), `min-scale (${c.minScale}) must be less than max-scale (${c.maxScale})`);
  }
  return null;
}

const CHECKS: Check[] = [...durationChecks, targetCheck, ...rateChecks, windowCheck, scaleCheck];

/** validate() of config.go, in upstream's order; throws the first ConfigError. */
export function validateAutoscalerConfig(config: Readonly<AutoscalerConfig>): void {
  for (const check of CHECKS) {
    const error = check(config);
    if (error !== null) throw error;
  }
}
