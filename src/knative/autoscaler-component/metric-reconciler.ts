// The Metric reconciler (knative/serving pkg/reconciler/metric/metric.go, controller.go): every
// Metric gets a collection (CreateOrUpdate); its status is Ready, or carries the collection's last
// scrape error (CollectionFailed, with NoEndpoints / DidNotReceiveStat for the service scraper's
// errors). A deleted Metric's collection is deleted. The collector re-enqueues a Metric whenever
// its scrape error changes. Conditions: the living set with only Ready (metric_lifecycle.go).

import type { KubeObject } from '../../apiserver/types.js';
import type { ConditionSetSpec } from '../apis/condition-set.js';
import type { ManageConditions } from '../reconciler/generated-reconciler.js';
import type { MetricCollector } from './metric-collector.js';
import { isModelBug } from '../../sim/invariant.js';

export const METRIC_CONDITION_SET: ConditionSetSpec = Object.freeze({ happy: 'Ready', dependents: [] });

/** metrics.ErrFailedGetEndpoints / ErrDidNotReceiveStat (service scraping). */
const FAILED_GET_ENDPOINTS = 'failed to get endpoints';
const DID_NOT_RECEIVE_STAT = 'did not receive stat from an unscraped pod';

export function reconcileMetric(collector: MetricCollector, metric: KubeObject, conditions: ManageConditions): void {
  let error: string | null;
  try {
    error = collector.createOrUpdate(metric);
  } catch (e) {
    if (!(e instanceof Error) || isModelBug(e)) throw e;
    error = e.message;
  }
  if (error === null) conditions().markTrue('Ready');
  else if (error === FAILED_GET_ENDPOINTS) conditions().markUnknown('Ready', 'NoEndpoints', error);
  else if (error === DID_NOT_RECEIVE_STAT) conditions().markFalse('Ready', 'DidNotReceiveStat', error);
  else conditions().markFalse('Ready', 'CollectionFailed', `Failed to reconcile metric collection: ${error}`);
}
