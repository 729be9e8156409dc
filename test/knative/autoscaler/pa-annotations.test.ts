// Annotation readers, ported from knative/serving pkg/apis/autoscaling/v1alpha1/pa_lifecycle_test.go
// (TestTargetAnnotation, TestScaleBounds, TestClass, TestMetric, TestScaleDownDelayAnnotation,
// TestProgressDelayAnnotation, TestWindowAnnotation, TestPanicWindowPercentageAnnotation,
// TestTargetUtilization, TestPanicThresholdPercentage, TestActivationScaleAnnotation, TestTargetBC,
// TestScaleToZeroPodRetention, TestInitialScale) and pkg/reconciler/autoscaling/kpa/resources/
// decider_test.go TestGetInitialScale. Upstream's (0, false) is undefined here.
import t from 'tap';
import { paAnnotations, type PodAutoscalerView, type Reachability } from '../../../src/knative/autoscaler/pa-annotations.js';
import { DEFAULT_AUTOSCALER_CONFIG } from '../../../src/knative/config/autoscaler-config.js';

const G = 'autoscaling.knative.dev';
const pa = (annotations: Record<string, string> | null, extra: Partial<PodAutoscalerView> = {}): PodAutoscalerView => ({ annotations, ...extra });

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];
type ReaderRow = [name: string, annotations: Record<string, string> | null, want: number | undefined];

function readerTable(t: TapTest, test: string, read: (p: PodAutoscalerView) => number | undefined, rows: ReaderRow[]): void {
  for (const [name, annotations, want] of rows) t.equal(read(pa(annotations)), want, `${test}/${name}`);
}

t.test('TestTargetAnnotation', async (t) => {
  readerTable(t, 'TestTargetAnnotation', paAnnotations.target, [
    ['not present', {}, undefined], ['present', { [`${G}/target`]: '1' }, 1], ['present float', { [`${G}/target`]: '19.82' }, 19.82],
    ['invalid format', { [`${G}/target`]: 'sandwich' }, undefined],
  ]);
});

t.test('TestScaleBounds', async (t) => {
  const rows: [string, string, string, { minScale?: number; maxScale?: number }, Reachability, number, number][] = [
    ['present', '1', '100', {}, '', 1, 100],
    ['absent', '', '', {}, '', 0, 0],
    ['only min', '1', '', {}, '', 1, 0],
    ['only min, overridden', '1', '', { maxScale: 10 }, '', 1, 10],
    ['max and config', '', '5', { maxScale: 10 }, '', 0, 5],
    ['only max', '', '1', {}, '', 0, 1],
    ['reachable', '1', '100', {}, 'Reachable', 1, 100],
    ['unreachable', '1', '100', {}, 'Unreachable', 0, 100],
    ['malformed', 'ham', 'sandwich', {}, '', 0, 0],
    ['min-scale set but unreachable', '', '', { minScale: 2 }, 'Unreachable', 0, 0],
  ];
  for (const [name, min, max, config, reachability, wantMin, wantMax] of rows) {
    const annotations: Record<string, string> = {};
    if (min !== '') annotations[`${G}/min-scale`] = min;
    if (max !== '') annotations[`${G}/max-scale`] = max;
    const got = paAnnotations.scaleBounds(pa(annotations, { reachability }), { minScale: 0, maxScale: 0, ...config });
    t.same(got, { min: wantMin, max: wantMax }, name);
  }
  t.same(paAnnotations.scaleBounds(pa({}), { minScale: 3, maxScale: 0 }), { min: 3, max: 0 }, 'config min-scale applies when reachable');
  t.same(paAnnotations.scaleBounds(pa({ [`${G}/minScale`]: '4', [`${G}/maxScale`]: '9' }), { minScale: 0, maxScale: 0 }), { min: 4, max: 9 }, 'legacy aliases');
});

t.test('TestClass and TestMetric', async (t) => {
  const KPA = 'kpa.autoscaling.knative.dev';
  const HPA = 'hpa.autoscaling.knative.dev';
  t.equal(paAnnotations.class(pa({ [`${G}/class`]: KPA })), KPA, 'TestClass/kpa class');
  t.equal(paAnnotations.class(pa({ [`${G}/class`]: HPA })), HPA, 'TestClass/hpa class');
  t.equal(paAnnotations.class(pa({})), KPA, 'TestClass/default class');
  t.equal(paAnnotations.class(pa({ [`${G}/class`]: 'yolo.sandwich.com' })), 'yolo.sandwich.com', 'TestClass/custom class');
  t.equal(paAnnotations.metric(pa({ [`${G}/metric`]: 'concurrency' })), 'concurrency', 'TestMetric/default class, annotation set');
  t.equal(paAnnotations.metric(pa({ [`${G}/class`]: HPA })), 'cpu', 'TestMetric/hpa class');
  t.equal(paAnnotations.metric(pa({ [`${G}/class`]: KPA })), 'concurrency', 'TestMetric/kpa class');
  t.equal(paAnnotations.metric(pa({ [`${G}/class`]: 'yolo.sandwich.com' })), '', 'TestMetric/custom class');
});

t.test('duration annotations: TestScaleDownDelayAnnotation, TestProgressDelayAnnotation, TestWindowAnnotation, TestScaleToZeroPodRetention', async (t) => {
  const tables: [string, string, (p: PodAutoscalerView) => number | undefined][] = [
    ['TestScaleDownDelayAnnotation', `${G}/scale-down-delay`, paAnnotations.scaleDownDelayMs],
    ['TestProgressDelayAnnotation', 'serving.knative.dev/progress-deadline', paAnnotations.progressDeadlineMs],
    ['TestWindowAnnotation', `${G}/window`, paAnnotations.windowMs],
  ];
  for (const [test, key, read] of tables) {
    readerTable(t, test, read, [
      ['not present', {}, undefined], ['present', { [key]: '120s' }, 120_000], ['complex', { [key]: '2m33s' }, 153_000],
      ['invalid', { [key]: '365d' }, undefined],
    ]);
  }
  const key = `${G}/scale-to-zero-pod-retention-period`;
  readerTable(t, 'TestScaleToZeroPodRetention', paAnnotations.scaleToZeroPodRetentionMs, [
    ['nil', null, undefined], ['not present', {}, undefined], ['present', { [key]: '311s' }, 311_000],
    ['complex', { [key]: '4m21s' }, 261_000], ['invalid', { [key]: '365d' }, undefined],
  ]);
});

t.test('float annotations: TestPanicWindowPercentageAnnotation, TestTargetUtilization, TestPanicThresholdPercentage, TestTargetBC', async (t) => {
  readerTable(t, 'TestPanicWindowPercentageAnnotation', paAnnotations.panicWindowPercentage, [
    ['not present', {}, undefined], ['present', { [`${G}/panic-window-percentage`]: '10.0' }, 10],
    ['malformed', { [`${G}/panic-window-percentage`]: 'sandwich' }, undefined],
  ]);
  readerTable(t, 'TestTargetUtilization', paAnnotations.targetUtilization, [
    ['not present', {}, undefined], ['present', { [`${G}/target-utilization-percentage`]: '10.0' }, 0.1],
    ['malformed', { [`${G}/target-utilization-percentage`]: 'NPH' }, undefined],
  ]);
  readerTable(t, 'TestPanicThresholdPercentage', paAnnotations.panicThresholdPercentage, [
    ['not present', {}, undefined], ['present', { [`${G}/panic-threshold-percentage`]: '300.0' }, 300],
  ]);
  readerTable(t, 'TestTargetBC', paAnnotations.targetBurstCapacity, [
    ['not present', {}, undefined], ['present', { [`${G}/target-burst-capacity`]: '101.0' }, 101],
    ['present 0', { [`${G}/target-burst-capacity`]: '0' }, 0], ['present -1', { [`${G}/target-burst-capacity`]: '-1' }, -1],
    ['malformed', { [`${G}/target-burst-capacity`]: 'NPH' }, undefined],
  ]);
});

t.test('int annotations: TestActivationScaleAnnotation, TestInitialScale', async (t) => {
  readerTable(t, 'TestActivationScaleAnnotation', paAnnotations.activationScale, [
    ['not present', {}, undefined], ['present', { [`${G}/activation-scale`]: '5' }, 5], ['invalid', { [`${G}/activation-scale`]: '5s' }, undefined],
  ]);
  readerTable(t, 'TestInitialScale', paAnnotations.initialScale, [
    ['nil', null, undefined], ['not present', {}, undefined], ['present', { [`${G}/initial-scale`]: '2' }, 2],
  ]);
});

t.test('TestGetInitialScale (kpa/resources/decider_test.go)', async (t) => {
  const key = `${G}/initial-scale`;
  const rows: [string, Record<string, string>, boolean, number][] = [
    ['revision initial scale not set', {}, false, 1],
    ['revision initial scale overrides cluster initial scale', { [key]: '2' }, false, 2],
    ['cluster allows initial scale zero', { [key]: '0' }, true, 0],
    ['cluster does not allows initial scale zero', { [key]: '0' }, false, 1],
  ];
  for (const [name, annotations, allowZero, want] of rows) {
    t.equal(paAnnotations.getInitialScale(pa(annotations), { ...DEFAULT_AUTOSCALER_CONFIG, allowZeroInitialScale: allowZero }), want, name);
  }
});
