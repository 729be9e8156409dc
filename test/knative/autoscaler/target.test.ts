// ResolveMetricTarget, ported from knative/serving pkg/reconciler/autoscaling/resources/target_test.go
// TestResolveMetricTarget (every row).
import t from 'tap';
import type { PodAutoscalerView } from '../../../src/knative/autoscaler/pa-annotations.js';
import { resolveMetricTarget, type TargetConfig } from '../../../src/knative/autoscaler/target.js';

const G = 'autoscaling.knative.dev';
// The test file's config.
const config: TargetConfig = { containerConcurrencyTargetFraction: 1, containerConcurrencyTargetDefault: 100, rpsTargetDefault: 200, targetUtilization: 0.7 };

interface PaOptions { cc?: number; tu?: string; target?: string; metric?: string }
function pa(options: PaOptions = {}): PodAutoscalerView {
  const annotations: Record<string, string> = { [`${G}/class`]: 'kpa.autoscaling.knative.dev' };
  if (options.tu !== undefined) annotations[`${G}/target-utilization-percentage`] = options.tu;
  if (options.target !== undefined) annotations[`${G}/target`] = options.target;
  if (options.metric !== undefined) annotations[`${G}/metric`] = options.metric;
  return { annotations, containerConcurrency: options.cc ?? 0 };
}

t.test('TestResolveMetricTarget', async (t) => {
  const rows: [string, PodAutoscalerView, Partial<TargetConfig>, number, number][] = [
    ['defaults', pa(), {}, 100, 100],
    ['default CC + 80% TU', pa(), { containerConcurrencyTargetFraction: 0.8 }, 80, 100],
    ['non-default CC and TU', pa(), { containerConcurrencyTargetFraction: 0.3, containerConcurrencyTargetDefault: 2 }, 0.6, 2],
    ['with container concurrency 12 and TU=80%, but TU annotation 75%', pa({ cc: 12, tu: '75' }), { containerConcurrencyTargetFraction: 0.8 }, 9, 12],
    ['with container concurrency 10 and TU=80%', pa({ cc: 10 }), { containerConcurrencyTargetFraction: 0.8 }, 8, 10],
    ['with container concurrency 1 and TU=80%', pa({ cc: 1 }), { containerConcurrencyTargetFraction: 0.8 }, 0.8, 1],
    ['with container concurrency 1', pa({ cc: 1 }), {}, 1, 1],
    ['with container concurrency 10 and TU=80% (again)', pa({ cc: 10 }), { containerConcurrencyTargetFraction: 0.8 }, 8, 10],
    ['with container concurrency 10', pa({ cc: 10 }), {}, 10, 10],
    ['with target annotation 1', pa({ target: '1' }), {}, 1, 1],
    ['with target annotation 1 and TU=0.1%', pa({ target: '1' }), { containerConcurrencyTargetFraction: 0.001 }, 0.01, 1],
    ['with target annotation 1 and TU=75%', pa({ target: '1' }), { containerConcurrencyTargetFraction: 0.75 }, 0.75, 1],
    ['with target annotation 10 and TU=75%', pa({ target: '10' }), { containerConcurrencyTargetFraction: 0.75 }, 7.5, 10],
    ['with container concurrency greater than target annotation (ok)', pa({ cc: 10, target: '1' }), {}, 1, 1],
    ['with target annotation greater than default (ok)', pa({ target: '500' }), {}, 500, 500],
    ['with target annotation greater than container concurrency (ignore annotation for safety)', pa({ cc: 1, target: '10' }), {}, 1, 1],
    ['RPS: defaults', pa({ metric: 'rps', cc: 1 }), {}, 140, 200],
    ['RPS: with target annotation 1', pa({ metric: 'rps', target: '1' }), {}, 0.7, 1],
    ['RPS: with TU annotation 75%', pa({ metric: 'rps', tu: '75' }), {}, 150, 200],
    ['RPS: with target annotation greater than default', pa({ metric: 'rps', target: '300' }), {}, 210, 300],
  ];
  for (const [name, p, cfg, targetValue, totalValue] of rows) {
    t.same(resolveMetricTarget(p, { ...config, ...cfg }), { targetValue, totalValue }, name);
  }
});

t.test('with the default config-autoscaler and unlimited concurrency: target 70 of 100', async (t) => {
  t.same(resolveMetricTarget({ annotations: {} }, { containerConcurrencyTargetFraction: 0.7, containerConcurrencyTargetDefault: 100, rpsTargetDefault: 200, targetUtilization: 0.7 }),
    { targetValue: 70, totalValue: 100 });
});
