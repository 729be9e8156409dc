// The public pure API wired together the way the autoscaler component will: config-autoscaler →
// DeciderSpec and Metric → collection → decider → multiscaler status. Scale-from-zero: the
// activator's first stat pokes a revision at zero, which then asks for one pod and stays behind the
// activator (negative excess burst capacity with the default TBC of 211).
import t from 'tap';
import * as api from '../../../src/knative/autoscaler/index.js';

t.test('scale from zero with the default configuration', async (t) => {
  const config = api.parseAutoscalerConfig({});
  const pa: api.PodAutoscalerView = { annotations: { 'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev' }, containerConcurrency: 0, reachability: 'Reachable' };
  t.same(api.validateAnnotations(config, pa.annotations), null);
  const spec = api.makeDeciderSpec(pa, config);
  t.same([spec.targetValue, spec.totalValue, spec.panicThreshold, spec.stableWindowMs], [70, 100, 2, 60_000]);
  const metric = api.makeMetricSpec(pa, config, { scrapeTarget: 'rev-private' });
  t.same([metric.stableWindowMs, metric.panicWindowMs], [60_000, 6_000]);

  const collection = new api.MetricCollection(metric);
  const decider = api.newDecider(spec, { readyPods: 0, nowMs: 0 });
  let status = api.initialDeciderStatus(spec);
  t.same(status, { desiredScale: -1, excessBurstCapacity: -111 });

  const observe = (nowMs: number, readyPods: number) => {
    const reading = api.deciderMetric(spec) === 'rps' ? collection.stableAndPanicRPS(nowMs) : collection.stableAndPanicConcurrency(nowMs);
    return 'error' in reading ? reading : { ...reading, readyPods };
  };
  t.same(decider.scale(observe(2_000, 0), 2_000), api.INVALID_SCALE_RESULT, 'no data yet: invalid, desired scale unchanged');

  // Idle for a while: the scraper finds no pods, the decider says zero.
  collection.record(3_000, { averageConcurrentRequests: 0, averageProxiedConcurrentRequests: 0, requestCount: 0, proxiedRequestCount: 0, podName: 'activator' });
  const idle = api.applyScaleResult(status, decider.scale(observe(4_000, 0), 4_000));
  t.same(idle, { status: { desiredScale: 0, excessBurstCapacity: -211 }, changed: true });
  status = idle.status;

  // A request arrives at the activator, which reports concurrency 1 (stamped to the second).
  const activatorStat = { averageConcurrentRequests: 1, averageProxiedConcurrentRequests: 0, requestCount: 1, proxiedRequestCount: 0, podName: 'activator' };
  collection.record(Math.floor(5_300 / 1000) * 1000, activatorStat);
  t.equal(api.shouldTickOnPoke(status, activatorStat), true, 'Poke: tick now');
  const woken = api.applyScaleResult(status, decider.scale(observe(5_300, 0), 5_300));
  t.same(woken, { status: { desiredScale: 1, excessBurstCapacity: -212 }, changed: true }, 'one pod; EBC = 0×100 − 211 − 1');
});
