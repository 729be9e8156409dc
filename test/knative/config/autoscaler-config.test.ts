// config-autoscaler parsing and validation, ported from knative/serving
// pkg/autoscaler/config/config_test.go TestNewConfig (every row), with upstream's error text.
import t from 'tap';
import {
  ConfigError, DEFAULT_AUTOSCALER_CONFIG, parseAutoscalerConfig, validateAutoscalerConfig, type AutoscalerConfig,
} from '../../../src/knative/config/autoscaler-config.js';

/** The ConfigError `run` throws (a test failure when it throws nothing). */
function thrown(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  return new ConfigError('', '', '', 'did not throw');
}

const want = (overrides: Partial<AutoscalerConfig> = {}): AutoscalerConfig => ({ ...DEFAULT_AUTOSCALER_CONFIG, ...overrides });

// The _example block of config/core/configmaps/autoscaler.yaml, as key/value data.
const EXAMPLE: Record<string, string> = {
  'container-concurrency-target-percentage': '70',
  'container-concurrency-target-default': '100',
  'requests-per-second-target-default': '200',
  'target-burst-capacity': '211',
  'stable-window': '60s',
  'panic-window-percentage': '10.0',
  'panic-threshold-percentage': '200.0',
  'max-scale-up-rate': '1000.0',
  'max-scale-down-rate': '2.0',
  'enable-scale-to-zero': 'true',
  'scale-to-zero-grace-period': '30s',
  'scale-to-zero-pod-retention-period': '0s',
  'pod-autoscaler-class': 'kpa.autoscaling.knative.dev',
  'activator-capacity': '100.0',
  'initial-scale': '1',
  'allow-zero-initial-scale': 'false',
  'min-scale': '0',
  'max-scale': '0',
  'scale-down-delay': '0s',
  'max-scale-limit': '0',
};

t.test('defaults match upstream defaultConfig()', async (t) => {
  t.same(DEFAULT_AUTOSCALER_CONFIG, {
    enableScaleToZero: true, containerConcurrencyTargetFraction: 0.7, containerConcurrencyTargetDefault: 100,
    targetUtilization: 0.7, rpsTargetDefault: 200, maxScaleUpRate: 1000, maxScaleDownRate: 2, targetBurstCapacity: 211,
    panicWindowPercentage: 10, activatorCapacity: 100, panicThresholdPercentage: 200, stableWindowMs: 60_000,
    scaleToZeroGracePeriodMs: 30_000, scaleToZeroPodRetentionPeriodMs: 0, scaleDownDelayMs: 0,
    podAutoscalerClass: 'kpa.autoscaling.knative.dev', allowZeroInitialScale: false, initialScale: 1,
    minScale: 0, maxScale: 0, maxScaleLimit: 0,
  });
});

t.test('TestNewConfig: valid ConfigMaps', async (t) => {
  const rows: [string, Record<string, string>, AutoscalerConfig][] = [
    ['default', {}, want()],
    ['actual (only the _example key)', { _example: Object.entries(EXAMPLE).map(([k, v]) => `${k}: "${v}"`).join('\n') }, want()],
    ['example', EXAMPLE, want()],
    ['overridden', {
      'enable-scale-to-zero': 'true', 'max-scale-down-rate': '3.0', 'max-scale-up-rate': '1.01',
      'container-concurrency-target-percentage': '0.71', 'container-concurrency-target-default': '10.5',
      'requests-per-second-target-default': '10.11', 'target-burst-capacity': '12345', 'scale-down-delay': '15m',
      'stable-window': '5m', 'tick-interval': '2s', 'panic-window-percentage': '10', 'panic-threshold-percentage': '200',
      'pod-autoscaler-class': 'some.class', 'activator-capacity': '905', 'scale-to-zero-pod-retention-period': '2m3s',
    }, want({
      targetBurstCapacity: 12345, containerConcurrencyTargetDefault: 10.5, containerConcurrencyTargetFraction: 0.71,
      rpsTargetDefault: 10.11, maxScaleDownRate: 3, maxScaleUpRate: 1.01, scaleDownDelayMs: 15 * 60_000,
      stableWindowMs: 5 * 60_000, activatorCapacity: 905, podAutoscalerClass: 'some.class',
      scaleToZeroPodRetentionPeriodMs: 123_000,
    })],
    ['minimum', {
      'max-scale-up-rate': '1.001', 'container-concurrency-target-percentage': '0.5', 'container-concurrency-target-default': '10.0',
      'target-burst-capacity': '0', 'stable-window': '5m', 'tick-interval': '2s', 'panic-window-percentage': '10',
      'panic-threshold-percentage': '200', 'activator-capacity': '1',
    }, want({
      containerConcurrencyTargetFraction: 0.5, containerConcurrencyTargetDefault: 10, maxScaleUpRate: 1.001,
      targetBurstCapacity: 0, stableWindowMs: 300_000, activatorCapacity: 1,
    })],
    ['concurrency target percentage as percent', { 'container-concurrency-target-percentage': '55' }, want({ containerConcurrencyTargetFraction: 0.55 })],
    ['with -1 tbc', { 'target-burst-capacity': '-1' }, want({ targetBurstCapacity: -1 })],
    ['with toggles on strange casing', { 'enable-scale-to-zero': 'TRUE' }, want()],
    ['with toggles explicitly flipped', { 'enable-scale-to-zero': 'false', 'min-scale': '1', 'max-scale': '2' },
      want({ enableScaleToZero: false, minScale: 1, maxScale: 2 })],
    ['with explicit grace period', { 'enable-scale-to-zero': 'false', 'scale-to-zero-grace-period': '33s', 'min-scale': '1', 'max-scale': '2' },
      want({ enableScaleToZero: false, scaleToZeroGracePeriodMs: 33_000, minScale: 1, maxScale: 2 })],
    ['with valid default initial scale', { 'allow-zero-initial-scale': 'true', 'initial-scale': '0' },
      want({ allowZeroInitialScale: true, initialScale: 0 })],
    ['with valid default max scale', { 'max-scale': '10' }, want({ maxScale: 10 })],
    ['with min scale set but max-scale not set', { 'min-scale': '4' }, want({ minScale: 4 })],
    ['with valid default max scale and max scale limit', { 'max-scale': '10', 'max-scale-limit': '11' }, want({ maxScale: 10, maxScaleLimit: 11 })],
  ];
  for (const [name, data, expected] of rows) t.same(parseAutoscalerConfig(data), expected, name);
});

t.test('TestNewConfig: invalid ConfigMaps fail with upstream messages, naming the key', async (t) => {
  const rows: [string, Record<string, string>, string, string][] = [
    ['malformed float', { 'max-scale-up-rate': 'not a float' }, 'max-scale-up-rate',
      'failed to parse data: failed to parse "max-scale-up-rate": strconv.ParseFloat: parsing "not a float": invalid syntax'],
    ['invalid scale-down-delay', { 'scale-down-delay': '-1m23s' }, 'scale-down-delay', 'scale-down-delay cannot be negative, was: -1m23s'],
    ['invalid pod retention period', { 'scale-to-zero-pod-retention-period': '-4m11s' }, 'scale-to-zero-pod-retention-period',
      'scale-to-zero-pod-retention-period cannot be negative, was: -4m11s'],
    ['malformed duration', { 'stable-window': 'not a duration' }, 'stable-window',
      'failed to parse data: failed to parse "stable-window": time: invalid duration "not a duration"'],
    ['invalid target burst capacity', { 'target-burst-capacity': '-11' }, 'target-burst-capacity',
      'target-burst-capacity must be either non-negative or -1 (for unlimited), was: -11.000000'],
    ['invalid target %, too small', { 'container-concurrency-target-percentage': '-42' }, 'container-concurrency-target-percentage',
      'container-concurrency-target-percentage = -42.000000 is outside of valid range of (0, 100]'],
    ['invalid target %, too big', { 'container-concurrency-target-percentage': '142.4' }, 'container-concurrency-target-percentage',
      'container-concurrency-target-percentage = 1.424000 is outside of valid range of (0, 100]'],
    ['invalid RPS target, too small', { 'requests-per-second-target-default': '-5.25' }, 'requests-per-second-target-default',
      'requests-per-second-target-default must be at least 0.01, was: -5.25'],
    ['max scale up rate 1.0', { 'max-scale-up-rate': '1' }, 'max-scale-up-rate', 'max-scale-up-rate = 1, must be greater than 1.0'],
    ['max down down rate negative', { 'max-scale-down-rate': '-55' }, 'max-scale-down-rate', 'max-scale-down-rate = -55, must be greater than 1.0'],
    ['max down down rate 1.0', { 'max-scale-down-rate': '1' }, 'max-scale-down-rate', 'max-scale-down-rate = 1, must be greater than 1.0'],
    ['stable window too big', { 'stable-window': '1h1s' }, 'stable-window', 'stable-window = 1h0m1s, must be in [6s; 1h0m0s] range'],
    ['stable window too small', { 'stable-window': '1s' }, 'stable-window', 'stable-window = 1s, must be in [6s; 1h0m0s] range'],
    ['stable not seconds', { 'stable-window': '61984ms' }, 'stable-window', 'stable-window = 1m1.984s, must be specified with at most second precision'],
    ['scale-down-delay not seconds', { 'scale-down-delay': '61984ms' }, 'scale-down-delay',
      'scale-down-delay = 1m1.984s, must be specified with at most second precision'],
    ['activator-capacity invalid', { 'activator-capacity': '0.95' }, 'activator-capacity', 'activator-capacity = 0.95, must be at least 1'],
    ['panic window percentage too small', { 'panic-window-percentage': '0.1' }, 'panic-window-percentage',
      'panic-window-percentage = 0.1, must be in [1, 100] interval'],
    ['panic window percentage too big', { 'stable-window': '12s', 'panic-window': '3s', 'panic-window-percentage': '110' }, 'panic-window-percentage',
      'panic-window-percentage = 110, must be in [1, 100] interval'],
    ['TU*CC < 0.01', { 'container-concurrency-target-percentage': '1', 'container-concurrency-target-default': '0.001' },
      'container-concurrency-target-percentage',
      "container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of 0.001, can't be less than 0.01"],
    ['grace window too small', { 'stable-window': '12s', 'scale-to-zero-grace-period': '0s' }, 'scale-to-zero-grace-period',
      'scale-to-zero-grace-period must be positive, was: 0s'],
    ['with prohibited default initial scale', { 'allow-zero-initial-scale': 'false', 'initial-scale': '0' }, 'initial-scale',
      'initial-scale = 0, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)'],
    ['with negative default initial scale', { 'allow-zero-initial-scale': 'false', 'initial-scale': '-1' }, 'initial-scale',
      'initial-scale = -1, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)'],
    ['with non-parseable default initial scale', { 'allow-zero-initial-scale': 'false', 'initial-scale': 'invalid' }, 'initial-scale',
      'failed to parse data: failed to parse "initial-scale": strconv.ParseInt: parsing "invalid": invalid syntax'],
    ['with non-parseable allow-zero-initial-scale', { 'allow-zero-initial-scale': 'invalid' }, 'allow-zero-initial-scale',
      'failed to parse data: failed to parse "allow-zero-initial-scale": strconv.ParseBool: parsing "invalid": invalid syntax'],
    ['with negative default max scale', { 'max-scale': '-1' }, 'max-scale', 'max-scale = -1, must be in [0, max-scale-limit(0)] range'],
    ['max scale exceeding max scale limit', { 'max-scale': '10', 'max-scale-limit': '9' }, 'max-scale',
      'max-scale = 10, must be in [1, max-scale-limit(9)] range'],
    ['with negative max scale limit', { 'max-scale-limit': '-9' }, 'max-scale-limit', 'max-scale-limit = -9, must be at least 0'],
    ['with max scale limit and zero default max scale', { 'max-scale': '0', 'max-scale-limit': '11' }, 'max-scale',
      'max-scale = 0, must be in [1, max-scale-limit(11)] range'],
    ['with max scale less than min-scale', { 'min-scale': '4', 'max-scale': '3' }, 'min-scale', 'min-scale (4) must be less than max-scale (3)'],
  ];
  for (const [name, data, key, message] of rows) {
    const error = thrown(() => parseAutoscalerConfig(data));
    t.ok(error instanceof ConfigError, `${name}: throws ConfigError`);
    t.same([error.configMap, error.key, error.message], ['config-autoscaler', key, message], name);
  }
});

t.test('the error carries the offending value', async (t) => {
  t.same([thrown(() => parseAutoscalerConfig({ 'stable-window': '1h1s' })).value], ['1h0m1s']);
  t.same([thrown(() => parseAutoscalerConfig({ 'max-scale-up-rate': 'nope' })).value], ['nope']);
});

t.test('int32 keys reject values out of range; durations keep sub-millisecond precision', async (t) => {
  t.equal(thrown(() => parseAutoscalerConfig({ 'min-scale': '2147483648' })).message,
    'failed to parse data: failed to parse "min-scale": strconv.ParseInt: parsing "2147483648": value out of range');
  t.equal(parseAutoscalerConfig({ 'scale-to-zero-grace-period': '1500us' }).scaleToZeroGracePeriodMs, 1.5);
  t.equal(parseAutoscalerConfig({ 'stable-window': '1m30s' }).stableWindowMs, 90_000);
});

t.test('validateAutoscalerConfig checks a config built in code', async (t) => {
  t.doesNotThrow(() => validateAutoscalerConfig(DEFAULT_AUTOSCALER_CONFIG));
  t.equal(thrown(() => validateAutoscalerConfig(want({ stableWindowMs: 6_500 }))).message,
    'stable-window = 6.5s, must be specified with at most second precision');
});
