import t from 'tap';
import { readyImpliesPods } from '../../../src/oracles/library/ready-implies-pods.js';
import { HistoryBuilder, servedRevision } from '../history-builder.js';

const check = (b: HistoryBuilder, params: Record<string, unknown> = {}) => readyImpliesPods.check(b.build(), readyImpliesPods.parse(params));

t.test('fires when a min-scale 3 revision turns Ready with one ready pod (#15889)', async (t) => {
  const early = new HistoryBuilder();
  servedRevision(early, { annotations: { 'autoscaling.knative.dev/min-scale': '3' }, readyPods: 1 });
  t.same(check(early), {
    reason: 'Revision default/hello-00001 turned Ready at 24s with 1 ready pod, below min-scale 3',
    atMs: 24_000,
    objects: ['Revision default/hello-00001', 'Deployment default/hello-00001-deployment'],
  });
  const full = new HistoryBuilder();
  servedRevision(full, { annotations: { 'autoscaling.knative.dev/min-scale': '3' }, readyPods: 3 });
  t.equal(check(full), null, 'the same revision Ready with 3 ready pods passes');
});

t.test('the first Ready needs initial-scale reached; a min-scale 0 revision may be back at 0 by then (sticky ScaleTargetInitialized)', async (t) => {
  const below = new HistoryBuilder();
  servedRevision(below, { annotations: { 'autoscaling.knative.dev/initial-scale': '3' }, readyPods: 2 });
  t.match(check(below)?.reason, /for the first time having reached at most 2 ready pods, below max\(min-scale 0, initial-scale 3\) = 3/);
  const reachedThenZero = new HistoryBuilder();
  servedRevision(reachedThenZero, { annotations: { 'autoscaling.knative.dev/initial-scale': '3' }, readyPods: 3, readyMs: 120_000 });
  for (let i = 0; i < 3; i += 1) reachedThenZero.pod('hello-00001', `hello-00001-deployment-6979d9ccc6-p${i}`, 100_000, { ready: false, terminating: true });
  t.equal(check(reachedThenZero), null, 'initial scale was reached at 1m59s, then scaled down before the Revision turned Ready');
});

t.test('initial-scale 0 counts only with allow-zero-initial-scale', async (t) => {
  const zero = (allow: boolean): HistoryBuilder => {
    const b = new HistoryBuilder();
    b.configMap('config-autoscaler', 0, { 'allow-zero-initial-scale': String(allow) });
    servedRevision(b, { annotations: { 'autoscaling.knative.dev/initial-scale': '0' }, readyPods: 0 });
    return b;
  };
  t.equal(check(zero(true)), null);
  t.match(check(zero(false))?.reason, /initial-scale 1\) = 1/);
});

t.test('a later Ready transition needs min-scale ready pods at that instant', async (t) => {
  const build = (podsAtRecovery: number): HistoryBuilder => {
    const b = new HistoryBuilder();
    servedRevision(b, { annotations: { 'autoscaling.knative.dev/min-scale': '2' }, readyPods: 2 });
    b.conditions('Revision', 'hello-00001', 100_000, { ResourcesAvailable: ['False', 'ExitCode1'], Ready: ['False', 'ExitCode1'] });
    b.pod('hello-00001', 'hello-00001-deployment-6979d9ccc6-p1', 99_000, { ready: false });
    if (podsAtRecovery === 2) b.pod('hello-00001', 'hello-00001-deployment-6979d9ccc6-p1', 139_000, { ready: true });
    b.conditions('Revision', 'hello-00001', 140_000, { ResourcesAvailable: 'True', Ready: 'True' });
    return b;
  };
  t.match(check(build(1))?.reason, /turned Ready at 2m20s with 1 ready pod, below min-scale 2/);
  t.equal(check(build(2)), null);
});

t.test('without recorded Pods, the samples around the transition count', async (t) => {
  const b = new HistoryBuilder();
  servedRevision(b, { annotations: { 'autoscaling.knative.dev/min-scale': '2' }, readyPods: 2, recordPods: false, readyMs: 24_500 });
  b.samples('hello-00001', { fromMs: 15_000, toMs: 60_000 }, (at) => ({ readyPods: at >= 25_000 ? 2 : 0 }));
  t.equal(check(b), null, 'the pods show up in the next sample, 0.5 s later');
  const late = new HistoryBuilder();
  servedRevision(late, { annotations: { 'autoscaling.knative.dev/min-scale': '2' }, readyPods: 2, recordPods: false, readyMs: 24_500 });
  late.samples('hello-00001', { fromMs: 15_000, toMs: 60_000 }, (at) => ({ readyPods: at >= 30_000 ? 2 : at >= 25_000 ? 1 : 0 }));
  t.match(check(late)?.reason, /with 1 ready pod/);
});
