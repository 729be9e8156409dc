// Ported tables: k8s.io/kubernetes pkg/controller/controller_utils_test.go TestSortingActivePods and
// TestSortingActivePodsWithRanks; pkg/controller/replicaset/replica_set_test.go TestGetPodsToDelete.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { compareForDeletion, deleteBefore, getPodsToDelete, podDeletionCost, POD_DELETION_COST_ANNOTATION, sortActivePods, type RankedPod } from '../../src/kube/pod-ranking.js';
import { formatSimTime } from '../../src/sim/time-format.js';

const HOUR_MS = 3_600_000;
const NOW_MS = 60 * 24 * HOUR_MS;
const THEN_MS = NOW_MS - 30 * 24 * HOUR_MS; // about a month before

interface PodShape {
  name: string;
  node?: string;
  phase?: string;
  ready?: boolean;
  readySinceMs?: number;
  createdMs?: number;
  restarts?: number[];
  annotations?: Record<string, string>;
  uid?: string;
}

function pod(shape: PodShape): KubeObject {
  const metadata: KubeObject['metadata'] = { name: shape.name, namespace: 'default' };
  if (shape.createdMs !== undefined) metadata.creationTimestamp = formatSimTime(shape.createdMs);
  if (shape.annotations) metadata.annotations = shape.annotations;
  if (shape.uid) metadata.uid = shape.uid;
  const status: Record<string, unknown> = { phase: shape.phase ?? 'Running' };
  if (shape.ready !== undefined) {
    const ready: Record<string, string> = { type: 'Ready', status: shape.ready ? 'True' : 'False' };
    if (shape.readySinceMs !== undefined) ready.lastTransitionTime = formatSimTime(shape.readySinceMs);
    status.conditions = [ready];
  }
  if (shape.restarts) status.containerStatuses = shape.restarts.map((restartCount, i) => ({ name: `c${i}`, restartCount }));
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { nodeName: shape.node ?? '' }, status };
}

/** Every rotation of `items`, and every rotation reversed: deterministic stand-ins for rand.Perm. */
function orders<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let r = 0; r < items.length; r++) {
    const rotated = [...items.slice(r), ...items.slice(0, r)];
    out.push(rotated, [...rotated].reverse());
  }
  return out;
}

t.test('TestSortingActivePods: unassigned, pending, unknown, not ready, ready later, more restarts, newer first', async (t) => {
  const pods = [
    pod({ name: 'unscheduled', phase: 'Pending' }),
    pod({ name: 'scheduledButPending', node: 'bar', phase: 'Pending' }),
    pod({ name: 'unknownPhase', node: 'foo', phase: 'Unknown' }),
    pod({ name: 'runningButNotReady', node: 'foo' }),
    pod({ name: 'runningNoLastTransitionTime', node: 'foo', ready: true, restarts: [3, 0] }),
    pod({ name: 'runningWithLastTransitionTime', node: 'foo', ready: true, readySinceMs: NOW_MS, restarts: [3, 0] }),
    pod({ name: 'runningLongerTime', node: 'foo', ready: true, readySinceMs: THEN_MS, restarts: [3, 0] }),
    pod({ name: 'lowerContainerRestartCount', node: 'foo', ready: true, readySinceMs: THEN_MS, restarts: [2, 1], createdMs: NOW_MS }),
    pod({ name: 'oldest', node: 'foo', ready: true, readySinceMs: THEN_MS, restarts: [2, 1], createdMs: THEN_MS }),
  ];
  const want = pods.map((p) => p.metadata.name);
  for (const order of orders(pods)) t.same(sortActivePods(order).map((p) => p.metadata.name), want);
});

t.test('TestSortingActivePodsWithRanks', async (t) => {
  const [then2h, then5h, then8h] = [NOW_MS - 2 * HOUR_MS, NOW_MS - 5 * HOUR_MS, NOW_MS - 8 * HOUR_MS];
  const p = (name: string, node: string, phase: string, ready: boolean, restarts: number, readySinceMs?: number, createdMs?: number, annotations?: Record<string, string>): KubeObject =>
    pod({ name, node, phase, ready: ready ? true : undefined, readySinceMs: ready ? readySinceMs : undefined, createdMs, restarts: ready ? [restarts] : undefined, annotations });
  const unscheduled = p('unscheduled', '', 'Pending', false, 0);
  const pending = p('pending', 'node', 'Pending', false, 0);
  const unknown = p('unknown-phase', 'node', 'Unknown', false, 0);
  const notReady = p('not-ready', 'node', 'Running', false, 0);
  const readyNoLtt = p('ready-no-last-transition-time', 'node', 'Running', true, 0);
  const readyNow = p('ready-now', 'node', 'Running', true, 0, NOW_MS, NOW_MS);
  const readyThen = p('ready-then', 'node', 'Running', true, 0, THEN_MS, THEN_MS);
  const highRestarts = p('ready-high-restarts', 'node', 'Running', true, 9001, NOW_MS, NOW_MS);
  const nowCreatedThen = p('ready-now-created-then', 'node', 'Running', true, 0, NOW_MS, THEN_MS);
  const lowCost = p('low-deletion-cost', 'node', 'Running', true, 0, NOW_MS, THEN_MS, { [POD_DELETION_COST_ANNOTATION]: '10' });
  const highCost = p('high-deletion-cost', 'node', 'Running', true, 0, NOW_MS, THEN_MS, { [POD_DELETION_COST_ANNOTATION]: '100' });
  const unscheduled5h = p('unscheduled-5-hours', '', 'Pending', false, 0, then5h, then5h);
  const unscheduled8h = p('unscheduled-10-hours', '', 'Pending', false, 0, then8h, then8h);
  const ready2h = p('ready-2-hours', '', 'Running', true, 0, then2h, THEN_MS);
  const ready5h = p('ready-5-hours', '', 'Running', true, 0, then5h, THEN_MS);
  const ready8h = p('ready-10-hours', '', 'Running', true, 0, then8h, THEN_MS);
  const equal: [KubeObject, KubeObject][] = [
    [unscheduled, unscheduled], [pending, pending], [unknown, unknown], [notReady, notReady], [nowCreatedThen, nowCreatedThen],
    [readyNow, readyNow], [readyThen, readyThen], [highRestarts, highRestarts], [unscheduled5h, unscheduled8h], [ready5h, ready8h],
  ];
  for (const [a, b] of equal) {
    const [ra, rb]: RankedPod[] = [{ pod: a, rank: 1 }, { pod: b, rank: 1 }];
    t.ok(!deleteBefore(ra, rb, NOW_MS) && !deleteBefore(rb, ra, NOW_MS), `${a.metadata.name} ~ ${b.metadata.name}`);
  }
  const unequal: [KubeObject, number, KubeObject, number][] = [
    [unscheduled, 1, pending, 2], [unscheduled, 2, pending, 1], [pending, 1, unknown, 2], [unknown, 1, notReady, 2],
    [notReady, 1, readyNoLtt, 1], [readyNoLtt, 1, readyNow, 1], [readyNow, 2, readyNoLtt, 1], [readyNow, 1, readyThen, 1],
    [readyNow, 2, readyThen, 1], [highRestarts, 1, readyNow, 1], [readyNow, 2, highRestarts, 1], [readyNow, 1, nowCreatedThen, 1],
    [nowCreatedThen, 2, readyNow, 1], [lowCost, 2, highCost, 1], [ready2h, 1, ready5h, 1],
  ];
  for (const [lesser, lr, greater, gr] of unequal) {
    const [a, b]: RankedPod[] = [{ pod: lesser, rank: lr }, { pod: greater, rank: gr }];
    t.ok(deleteBefore(a, b, NOW_MS) && !deleteBefore(b, a, NOW_MS), `${lesser.metadata.name}(rank ${lr}) before ${greater.metadata.name}(rank ${gr})`);
  }
});

t.test('equal on every rule: log-scale ties go by UID, full ties by name, so the order is total', async (t) => {
  const a = pod({ name: 'b-pod', node: 'n', ready: true, readySinceMs: NOW_MS - 5 * HOUR_MS, createdMs: THEN_MS, uid: 'uid-2' });
  const b = pod({ name: 'a-pod', node: 'n', ready: true, readySinceMs: NOW_MS - 7 * HOUR_MS, createdMs: THEN_MS, uid: 'uid-1' });
  t.equal(compareForDeletion({ pod: a, rank: 0 }, { pod: b, rank: 0 }, NOW_MS), 1, 'ready 5 h and 7 h: same log2 age, so the lower UID (b) first');
  t.equal(compareForDeletion({ pod: a, rank: 0 }, { pod: b, rank: 0 }), -1, 'without a reference time: the one ready for less time (a) first');
  const c = pod({ name: 'c', node: 'n' });
  const d = pod({ name: 'd', node: 'n' });
  t.equal(compareForDeletion({ pod: d, rank: 0 }, { pod: c, rank: 0 }), 1, 'full tie: by name');
});

t.test('pod-deletion-cost: an int32 without sign or leading zeros, else 0 (helper.GetDeletionCostFromPodAnnotations)', async (t) => {
  const cost = (value: string): number => podDeletionCost(pod({ name: 'x', annotations: { [POD_DELETION_COST_ANNOTATION]: value } }));
  t.same(['10', '-5', '0', '+10', '008', 'abc', '2147483648', '-2147483648'].map(cost), [10, -5, 0, 0, 0, 0, 0, -2147483648]);
});

t.test('TestGetPodsToDelete', async (t) => {
  const unscheduledPending = pod({ name: 'unscheduled-pending-pod', phase: 'Pending' });
  const scheduledPending = pod({ name: 'scheduled-pending-pod', node: 'fake-node', phase: 'Pending' });
  const runningNotReady = pod({ name: 'scheduled-running-not-ready-pod', node: 'fake-node', ready: false });
  const readyOnNode1 = pod({ name: 'scheduled-running-ready-pod-on-node-1', node: 'fake-node-1', ready: true });
  const readyOnNode2 = pod({ name: 'scheduled-running-ready-pod-on-node-2', node: 'fake-node-2', ready: true });
  const cases: { name: string; pods: KubeObject[]; related?: KubeObject[]; diff: number; want: KubeObject[] }[] = [
    { name: 'len(pods) = 0 (i.e., diff = 0 too)', pods: [], diff: 0, want: [] },
    { name: 'diff = len(pods)', pods: [runningNotReady, readyOnNode1], diff: 2, want: [runningNotReady, readyOnNode1] },
    { name: 'diff < len(pods)', pods: [readyOnNode1, runningNotReady], diff: 1, want: [runningNotReady] },
    {
      name: 'various pod phases and conditions, diff = len(pods)',
      pods: [readyOnNode1, readyOnNode1, readyOnNode2, runningNotReady, scheduledPending, unscheduledPending], diff: 6,
      want: [readyOnNode1, readyOnNode1, readyOnNode2, runningNotReady, scheduledPending, unscheduledPending],
    },
    {
      name: 'various pod phases and conditions, diff = len(pods), relatedPods empty',
      pods: [readyOnNode1, readyOnNode1, readyOnNode2, runningNotReady, scheduledPending, unscheduledPending], related: [], diff: 6,
      want: [readyOnNode1, readyOnNode1, readyOnNode2, runningNotReady, scheduledPending, unscheduledPending],
    },
    { name: 'scheduled vs unscheduled, diff < len(pods)', pods: [scheduledPending, unscheduledPending], diff: 1, want: [unscheduledPending] },
    { name: 'ready vs not-ready, diff < len(pods)', pods: [readyOnNode1, runningNotReady, runningNotReady], diff: 2, want: [runningNotReady, runningNotReady] },
    {
      name: 'ready and colocated with another ready pod vs not colocated, diff < len(pods)',
      pods: [readyOnNode1, readyOnNode2], related: [readyOnNode1, readyOnNode2, readyOnNode2], diff: 1, want: [readyOnNode2],
    },
    { name: 'pending vs running, diff < len(pods)', pods: [scheduledPending, runningNotReady], diff: 1, want: [scheduledPending] },
    {
      name: 'various pod phases and conditions, diff < len(pods)',
      pods: [readyOnNode1, readyOnNode2, runningNotReady, scheduledPending, unscheduledPending], diff: 3,
      want: [unscheduledPending, scheduledPending, runningNotReady],
    },
  ];
  for (const c of cases) {
    const got = getPodsToDelete(c.pods, c.related ?? c.pods, c.diff, NOW_MS);
    t.same(got.map((p) => p.metadata.name), c.want.map((p) => p.metadata.name), c.name);
  }
});
