// The Metric controller's wiring (knative/serving pkg/reconciler/metric/controller.go): every
// Metric change enqueues it, and so does the collector whenever a collection's scrape error changes.

import type { KubeObject } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import type { Controller } from '../../client/controller.js';
import { objectKey, type Informer } from '../../client/informer.js';
import { METRICS } from '../apis/resources.js';
import { generatedReconciler } from '../reconciler/generated-reconciler.js';
import { CONTROLLER_WORKERS } from './kpa-controller.js';
import type { MetricCollector } from './metric-collector.js';
import { METRIC_CONDITION_SET, reconcileMetric } from './metric-reconciler.js';

export interface MetricControllerOptions {
  collector: MetricCollector;
  metricLister: Informer;
  shouldReconcile: () => boolean;
}

export function startMetricController(ctx: ComponentContext, options: MetricControllerOptions): Controller {
  const { collector, metricLister } = options;
  const controller = ctx.controller({
    name: 'metric',
    workers: CONTROLLER_WORKERS,
    shouldReconcile: options.shouldReconcile,
    reconcile: generatedReconciler(ctx, {
      retryJitterLabel: 'autoscaler/retry-jitter',
      resource: METRICS,
      lister: metricLister,
      conditionSet: METRIC_CONDITION_SET,
      reconcileKind: (metric, conditions) => reconcileMetric(collector, metric, conditions),
      observeDeletion: (namespace, name) => collector.delete(namespace, name),
    }),
  });
  const enqueue = (metric: KubeObject): void => controller.enqueue(objectKey(metric));
  metricLister.addHandler({ add: enqueue, update: (_old, m) => enqueue(m), delete: enqueue });
  collector.watch((key) => controller.enqueue(key));
  return controller;
}
