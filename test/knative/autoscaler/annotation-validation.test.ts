// Annotation validation, ported from knative/serving pkg/apis/autoscaling/annotation_validation_test.go
// TestValidateAnnotations (every row; the unnamed empty row is "empty row"), with upstream's exact
// FieldError text.
import t from 'tap';
import { validateAnnotations } from '../../../src/knative/autoscaler/annotation-validation.js';
import type { AutoscalerConfig } from '../../../src/knative/config/autoscaler-config.js';

const G = 'autoscaling.knative.dev';
const CLASS = `${G}/class`;
const MIN = `${G}/min-scale`;
const MAX = `${G}/max-scale`;
const INITIAL = `${G}/initial-scale`;
const SDD = `${G}/scale-down-delay`;
const METRIC = `${G}/metric`;
const TARGET = `${G}/target`;
const RETENTION = `${G}/scale-to-zero-pod-retention-period`;
const ALGORITHM = `${G}/metric-aggregation-algorithm`;
const WINDOW = `${G}/window`;
const TU = `${G}/target-utilization-percentage`;
const TBC = `${G}/target-burst-capacity`;
const PWP = `${G}/panic-window-percentage`;
const PTP = `${G}/panic-threshold-percentage`;
const ACTIVATION = `${G}/activation-scale`;
const KPA = 'kpa.autoscaling.knative.dev';
const HPA = 'hpa.autoscaling.knative.dev';

type Config = Pick<AutoscalerConfig, 'maxScaleLimit' | 'podAutoscalerClass' | 'allowZeroInitialScale'>;
// The test file's defaultConfig(): zero values but for the class.
const base: Config = { allowZeroInitialScale: false, maxScaleLimit: 0, podAutoscalerClass: KPA };

type Row = [name: string, annotations: Record<string, string> | null, expectErr: string, config?: Partial<Config & { maxScale: number }>];

const rows: Row[] = [
  ['nil annotations', null, ''],
  ['empty annotations', {}, ''],
  ['invalid class', { [CLASS]: 'unsupported.knative.dev' }, `invalid value: unsupported.knative.dev: ${CLASS}`],
  ['non-knative.dev domain class', { [CLASS]: 'some.other.domain' }, ''],
  ['minScale is 0', { [MIN]: '0' }, ''],
  ['maxScale is 0', { [MAX]: '0' }, ''],
  ['minScale is -1', { [MIN]: '-1' }, `expected 0 <= -1 <= 2147483647: ${MIN}`],
  ['maxScale is huuuuuuuge', { [MAX]: '2147483648' }, `expected 0 <= 2147483648 <= 2147483647: ${MAX}`],
  ['maxScale is -1', { [MAX]: '-1' }, `expected 0 <= -1 <= 2147483647: ${MAX}`],
  ['minScale is foo', { [MIN]: 'foo' }, `invalid value: foo: ${MIN}`],
  ['maxScale is bar', { [MAX]: 'bar' }, `invalid value: bar: ${MAX}`],
  ['max/minScale is bar', { [MAX]: 'bar', [MIN]: 'bar' }, `invalid value: bar: ${MAX}, ${MIN}`],
  ['minScale is 5', { [MIN]: '5' }, ''],
  ['maxScale is 2', { [MAX]: '2' }, ''],
  ['minScale is 2, maxScale is 5', { [MIN]: '2', [MAX]: '5' }, ''],
  ['minScale is 5, maxScale is 2', { [MIN]: '5', [MAX]: '2' }, `max-scale=2 is less than min-scale=5: ${MAX}, ${MIN}`],
  ['minScale is 0, maxScale is 0', { [MIN]: '0', [MAX]: '0' }, ''],
  ['maxScale is greater than MaxScaleLimit when in create', { [MAX]: '11' }, `expected 1 <= 11 <= 10: ${MAX}`, { maxScaleLimit: 10 }],
  ['maxScale is greater than MaxScaleLimit when in create and default MaxScale is set', { [MAX]: '20' }, `expected 1 <= 20 <= 10: ${MAX}`,
    { maxScaleLimit: 10, maxScale: 11 }],
  ['maxScale is explicitly set to 0 when MaxScaleLimit and default MaxScale are set', { [MAX]: '0' },
    `max-scale=0 (unlimited), must be less than 10: ${MAX}`, { maxScaleLimit: 10, maxScale: 1 }],
  ['maxScale is not set when both MaxScaleLimit and default MaxScale are set', {}, '', { maxScaleLimit: 10, maxScale: 11 }],
  ['maxScale is less than MaxScaleLimit', { [MAX]: '9' }, '', { maxScaleLimit: 10 }],
  ['min-scale, activation-scale, max-scale all set appropriately', { [MIN]: '1', [ACTIVATION]: '2', [MAX]: '3' }, ''],
  ['min-scale is greater than activation-scale', { [MIN]: '3', [ACTIVATION]: '2' }, `min-scale=3 is greater than activation-scale=2: ${ACTIVATION}`],
  ['max-scale is less than activation-scale', { [MAX]: '1', [ACTIVATION]: '2' }, `max-scale=1 is less than activation-scale=2: ${ACTIVATION}`],
  ['valid algorithm on KPA', { [ALGORITHM]: 'linear', [CLASS]: KPA }, ''],
  ['empty algorithm', { [ALGORITHM]: '', [CLASS]: KPA }, ''],
  ['random algorithm on KPA', { [ALGORITHM]: 'random-selection', [CLASS]: KPA }, `invalid value: random-selection: ${ALGORITHM}`],
  ['random algorithm on non KPA', { [ALGORITHM]: 'random-selection', [CLASS]: 'of-keys' }, ''],
  ['panic window percentage bad', { [PWP]: '-1' }, `expected 1 <= -1 <= 100: ${PWP}`],
  ['panic window percentage bad2', { [PWP]: '202' }, `expected 1 <= 202 <= 100: ${PWP}`],
  ['panic window percentage bad3', { [PWP]: 'fifty' }, `invalid value: fifty: ${PWP}`],
  ['panic window percentage good', { [PTP]: '210' }, ''],
  ['panic threshold percentage bad2', { [PTP]: '109' }, `expected 110 <= 109 <= 1000: ${PTP}`],
  ['panic threshold percentage bad2.5', { [PTP]: '10009' }, `expected 110 <= 10009 <= 1000: ${PTP}`],
  ['panic threshold percentage bad3', { [PTP]: 'fifty' }, `invalid value: fifty: ${PTP}`],
  ['target negative', { [TARGET]: '-11' }, `target -11 should be at least 0.01: ${TARGET}`],
  ['target 0', { [TARGET]: '0' }, `target 0 should be at least 0.01: ${TARGET}`],
  ['empty row', null, ''],
  ['invalid target', { [TARGET]: '100}' }, `invalid value: 100}: ${TARGET}`],
  ['target okay', { [TARGET]: '11' }, ''],
  ['TBC negative', { [TBC]: '-11' }, `invalid value: -11: ${TBC}`],
  ['TBC 0', { [TBC]: '0' }, ''],
  ['TBC 19880709', { [TBC]: '19870709' }, ''],
  ['TBC -1', { [TBC]: '-1' }, ''],
  ['TBC invalid', { [TBC]: 'qarashen' }, `invalid value: qarashen: ${TBC}`],
  ['TU too small', { [TU]: '0' }, `expected 1 <= 0 <= 100: ${TU}`],
  ['TU too big', { [TU]: '101' }, `expected 1 <= 101 <= 100: ${TU}`],
  ['TU invalid', { [TU]: 'dghyak' }, `invalid value: dghyak: ${TU}`],
  ['window invalid', { [WINDOW]: 'jerry-was-a-racecar-driver' }, `invalid value: jerry-was-a-racecar-driver: ${WINDOW}`],
  ['window too short', { [WINDOW]: '1s' }, `expected 6s <= 1s <= 1h0m0s: ${WINDOW}`],
  ['window too long', { [WINDOW]: '365h' }, `expected 6s <= 365h <= 1h0m0s: ${WINDOW}`],
  ['window too precise', { [WINDOW]: '1m9s82ms' }, `must be specified with at most second precision: ${WINDOW}`],
  ['annotation /window is valid for class KPA', { [WINDOW]: '7s', [CLASS]: KPA }, ''],
  ['annotation /window is valid for other than HPA and KPA class', { [WINDOW]: '7s', [CLASS]: 'test' }, ''],
  ['value too long and valid class for /window annotation', { [WINDOW]: '365h', [CLASS]: KPA }, `expected 6s <= 365h <= 1h0m0s: ${WINDOW}`],
  ['invalid format and valid class for /window annotation', { [WINDOW]: 'jerry-was-a-racecar-driver', [CLASS]: KPA },
    `invalid value: jerry-was-a-racecar-driver: ${WINDOW}`],
  ['valid 0 last pod scaledown timeout', { [RETENTION]: '0' }, ''],
  ['valid positive last pod scaledown timeout', { [RETENTION]: '21m31s' }, ''],
  ['invalid positive last pod scaledown timeout', { [RETENTION]: '311m' }, `expected 0s <= 311m <= 1h0m0s: ${RETENTION}`],
  ['invalid negative last pod scaledown timeout', { [RETENTION]: '-42s' }, `expected 0s <= -42s <= 1h0m0s: ${RETENTION}`],
  ['invalid last pod scaledown timeout', { [RETENTION]: 'twenty-two-minutes-and-five-seconds' },
    `invalid value: twenty-two-minutes-and-five-seconds: ${RETENTION}`],
  ['valid 0 scale down delay', { [SDD]: '0' }, ''],
  ['valid positive scale down delay', { [SDD]: '21m31s' }, ''],
  ['invalid positive scale down delay', { [SDD]: '311m' }, `expected 0s <= 311m <= 1h0m0s: ${SDD}`],
  ['invalid positive scale down delay - too precise', { [SDD]: '42.5s' }, `must be specified with at most second precision: ${SDD}`],
  ['invalid negative scale down delay', { [SDD]: '-42s' }, `expected 0s <= -42s <= 1h0m0s: ${SDD}`],
  ['invalid scale down delay', { [SDD]: 'twenty-two-minutes-and-five-seconds' }, `invalid value: twenty-two-minutes-and-five-seconds: ${SDD}`],
  ['all together now fail', { [PTP]: 'fifty', [PWP]: '-11', [MIN]: '-4', [MAX]: 'never' },
    `expected 0 <= -4 <= 2147483647: ${MIN}\nexpected 1 <= -11 <= 100: ${PWP}\ninvalid value: fifty: ${PTP}\ninvalid value: never: ${MAX}`],
  ['all together now, succeed', { [PTP]: '125', [PWP]: '75', [MIN]: '5', [MAX]: '8', [WINDOW]: '1984s' }, ''],
  ['invalid metric for default class(KPA)', { [METRIC]: 'cpu' }, `invalid value: cpu: ${METRIC}`],
  ['invalid metric for HPA class', { [METRIC]: '', [CLASS]: HPA }, `invalid value: : ${METRIC}`],
  ['valid class KPA with metric RPS', { [METRIC]: 'rps' }, ''],
  ['valid class KPA with metric Concurrency', { [METRIC]: 'concurrency' }, ''],
  ['valid class HPA with metric CPU', { [CLASS]: HPA, [METRIC]: 'cpu' }, ''],
  ['other than HPA and KPA class', { [CLASS]: 'other', [METRIC]: 'rps' }, ''],
  ['initial scale is zero but cluster doesn\'t allow', { [INITIAL]: '0' }, `invalid value: 0: ${INITIAL}=0 not allowed by cluster`],
  ['valid global class HPA with metric CPU', { [METRIC]: 'cpu' }, '', { podAutoscalerClass: HPA }],
  ['initial scale is zero and cluster allows', { [INITIAL]: '0' }, '', { allowZeroInitialScale: true }],
  ['initial scale is greater than 0', { [INITIAL]: '2' }, ''],
  ['initial scale is less than 0', { [INITIAL]: '-1' }, `invalid value: -1: ${INITIAL} must be greater than 0`],
  ['initial scale non-parseable', { [INITIAL]: 'invalid' }, `invalid value: invalid: ${INITIAL}`],
];

t.test('TestValidateAnnotations', async (t) => {
  for (const [name, annotations, expectErr, config] of rows) {
    const error = validateAnnotations({ ...base, ...config }, annotations);
    t.equal(error === null ? '' : error.error(), expectErr, name);
  }
});

t.test('legacy camelCase aliases are validated and named as written', async (t) => {
  t.equal(validateAnnotations(base, { [`${G}/minScale`]: '-1' })?.error(), `expected 0 <= -1 <= 2147483647: ${G}/minScale`);
  t.equal(validateAnnotations(base, { [`${G}/scaleDownDelay`]: '1.5s' })?.error(), `must be specified with at most second precision: ${G}/scaleDownDelay`);
  t.equal(validateAnnotations(base, { [`${G}/targetBurstCapacity`]: '-2' })?.error(), `invalid value: -2: ${G}/targetBurstCapacity`);
  // The current key wins over its alias: only the current key's value is checked.
  t.equal(validateAnnotations(base, { [MIN]: '1', [`${G}/minScale`]: 'junk' }), null);
});

t.test('the error lists the annotations it names', async (t) => {
  const error = validateAnnotations(base, { [MIN]: '5', [MAX]: '2', [TARGET]: '0' });
  t.same(error?.paths(), [MAX, MIN, TARGET]);
});
