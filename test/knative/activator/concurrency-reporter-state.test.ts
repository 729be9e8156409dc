// Ports of knative/serving pkg/activator/handler/concurrency_reporter_test.go (TestStats rows,
// TestConcurrencyReporterRun, TestConcurrencyReporterHandler, TestMetricsReported's concurrency
// values) against ConcurrencyReporterState. Upstream's statCh becomes the list of messages
// returned by requestIn (immediate) and report.
import t from 'tap';
import {
  ConcurrencyReporterState, type ActivatorStatMessage, type RevisionStatsHandle,
} from '../../../src/knative/activator/concurrency-reporter-state.js';

const POD = 'the-best-activator';
const rev1 = 'test/rev1';
const rev2 = 'test/rev2';
const rev3 = 'test/rev3';

type Op =
  | { op: 'start'; key: string; time?: number; id?: number }
  | { op: 'end'; key: string; time?: number; id?: number }
  | { op: 'tick'; time?: number };

function stat(key: string, averageConcurrentRequests: number, requestCount: number): ActivatorStatMessage {
  return { key, podName: POD, averageConcurrentRequests, requestCount };
}

function apply(ops: Op[]): ActivatorStatMessage[] {
  const cr = new ConcurrencyReporterState({ podName: POD });
  const held = new Map<number, RevisionStatsHandle>();
  const out: ActivatorStatMessage[] = [];
  for (const op of ops) {
    const time = op.time ?? 0;
    if (op.op === 'start') {
      const result = cr.requestIn(op.key, time);
      if (result.immediate) out.push(result.immediate);
      held.set(op.id ?? 0, result.handle);
    } else if (op.op === 'end') {
      cr.requestOut(held.get(op.id ?? 0)!, time);
      held.delete(op.id ?? 0);
    } else {
      out.push(...cr.report(time));
    }
  }
  return out;
}

const rows: { name: string; ops: Op[]; want: ActivatorStatMessage[] }[] = [
  {
    name: 'scale-from-zero sends stat',
    ops: [{ op: 'start', key: rev1 }, { op: 'start', key: rev2 }],
    want: [stat(rev1, 1, 1), stat(rev2, 1, 1)],
  },
  {
    name: "in'n out",
    ops: [
      { op: 'start', key: rev1, time: 0 }, { op: 'end', key: rev1, time: 1 },
      { op: 'start', key: rev1, time: 1 }, { op: 'end', key: rev1, time: 2 }, { op: 'tick', time: 2 },
    ],
    want: [stat(rev1, 1, 1), stat(rev1, 0, 1)],
  },
  {
    name: 'scale to two',
    ops: [
      { op: 'start', key: rev1, time: 0, id: 1 }, { op: 'start', key: rev1, time: 0, id: 2 },
      { op: 'tick', time: 1 }, { op: 'tick', time: 2 },
    ],
    want: [stat(rev1, 1, 1), stat(rev1, 1, 1), stat(rev1, 2, 0)],
  },
  {
    name: 'scale-from-zero after tick sends stat',
    ops: [
      { op: 'start', key: rev1, time: 0 }, { op: 'end', key: rev1, time: 1 },
      { op: 'tick', time: 1 }, { op: 'tick', time: 2 }, { op: 'start', key: rev1, time: 3 },
    ],
    want: [stat(rev1, 1, 1), stat(rev1, 0, 0), stat(rev1, 0, 0), stat(rev1, 1, 1)],
  },
  {
    name: 'multiple revisions tick',
    ops: [{ op: 'start', key: rev1 }, { op: 'start', key: rev2 }, { op: 'start', key: rev3 }, { op: 'tick' }],
    want: [stat(rev1, 1, 1), stat(rev2, 1, 1), stat(rev3, 1, 1), stat(rev1, 0, 0), stat(rev2, 0, 0), stat(rev3, 0, 0)],
  },
  {
    name: 'interleaved requests',
    ops: [
      { op: 'start', key: rev1, time: 0, id: 1 }, { op: 'start', key: rev1, time: 0, id: 2 },
      { op: 'end', key: rev1, time: 1, id: 2 }, { op: 'end', key: rev1, time: 2, id: 1 }, { op: 'tick', time: 2 },
    ],
    want: [stat(rev1, 1, 1), stat(rev1, 0.5, 1)],
  },
];

t.test('TestStats table (messages in first-seen order, no sort needed)', async (t) => {
  for (const row of rows) t.same(apply(row.ops), row.want, row.name);
});

t.test('TestConcurrencyReporterRun: three requests, one tick reports 2 and 2 after the discount', async (t) => {
  const cr = new ConcurrencyReporterState({ podName: POD });
  const first = cr.requestIn(rev1, 0);
  cr.requestIn(rev1, 0);
  cr.requestIn(rev1, 0);
  t.same(first.immediate, stat(rev1, 1, 1));
  t.same(cr.report(1), [stat(rev1, 2, 2)]);
});

t.test('TestConcurrencyReporterHandler: three instant requests report concurrency 0 and count 2', async (t) => {
  const cr = new ConcurrencyReporterState({ podName: POD });
  const immediates = [];
  for (let i = 0; i < 3; i++) {
    const { handle, immediate } = cr.requestIn(rev1, 0);
    if (immediate) immediates.push(immediate);
    cr.requestOut(handle, 0);
  }
  t.same(immediates, [stat(rev1, 1, 1)]);
  t.same(cr.report(1000), [stat(rev1, 0, 2)]);
  t.same(cr.trackedKeys, [], 'zero average concurrency drops the revision');
});

t.test('TestMetricsReported: concurrency 3 after the first-request discount, then 4', async (t) => {
  const cr = new ConcurrencyReporterState({ podName: POD });
  for (let i = 0; i < 4; i++) cr.requestIn(rev1, 0);
  t.equal(cr.report(1)[0].averageConcurrentRequests, 3);
  t.equal(cr.report(2)[0].averageConcurrentRequests, 4);
});

t.test('a revision with a request still in flight is not dropped even if its report averaged zero', async (t) => {
  const cr = new ConcurrencyReporterState({ podName: POD });
  const { handle } = cr.requestIn(rev1, 1000);
  t.same(cr.report(1000), [stat(rev1, 0, 0)], 'no time elapsed: average 0, count 1 − 1');
  t.same(cr.trackedKeys, [rev1]);
  cr.requestOut(handle, 1500);
  t.same(cr.report(2000), [stat(rev1, 0.5, 0)]);
  t.same(cr.report(3000), [stat(rev1, 0, 0)]);
  t.same(cr.trackedKeys, []);
  t.ok(cr.requestIn(rev1, 3500).immediate, 'a later request triggers the immediate stat again');
});
