// Ports of knative/serving pkg/reconciler/autoscaling/kpa/kpa_test.go: TestComputeActivatorNum,
// TestComputeStatus, the computeActiveCondition table in kpa.go's comment, and the TestReconcile
// rows whose outcome is decided by the pure pieces (scale → SKS mode → numActivators →
// computeStatus), composed here as ReconcileKind composes them. API failures, ownership and metric
// rows are the controller's business and are not ported here.
import t from 'tap';
import { transitionCondition } from '../../../src/knative/kpa/condition-transition.js';
import {
  ACTIVATING_QUEUED, activeThreshold, computeActiveCondition, computeNumActivators, computeStatus, decideSksMode,
  INACTIVE_NO_TRAFFIC, INACTIVE_TIMED_OUT, MIN_ACTIVATORS, paReadyStatus,
} from '../../../src/knative/kpa/pa-status.js';
import type { ConditionStatus, PaState, ScalerConfig, SksMode } from '../../../src/knative/kpa/pa-types.js';
import { scaleDecision, SCALE_UNKNOWN } from '../../../src/knative/kpa/scale-decision.js';
import { defaultConfig, initialScaleZeroConfig, NOW_MS, pa } from './fixtures.js';

t.test('TestComputeActivatorNum table', async (t) => {
  const rows: [string, number, number, number][] = [
    ['default', 0, 200, MIN_ACTIVATORS],
    ['1 pod', 1, 200, 3],
    ['tbc = 0', 100, 0, MIN_ACTIVATORS],
    ['tbc = -1', 5, -1, 5],
    ['many pods', 15, 200, 17],
  ];
  for (const [name, pods, tbc, want] of rows) {
    t.equal(computeNumActivators(pods, { totalValue: 100, targetBurstCapacity: tbc, activatorCapacity: 100 }), want, name);
  }
});

t.test('TestComputeStatus table: want −1 does not overwrite a stored DesiredScale', async (t) => {
  const rows: [string, number | undefined, number, number, number, number][] = [
    ['initial', undefined, 0, 1, 0, 1],
    ['ready', 1, 1, 1, 1, 1],
    ['stable', 1, 1, 1, 1, 1],
    ['no metrics', 2, 2, -1, 2, 2],
  ];
  for (const [name, haveDesired, ready, want, wantActual, wantDesired] of rows) {
    const s = computeStatus({ pa: pa(), config: defaultConfig(), want, ready, currentDesiredScale: haveDesired, nowMs: NOW_MS });
    t.equal(s.actualScale, wantActual, `${name}: actual`);
    t.equal(s.desiredScale, wantDesired, `${name}: desired`);
  }
  t.equal(computeStatus({ pa: pa(), config: defaultConfig(), want: -1, ready: 0, currentDesiredScale: -1, nowMs: NOW_MS }).desiredScale, -1, 'a stored −1 is replaced');
});

t.test("computeActiveCondition: the Want/Got/min table in kpa.go's comment", async (t) => {
  // `min` is the active threshold: 1 via an initialized target, 0 via initial scale 0 before it.
  type Row = [want: number, ready: number, min: number, from: ConditionStatus, to: ConditionStatus | 'unchanged'];
  const rows: Row[] = [
    [0, 5, 1, 'True', 'False'],
    [0, 0, 0, 'Unknown', 'False'],
    [3, 0, 1, 'False', 'Unknown'],
    [3, 1, 1, 'False', 'True'],
    [-1, 0, 1, 'False', 'False'],
    [-1, 0, 1, 'Unknown', 'Unknown'],
    [-1, 0, 1, 'True', 'Unknown'],
    [-1, 1, 1, 'False', 'unchanged'],
    [-1, 1, 0, 'Unknown', 'False'],
    [-1, 1, 0, 'True', 'False'],
    [-1, 1, 1, 'Unknown', 'True'],
    [-1, 1, 1, 'True', 'True'],
  ];
  for (const [want, ready, min, from, to] of rows) {
    const state = pa({ scaleTargetInitialized: min > 0, active: { status: from, lastTransitionTimeMs: 0 } });
    const config = min > 0 ? defaultConfig() : initialScaleZeroConfig();
    t.equal(activeThreshold(state, config), min);
    const got = computeActiveCondition(state, config, { want, ready });
    t.equal(got.active?.status ?? 'unchanged', to, `want ${want}, ready ${ready}, min ${min}: ${from} → ${to}`);
  }
});

t.test('computeActiveCondition reasons: TimedOut only when giving up an activation', async (t) => {
  const activating = pa({ scaleTargetInitialized: true });
  t.same(computeActiveCondition(activating, defaultConfig(), { want: 0, ready: 1 }).active, INACTIVE_TIMED_OUT);
  const active = pa({ scaleTargetInitialized: true, active: { status: 'True', lastTransitionTimeMs: 0 } });
  t.same(computeActiveCondition(active, defaultConfig(), { want: 0, ready: 1 }).active, INACTIVE_NO_TRAFFIC);
  t.same(computeActiveCondition(active, defaultConfig(), { want: 2, ready: 0 }).active, ACTIVATING_QUEUED);
});

t.test('activeThreshold: max(min, initial) before ScaleTargetInitialized, max(min, 1) after', async (t) => {
  t.equal(activeThreshold(pa({ annotations: { initialScale: 5, minScale: 2 } }), defaultConfig()), 5);
  t.equal(activeThreshold(pa({ scaleTargetInitialized: true, annotations: { initialScale: 5, minScale: 2 } }), defaultConfig()), 2);
  t.equal(activeThreshold(pa({ scaleTargetInitialized: true }), defaultConfig()), 1);
  t.equal(activeThreshold(pa({ reachability: 'Unreachable', annotations: { minScale: 4 } }), defaultConfig()), 1, 'unreachable ignores min');
  t.equal(activeThreshold(pa({ annotations: { initialScale: 0 } }), initialScaleZeroConfig()), 0);
});

t.test('decideSksMode: Serve needs want > 0 and EBC ≥ 0; want −1 while inactive stays Proxy', async (t) => {
  t.equal(decideSksMode({ want: 3, paInactive: false, excessBurstCapacity: 0 }), 'Serve');
  t.equal(decideSksMode({ want: 3, paInactive: false, excessBurstCapacity: -1 }), 'Proxy');
  t.equal(decideSksMode({ want: 0, paInactive: false, excessBurstCapacity: 10 }), 'Proxy');
  t.equal(decideSksMode({ want: SCALE_UNKNOWN, paInactive: true, excessBurstCapacity: 10 }), 'Proxy');
  t.equal(decideSksMode({ want: SCALE_UNKNOWN, paInactive: false, excessBurstCapacity: 10 }), 'Proxy');
});

t.test('decideSksMode before pr-12842: Serve unless want is 0 or EBC < 0; before pr-4669 the EBC never puts the activator in front', async (t) => {
  const v0x = { proxyByDefault: false, unknownWantWhileInactiveIsProxy: true, burstCapacity: true };
  t.equal(decideSksMode({ want: SCALE_UNKNOWN, paInactive: false, excessBurstCapacity: 0, fixes: v0x }), 'Serve', 'a new revision starts in Serve (#12887)');
  t.equal(decideSksMode({ want: 1, paInactive: false, excessBurstCapacity: -1, fixes: v0x }), 'Proxy');
  const v07 = { ...v0x, unknownWantWhileInactiveIsProxy: false, burstCapacity: false };
  t.equal(decideSksMode({ want: 1, paInactive: false, excessBurstCapacity: -1, fixes: v07 }), 'Serve', '0.7 had no burst capacity');
  t.equal(decideSksMode({ want: 0, paInactive: false, excessBurstCapacity: 5, fixes: v07 }), 'Proxy');
});

t.test('PA Ready = Active ∧ ScaleTargetInitialized ∧ SKSReady (living condition set)', async (t) => {
  t.equal(paReadyStatus({ active: 'True', scaleTargetInitialized: 'True', sksReady: 'True' }), 'True');
  t.equal(paReadyStatus({ active: 'True', scaleTargetInitialized: 'Unknown', sksReady: 'True' }), 'Unknown');
  t.equal(paReadyStatus({ active: 'True', scaleTargetInitialized: 'True', sksReady: undefined }), 'Unknown');
  t.equal(paReadyStatus({ active: 'False', scaleTargetInitialized: 'True', sksReady: 'Unknown' }), 'False');
  t.equal(paReadyStatus({ active: 'Unknown', scaleTargetInitialized: 'True', sksReady: 'True' }), 'Unknown');
});

t.test('transitionCondition: same status, reason and message keep the stamp; any change restamps', async (t) => {
  const inactive = { ...INACTIVE_NO_TRAFFIC, lastTransitionTimeMs: 10 };
  t.equal(transitionCondition(inactive, INACTIVE_NO_TRAFFIC, 99), inactive);
  t.equal(transitionCondition(inactive, INACTIVE_TIMED_OUT, 99).lastTransitionTimeMs, 99, 'a reason change restarts InactiveFor');
  t.equal(transitionCondition(undefined, { status: 'True' }, 7).lastTransitionTimeMs, 7);
  const s = computeStatus({ pa: pa({ active: inactive }), config: defaultConfig(), want: 0, ready: 0, currentDesiredScale: 0, nowMs: 500 });
  t.equal(s.active, inactive, 'computeStatus keeps an unchanged Active condition as is');
});

// ---- TestReconcile rows, composed -------------------------------------------------------------

const SIZING = { totalValue: 10, targetBurstCapacity: 200, activatorCapacity: 100 };
const HOUR_MS = 3_600_000;

interface ReconcileRow {
  name: string;
  pa: PaState;
  config?: ScalerConfig;
  desiredScale: number;
  ebc: number;
  replicas: number | undefined;
  ready: number;
  sksMode: SksMode;
  sksServiceName?: string;
  currentDesiredScale: number;
  want: { patch?: number; mode: SksMode; numActivators: number; desired: number; actual: number; active: ConditionStatus; reason?: string; sti: boolean };
}

function reconcile(row: ReconcileRow) {
  const config = row.config ?? defaultConfig();
  const scale = scaleDecision({
    pa: row.pa, sks: { mode: row.sksMode }, config, desiredScale: row.desiredScale, currentReplicas: row.replicas,
    activatorProbeResult: true, nowMs: NOW_MS,
  });
  const mode = decideSksMode({ want: scale.desired, paInactive: row.pa.active?.status === 'False', excessBurstCapacity: row.ebc });
  const numActivators = computeNumActivators(row.ready, SIZING);
  const withService = { ...row.pa, serviceName: row.sksServiceName ?? 'test-revision' };
  const status = computeStatus({ pa: withService, config, want: scale.desired, ready: row.ready, currentDesiredScale: row.currentDesiredScale, nowMs: NOW_MS });
  return {
    patch: scale.patchReplicas, mode, numActivators, desired: status.desiredScale, actual: status.actualScale,
    active: status.active?.status, reason: status.active?.reason || undefined, sti: status.scaleTargetInitialized,
  };
}

const since = (status: ConditionStatus, agoMs: number, reason?: string) => ({ status, reason, lastTransitionTimeMs: NOW_MS - agoMs });
const active = (agoMs = 0) => since('True', agoMs);
const activating = (agoMs = 0) => since('Unknown', agoMs, 'Queued');
const inactive = (agoMs = 0) => since('False', agoMs, 'NoTraffic');
const minScale11 = { minScale: 11 };

const reconcileRows: ReconcileRow[] = [
  {
    name: 'steady state', pa: pa({ active: active(), scaleTargetInitialized: true }), desiredScale: 11, ebc: 0, replicas: 11, ready: 1, sksMode: 'Serve', currentDesiredScale: 11,
    want: { mode: 'Serve', numActivators: 3, desired: 11, actual: 1, active: 'True', sti: true },
  },
  {
    name: 'scale up deployment', pa: pa({ active: active(), scaleTargetInitialized: true }), desiredScale: 11, ebc: 0, replicas: undefined, ready: 1, sksMode: 'Serve', currentDesiredScale: 11,
    want: { patch: 11, mode: 'Serve', numActivators: 3, desired: 11, actual: 1, active: 'True', sti: true },
  },
  {
    name: 'pa activates', pa: pa({ active: inactive(), scaleTargetInitialized: true }), desiredScale: 11, ebc: 0, replicas: 11, ready: 0, sksMode: 'Proxy', currentDesiredScale: 11,
    want: { mode: 'Serve', numActivators: 2, desired: 11, actual: 0, active: 'Unknown', reason: 'Queued', sti: true },
  },
  {
    name: 'kpa does not become ready without minScale endpoints when reachable', pa: pa({ reachability: 'Reachable', annotations: { minScale: 2 } }), desiredScale: 11, ebc: 0, replicas: 11, ready: 1, sksMode: 'Serve', currentDesiredScale: 11,
    want: { mode: 'Serve', numActivators: 3, desired: 11, actual: 1, active: 'Unknown', reason: 'Queued', sti: false },
  },
  {
    name: 'kpa does not become ready without minScale endpoints when reachability is unknown', pa: pa({ annotations: { minScale: 2 } }), desiredScale: 11, ebc: 0, replicas: 11, ready: 1, sksMode: 'Serve', currentDesiredScale: 11,
    want: { mode: 'Serve', numActivators: 3, desired: 11, actual: 1, active: 'Unknown', reason: 'Queued', sti: false },
  },
  {
    name: 'kpa becomes ready without minScale endpoints when unreachable', pa: pa({ reachability: 'Unreachable', annotations: { minScale: 2 } }), desiredScale: 11, ebc: 0, replicas: 11, ready: 1, sksMode: 'Serve', currentDesiredScale: 11,
    want: { mode: 'Serve', numActivators: 3, desired: 11, actual: 1, active: 'True', sti: true },
  },
  {
    name: 'kpa becomes ready with minScale endpoints when reachable', pa: pa({ active: activating(), reachability: 'Reachable', annotations: { minScale: 2 } }), desiredScale: 11, ebc: 0, replicas: 11, ready: 2, sksMode: 'Serve', currentDesiredScale: 11,
    want: { mode: 'Serve', numActivators: 3, desired: 11, actual: 2, active: 'True', sti: true },
  },
  {
    name: 'steady not serving', pa: pa({ active: inactive(HOUR_MS), scaleTargetInitialized: true }), desiredScale: 0, ebc: 0, replicas: 0, ready: 0, sksMode: 'Proxy', currentDesiredScale: 0,
    want: { mode: 'Proxy', numActivators: 2, desired: 0, actual: 0, active: 'False', reason: 'NoTraffic', sti: true },
  },
  {
    name: 'steady not serving (scale to zero)', pa: pa({ active: inactive(HOUR_MS), scaleTargetInitialized: true }), desiredScale: 0, ebc: 0, replicas: undefined, ready: 0, sksMode: 'Proxy', currentDesiredScale: 0,
    want: { patch: 0, mode: 'Proxy', numActivators: 2, desired: 0, actual: 0, active: 'False', reason: 'NoTraffic', sti: true },
  },
  {
    name: 'from serving to proxy', pa: pa({ active: active(HOUR_MS) }), desiredScale: 0, ebc: 0, replicas: undefined, ready: 1, sksMode: 'Serve', currentDesiredScale: 0,
    want: { mode: 'Proxy', numActivators: 3, desired: 0, actual: 1, active: 'False', reason: 'NoTraffic', sti: true },
  },
  {
    name: 'scaling to 0, but not stable for long enough, so no-op', pa: pa({ active: active(), scaleTargetInitialized: true }), desiredScale: 0, ebc: 0, replicas: undefined, ready: 1, sksMode: 'Serve', currentDesiredScale: 1,
    want: { mode: 'Serve', numActivators: 3, desired: 1, actual: 1, active: 'True', sti: true },
  },
  {
    name: 'activation failure', pa: pa({ active: activating(HOUR_MS) }), desiredScale: 0, ebc: 0, replicas: undefined, ready: 1, sksMode: 'Serve', currentDesiredScale: 0,
    want: { patch: 0, mode: 'Proxy', numActivators: 3, desired: 0, actual: 1, active: 'False', reason: 'TimedOut', sti: true },
  },
  {
    name: 'want=-1, underscaled, PA inactive', pa: pa({ active: inactive(), scaleTargetInitialized: true, reachability: 'Reachable', annotations: minScale11 }), desiredScale: -1, ebc: 0, replicas: 10, ready: 10, sksMode: 'Proxy', currentDesiredScale: -1,
    want: { mode: 'Proxy', numActivators: 3, desired: -1, actual: 10, active: 'False', reason: 'NoTraffic', sti: true },
  },
  {
    name: 'want=1, underscaled, PA inactive', pa: pa({ active: inactive(), scaleTargetInitialized: true, reachability: 'Reachable', annotations: minScale11 }), desiredScale: 1, ebc: 0, replicas: 10, ready: 10, sksMode: 'Proxy', currentDesiredScale: -1,
    want: { patch: 11, mode: 'Serve', numActivators: 3, desired: 11, actual: 10, active: 'Unknown', reason: 'Queued', sti: true },
  },
  {
    name: 'underscaled, PA activating', pa: pa({ active: activating(), reachability: 'Reachable', annotations: minScale11 }), desiredScale: 2, ebc: 0, replicas: 10, ready: 10, sksMode: 'Serve', currentDesiredScale: 11,
    want: { patch: 11, mode: 'Serve', numActivators: 3, desired: 11, actual: 10, active: 'Unknown', reason: 'Queued', sti: false },
  },
  {
    name: 'underscaled, PA active', pa: pa({ active: active(), scaleTargetInitialized: true, reachability: 'Reachable', annotations: minScale11 }), desiredScale: 11, ebc: 0, replicas: 10, ready: 10, sksMode: 'Serve', currentDesiredScale: 11,
    want: { patch: 11, mode: 'Serve', numActivators: 3, desired: 11, actual: 10, active: 'Unknown', reason: 'Queued', sti: true },
  },
  {
    name: 'overscaled, PA inactive', pa: pa({ active: inactive(), scaleTargetInitialized: true, reachability: 'Reachable', annotations: minScale11 }), desiredScale: 0, ebc: 0, replicas: 12, ready: 12, sksMode: 'Proxy', currentDesiredScale: -1,
    want: { patch: 11, mode: 'Serve', numActivators: 4, desired: 11, actual: 12, active: 'True', sti: true },
  },
  {
    name: 'overscaled, PA activating', pa: pa({ active: inactive(), scaleTargetInitialized: true, reachability: 'Reachable', annotations: minScale11 }), desiredScale: 1, ebc: 0, replicas: 12, ready: 12, sksMode: 'Proxy', currentDesiredScale: -1,
    want: { patch: 11, mode: 'Serve', numActivators: 4, desired: 11, actual: 12, active: 'True', sti: true },
  },
  {
    name: 'over maxScale for real, PA active', pa: pa({ active: active(), scaleTargetInitialized: true, reachability: 'Reachable', annotations: minScale11 }), desiredScale: 12, ebc: 0, replicas: 12, ready: 12, sksMode: 'Serve', currentDesiredScale: 12,
    want: { mode: 'Serve', numActivators: 4, desired: 12, actual: 12, active: 'True', sti: true },
  },
  {
    name: 'over maxScale, need to scale down, PA active', pa: pa({ active: active(), scaleTargetInitialized: true, reachability: 'Reachable', annotations: minScale11 }), desiredScale: 1, ebc: 0, replicas: 12, ready: 12, sksMode: 'Serve', currentDesiredScale: 12,
    want: { patch: 11, mode: 'Serve', numActivators: 4, desired: 11, actual: 12, active: 'True', sti: true },
  },
  {
    name: 'scaled-to-0-no-scale-data', pa: pa({ active: inactive(), scaleTargetInitialized: true }), desiredScale: -1, ebc: 0, replicas: 11, ready: 0, sksMode: 'Proxy', currentDesiredScale: -1,
    want: { mode: 'Proxy', numActivators: 2, desired: -1, actual: 0, active: 'False', reason: 'NoTraffic', sti: true },
  },
  {
    name: 'steady not enough capacity', pa: pa({ active: active(), scaleTargetInitialized: true }), desiredScale: 11, ebc: -42, replicas: 11, ready: 1, sksMode: 'Proxy', currentDesiredScale: 11,
    want: { mode: 'Proxy', numActivators: 3, desired: 11, actual: 1, active: 'True', sti: true },
  },
  {
    name: 'traffic increased, no longer enough burst capacity', pa: pa({ active: active(), scaleTargetInitialized: true }), desiredScale: 11, ebc: -18, replicas: 11, ready: 1, sksMode: 'Serve', currentDesiredScale: 11,
    want: { mode: 'Proxy', numActivators: MIN_ACTIVATORS + 1, desired: 11, actual: 1, active: 'True', sti: true },
  },
  {
    name: 'traffic decreased, now we have enough burst capacity', pa: pa({ active: active(), scaleTargetInitialized: true }), desiredScale: 11, ebc: 1, replicas: 11, ready: 1, sksMode: 'Proxy', currentDesiredScale: 11,
    want: { mode: 'Serve', numActivators: 3, desired: 11, actual: 1, active: 'True', sti: true },
  },
  {
    name: 'initial scale > minScale, have not reached initial scale, PA still activating', pa: pa({ active: activating(), reachability: 'Reachable', annotations: { minScale: 11, initialScale: 20 } }), desiredScale: 11, ebc: -42, replicas: 11, ready: 11, sksMode: 'Proxy', currentDesiredScale: 11,
    want: { patch: 20, mode: 'Proxy', numActivators: 4, desired: 20, actual: 11, active: 'Unknown', reason: 'Queued', sti: false },
  },
  {
    name: 'initial scale reached, mark PA as active', pa: pa({ active: activating(), reachability: 'Reachable', annotations: { initialScale: 20 } }), desiredScale: 11, ebc: -42, replicas: 11, ready: 20, sksMode: 'Proxy', currentDesiredScale: 11,
    want: { patch: 20, mode: 'Proxy', numActivators: 4, desired: 20, actual: 20, active: 'True', sti: true },
  },
  {
    name: 'initial scale zero: scale to zero', pa: pa({ reachability: 'Reachable' }), config: initialScaleZeroConfig(), desiredScale: -1, ebc: 0, replicas: 0, ready: 0, sksMode: 'Proxy', currentDesiredScale: -1,
    want: { mode: 'Proxy', numActivators: 2, desired: -1, actual: 0, active: 'False', reason: 'NoTraffic', sti: true },
  },
  {
    name: 'initial scale zero: sks ServiceName empty', pa: pa({ reachability: 'Reachable' }), config: initialScaleZeroConfig(), desiredScale: -1, ebc: 0, replicas: 0, ready: 0, sksMode: 'Proxy', sksServiceName: '', currentDesiredScale: -1,
    want: { mode: 'Proxy', numActivators: 2, desired: -1, actual: 0, active: 'False', reason: 'NoTraffic', sti: false },
  },
  {
    name: 'initial scale zero: stay at zero', pa: pa({ scaleTargetInitialized: true, reachability: 'Reachable' }), config: initialScaleZeroConfig(), desiredScale: -1, ebc: 0, replicas: 0, ready: 0, sksMode: 'Proxy', sksServiceName: '', currentDesiredScale: -1,
    want: { mode: 'Proxy', numActivators: 2, desired: -1, actual: 0, active: 'Unknown', reason: 'Queued', sti: true },
  },
  {
    name: 'initial scale zero: scale to greater than zero', pa: pa({ scaleTargetInitialized: true, reachability: 'Reachable' }), config: initialScaleZeroConfig(), desiredScale: 2, ebc: -42, replicas: 2, ready: 2, sksMode: 'Proxy', currentDesiredScale: 2,
    want: { mode: 'Proxy', numActivators: 3, desired: 2, actual: 2, active: 'True', sti: true },
  },
];

t.test('TestReconcile rows, as scale → mode → numActivators → computeStatus', async (t) => {
  for (const row of reconcileRows) {
    const got = reconcile(row);
    t.same(got, { ...row.want, patch: row.want.patch, reason: row.want.reason }, row.name);
  }
});

t.test('TestReconcile "sks does not exist": Proxy, 2 activators, want −1 keeps DesiredScale, PA activating', async (t) => {
  const s = computeStatus({ pa: pa({ active: active(), serviceName: '' }), config: defaultConfig(), want: SCALE_UNKNOWN, ready: 0, currentDesiredScale: 11, nowMs: NOW_MS });
  t.equal(s.desiredScale, 11);
  t.equal(s.actualScale, 0);
  t.equal(s.active?.status, 'Unknown');
  t.equal(s.active?.reason, 'Queued');
  t.equal(s.scaleTargetInitialized, false);
});
