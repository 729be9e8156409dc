// Ports of knative/serving pkg/reconciler/autoscaling/kpa/scaler_test.go TestScaler (every row)
// and TestDisableScaleToZero against scaleDecision. Upstream's fakes map onto the decision:
// wantScaling ⇔ patchReplicas set (to wantReplicas), wantCBCount ⇔ requeueAfterMs set,
// wantAsyncProbeCount ⇔ offerAsyncProbe. Upstream replaces the sync prober with a stub that answers
// true unless a row says otherwise; here that is the activatorProbeResult of the second call.
import t from 'tap';
import type { PaAnnotations, PaState, Reachability, ScalerConfig, SksState } from '../../../src/knative/kpa/pa-types.js';
import {
  ACTIVATION_TIMEOUT_BUFFER_MS, applyBounds, PROXY_REQUEUE_MS, scaleDecision, type ScaleDecision, type ScaleDecisionInput,
} from '../../../src/knative/kpa/scale-decision.js';
import {
  defaultConfig, GRACE_MS, NOW_MS, pa, PA_STABLE_WINDOW_MS, PROGRESS_DEADLINE_MS, SECOND_MS, serveSks, STABLE_WINDOW_MS,
} from './fixtures.js';

const ACTIVATION_TIMEOUT_MS = PROGRESS_DEADLINE_MS + ACTIVATION_TIMEOUT_BUFFER_MS;

interface Row {
  label: string;
  startReplicas: number;
  scaleTo: number;
  minScale?: number;
  maxScale?: number;
  wantReplicas: number;
  wantScaling: boolean;
  /** Active condition status and how long ago it last changed. */
  active?: ['True' | 'False' | 'Unknown', number];
  scaleTargetInitialized?: boolean;
  reachability?: Reachability;
  annotations?: PaAnnotations;
  sks?: SksState;
  config?: Partial<ScalerConfig>;
  prober?: boolean | 'must-not-be-called';
  wantCB?: boolean;
  wantAsyncProbe?: boolean;
}

/** Runs the decision, answering a sync probe request as the row's prober would. */
function decide(row: Row): { decision: ScaleDecision; probed: number } {
  const annotations: PaAnnotations = { ...row.annotations };
  if (row.minScale) annotations.minScale = row.minScale;
  if (row.maxScale) annotations.maxScale = row.maxScale;
  const state: PaState = pa({
    annotations,
    reachability: row.reachability ?? '',
    scaleTargetInitialized: row.scaleTargetInitialized ?? false,
    ...(row.active ? { active: { status: row.active[0], lastTransitionTimeMs: NOW_MS - row.active[1] } } : {}),
  });
  const input: ScaleDecisionInput = {
    pa: state, sks: row.sks ?? serveSks(), config: defaultConfig(row.config),
    desiredScale: row.scaleTo, currentReplicas: row.startReplicas, nowMs: NOW_MS,
  };
  let decision = scaleDecision(input);
  let probed = 0;
  if (decision.probeActivator) {
    probed++;
    const answer = row.prober ?? true;
    decision = scaleDecision({ ...input, activatorProbeResult: answer === true });
  }
  return { decision, probed };
}

function proxyFor(ms: number): SksState {
  return { mode: 'Serve', activatorEndpointsPopulated: { status: 'True', lastTransitionTimeMs: NOW_MS - ms } };
}

const rows: Row[] = [
  { label: 'waits to scale to zero (just before idle period)', startReplicas: 1, scaleTo: 0, wantReplicas: 1, wantScaling: false, active: ['True', STABLE_WINDOW_MS - SECOND_MS], wantCB: true },
  { label: 'waits to scale to zero (just before idle period), custom PA window', startReplicas: 1, scaleTo: 0, wantReplicas: 1, wantScaling: false, annotations: { windowMs: PA_STABLE_WINDOW_MS }, active: ['True', PA_STABLE_WINDOW_MS - SECOND_MS], wantCB: true },
  { label: 'custom PA window, check for standard window, no probe', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, annotations: { windowMs: PA_STABLE_WINDOW_MS }, active: ['True', STABLE_WINDOW_MS] },
  { label: 'scale to 1 waiting for idle expires', startReplicas: 10, scaleTo: 0, wantReplicas: 1, wantScaling: true, active: ['True', STABLE_WINDOW_MS - SECOND_MS], wantCB: true },
  { label: 'waits to scale to zero after idle period', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, active: ['True', STABLE_WINDOW_MS] },
  { label: 'waits to scale to zero after idle period; sks in proxy mode', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, active: ['True', STABLE_WINDOW_MS], sks: { mode: 'Proxy' }, wantCB: true },
  { label: 'waits to scale to zero after idle period (custom PA window)', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, annotations: { windowMs: PA_STABLE_WINDOW_MS }, active: ['True', PA_STABLE_WINDOW_MS] },
  { label: 'can scale to zero after grace period, but 0 PA retention', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, active: ['False', GRACE_MS], annotations: { scaleToZeroPodRetentionMs: 0 }, config: { scaleToZeroPodRetentionPeriodMs: 2 * GRACE_MS } },
  { label: "can't scale to zero after grace period, but before last pod retention", startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, active: ['False', GRACE_MS], config: { scaleToZeroPodRetentionPeriodMs: 2 * GRACE_MS }, wantCB: true },
  { label: "can't scale to zero after grace period, but before last pod retention, pa defined", startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, active: ['False', GRACE_MS], annotations: { scaleToZeroPodRetentionMs: 2 * GRACE_MS }, config: { scaleToZeroPodRetentionPeriodMs: 0 }, wantCB: true },
  { label: 'scale to zero after grace period, and after last pod retention', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, active: ['False', GRACE_MS], config: { scaleToZeroPodRetentionPeriodMs: GRACE_MS } },
  { label: 'scale to zero after grace period', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, active: ['False', GRACE_MS] },
  { label: 'waits to scale to zero (just before grace period)', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, active: ['False', GRACE_MS - SECOND_MS], wantCB: true },
  { label: 'waits to scale to zero (just before grace period, sks short)', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, active: ['False', GRACE_MS - SECOND_MS], sks: proxyFor(GRACE_MS - SECOND_MS), wantCB: true },
  { label: 'waits to scale to zero (just before grace period, sks in proxy long) and last pod timeout positive', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, active: ['False', GRACE_MS - SECOND_MS], config: { scaleToZeroPodRetentionPeriodMs: 42_000 }, sks: proxyFor(GRACE_MS) },
  { label: 'waits to scale to zero (just before grace period, sks in proxy long)', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, active: ['False', GRACE_MS - SECOND_MS], sks: proxyFor(GRACE_MS) },
  { label: 'scale to zero with TBC=-1', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, annotations: { targetBurstCapacity: -1 }, active: ['False', GRACE_MS], prober: 'must-not-be-called' },
  { label: 'scale to zero after grace period, but fail prober', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, active: ['False', GRACE_MS], prober: false, wantAsyncProbe: true },
  { label: 'scale to zero after grace period, but wrong prober response', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, active: ['False', GRACE_MS], prober: false, wantAsyncProbe: true },
  { label: 'waits to scale to zero while activating until after deadline exceeded', startReplicas: 1, scaleTo: 0, wantReplicas: -1, wantScaling: false, active: ['Unknown', ACTIVATION_TIMEOUT_MS / 2], wantCB: true },
  { label: 'scale to zero while activating after deadline exceeded', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, active: ['Unknown', ACTIVATION_TIMEOUT_MS + SECOND_MS] },
  { label: 'scale to zero while activating after revision deadline exceeded', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, annotations: { progressDeadlineMs: 5000 }, active: ['Unknown', 5000 + ACTIVATION_TIMEOUT_BUFFER_MS + SECOND_MS] },
  { label: 'scale down to minScale before grace period', startReplicas: 10, scaleTo: 0, minScale: 2, wantReplicas: 2, wantScaling: true, active: ['False', GRACE_MS - SECOND_MS], reachability: 'Reachable' },
  { label: 'scale down to minScale after grace period', startReplicas: 10, scaleTo: 0, minScale: 2, wantReplicas: 2, wantScaling: true, active: ['False', GRACE_MS], reachability: 'Reachable' },
  { label: 'scale to zero ignore last pod retention if  revision is unreachable', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, active: ['False', GRACE_MS], reachability: 'Unreachable', config: { scaleToZeroPodRetentionPeriodMs: 10 * GRACE_MS } },
  { label: "can't scale to zero if revision is unreachable, but before deadline", startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, active: ['False', GRACE_MS - SECOND_MS], reachability: 'Unreachable', config: { scaleToZeroPodRetentionPeriodMs: 10 * GRACE_MS }, wantCB: true },
  { label: 'ignore minScale if unreachable', startReplicas: 10, scaleTo: 0, minScale: 2, wantReplicas: 0, wantScaling: true, active: ['False', GRACE_MS], reachability: 'Unreachable' },
  { label: 'observe minScale if reachability unknown', startReplicas: 10, scaleTo: 0, minScale: 2, wantReplicas: 2, wantScaling: true, active: ['False', GRACE_MS], reachability: '' },
  { label: 'scales up', startReplicas: 1, scaleTo: 10, wantReplicas: 10, wantScaling: true },
  { label: 'scales up to maxScale', startReplicas: 1, scaleTo: 10, maxScale: 8, wantReplicas: 8, wantScaling: true },
  { label: 'scale up inactive revision', startReplicas: 1, scaleTo: 10, wantReplicas: 10, wantScaling: true, active: ['False', GRACE_MS / 2] },
  { label: 'does not scale up from zero with no metrics', startReplicas: 0, scaleTo: -1, wantReplicas: -1, wantScaling: false, active: ['False', 0] },
  { label: 'scales up from zero to desired one', startReplicas: 0, scaleTo: 1, wantReplicas: 1, wantScaling: true },
  { label: 'scales up from zero to desired high scale', startReplicas: 0, scaleTo: 10, wantReplicas: 10, wantScaling: true },
  { label: 'negative scale does not scale', startReplicas: 12, scaleTo: -1, wantReplicas: -1, wantScaling: false, active: ['True', 0] },
  { label: 'initial scale attained, but now time to scale down', startReplicas: 2, scaleTo: 0, wantReplicas: 1, wantScaling: true, wantCB: true, active: ['True', 120_000], scaleTargetInitialized: true, annotations: { initialScale: 2 } },
  { label: "haven't scaled to initial scale, override desired scale with initial scale", startReplicas: 0, scaleTo: 1, wantReplicas: 2, wantScaling: true, active: ['Unknown', 0], annotations: { initialScale: 2 } },
  { label: 'initial scale reached for the first time', startReplicas: 5, scaleTo: 1, wantReplicas: 5, wantScaling: false, active: ['Unknown', 0], annotations: { initialScale: 5 } },
  { label: 'reaching initial scale zero', startReplicas: 0, scaleTo: 0, wantReplicas: 0, wantScaling: false, wantCB: true, active: ['False', 0], annotations: { initialScale: 0 }, config: { allowZeroInitialScale: true } },
  { label: 'unreachable revision with initialScale > 1 can scale to 0', startReplicas: 2, scaleTo: 0, wantReplicas: 1, wantScaling: true, wantCB: true, active: ['True', 120_000], annotations: { initialScale: 2 }, reachability: 'Unreachable' },
];

t.test('TestScaler table', async (t) => {
  for (const row of rows) {
    const { decision, probed } = decide(row);
    t.equal(decision.desired, row.wantReplicas, `${row.label}: desiredScale`);
    t.equal(decision.patchReplicas, row.wantScaling ? row.wantReplicas : undefined, `${row.label}: scaling`);
    t.equal(decision.requeueAfterMs !== undefined, row.wantCB ?? false, `${row.label}: enqueue callback`);
    t.equal(decision.offerAsyncProbe ?? false, row.wantAsyncProbe ?? false, `${row.label}: async probe`);
    if (row.prober === 'must-not-be-called') t.equal(probed, 0, `${row.label}: prober not called`);
  }
});

t.test('TestScaler requeue delays: remainder of the window, 3s in Proxy, the activation timeout, retention and grace remainders', async (t) => {
  const byLabel = (label: string) => decide(rows.find((r) => r.label === label)!).decision.requeueAfterMs;
  t.equal(byLabel('waits to scale to zero (just before idle period)'), SECOND_MS);
  t.equal(byLabel('waits to scale to zero after idle period; sks in proxy mode'), PROXY_REQUEUE_MS);
  t.equal(byLabel('waits to scale to zero while activating until after deadline exceeded'), ACTIVATION_TIMEOUT_MS, 'the whole timeout, not the remainder');
  t.equal(byLabel("can't scale to zero after grace period, but before last pod retention"), GRACE_MS);
  t.equal(byLabel('waits to scale to zero (just before grace period)'), GRACE_MS, 'never proxied: the whole grace period');
  t.equal(byLabel('waits to scale to zero (just before grace period, sks short)'), SECOND_MS);
});

t.test('TestDisableScaleToZero table', async (t) => {
  const cases: { label: string; scaleTo: number; minScale?: number; wantReplicas: number; wantScaling: boolean }[] = [
    { label: 'EnableScaleToZero == false and minScale == 0', scaleTo: 0, wantReplicas: 1, wantScaling: true },
    { label: 'EnableScaleToZero == false and minScale == 2', scaleTo: 0, minScale: 2, wantReplicas: 2, wantScaling: true },
    { label: 'EnableScaleToZero == false and desire pod is -1(initial value)', scaleTo: -1, wantReplicas: -1, wantScaling: false },
  ];
  for (const c of cases) {
    const d = scaleDecision({
      pa: pa({ active: { status: 'True', lastTransitionTimeMs: NOW_MS }, reachability: 'Reachable', annotations: c.minScale ? { minScale: c.minScale } : {} }),
      sks: serveSks(), config: defaultConfig({ enableScaleToZero: false }),
      desiredScale: c.scaleTo, currentReplicas: 10, nowMs: NOW_MS,
    });
    t.equal(d.desired, c.wantReplicas, c.label);
    t.equal(d.patchReplicas, c.wantScaling ? c.wantReplicas : undefined, `${c.label}: scaling`);
  }
});

t.test('the sync probe protocol: asked for once, and an empty service name answers false without probing', async (t) => {
  const inactive = pa({ active: { status: 'False', lastTransitionTimeMs: NOW_MS - GRACE_MS } });
  const input: ScaleDecisionInput = { pa: inactive, sks: serveSks(), config: defaultConfig(), desiredScale: 0, currentReplicas: 1, nowMs: NOW_MS };
  t.same(scaleDecision(input), { desired: 0, apply: false, probeActivator: true });
  t.same(scaleDecision({ ...input, activatorProbeResult: true }), { desired: 0, apply: true, patchReplicas: 0 });
  t.same(scaleDecision({ ...input, pa: { ...inactive, serviceName: '' } }), { desired: 0, apply: false, offerAsyncProbe: true });
});

t.test('a nil Active condition reads as activating with no elapsed time', async (t) => {
  const d = scaleDecision({ pa: pa({ active: undefined }), sks: serveSks(), config: defaultConfig(), desiredScale: 0, currentReplicas: 1, nowMs: NOW_MS });
  t.same(d, { desired: -1, apply: false, requeueAfterMs: ACTIVATION_TIMEOUT_MS });
});

t.test('nil replicas read as 1; -1 while activating is clamped up to min', async (t) => {
  const base = { sks: serveSks(), config: defaultConfig(), nowMs: NOW_MS };
  t.equal(scaleDecision({ ...base, pa: pa(), desiredScale: 1, currentReplicas: undefined }).patchReplicas, undefined);
  const d = scaleDecision({ ...base, pa: pa({ annotations: { minScale: 3 } }), desiredScale: -1, currentReplicas: 0 });
  t.same(d, { desired: 3, apply: true, patchReplicas: 3 });
  t.equal(applyBounds(2, 0, 100), 100, 'max 0 is unbounded');
  t.equal(applyBounds(2, 5, 100), 5);
});

t.test('boundaries: activation gives up strictly after the timeout; stable window and grace are inclusive', async (t) => {
  const at = (status: 'True' | 'False' | 'Unknown', agoMs: number) => scaleDecision({
    pa: pa({ active: { status, lastTransitionTimeMs: NOW_MS - agoMs } }), sks: serveSks(), config: defaultConfig(),
    desiredScale: 0, currentReplicas: 1, activatorProbeResult: true, nowMs: NOW_MS,
  });
  t.equal(at('Unknown', ACTIVATION_TIMEOUT_MS).desired, -1, 'CanFailActivation is inStatusFor > timeout');
  t.equal(at('Unknown', ACTIVATION_TIMEOUT_MS + 1).desired, 0);
  t.equal(at('True', STABLE_WINDOW_MS - 1).desired, 1);
  t.equal(at('True', STABLE_WINDOW_MS).desired, 0);
  t.equal(at('False', GRACE_MS - 1).patchReplicas, undefined);
  t.equal(at('False', GRACE_MS).patchReplicas, 0);
});

t.test('an Inactive transition stamped in the future (clock skew) waits out the grace period, not a retention', async (t) => {
  const d = scaleDecision({
    pa: pa({ active: { status: 'False', lastTransitionTimeMs: NOW_MS + 5000 } }), sks: serveSks(), config: defaultConfig(),
    desiredScale: 0, currentReplicas: 1, activatorProbeResult: true, nowMs: NOW_MS,
  });
  t.same(d, { desired: 0, apply: false, requeueAfterMs: GRACE_MS });
});
