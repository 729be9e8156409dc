// The UniScaler behind each decider (knative/serving cmd/autoscaler/main.go uniScalerFactoryFunc,
// pkg/autoscaler/scaling/autoscaler.go New/Scale/Update): the pure Decider of
// src/knative/autoscaler/decider.ts fed with the revision's ready pods from the pod lister and the
// revision-wide stable/panic values from the metric collector. A decider without its
// configuration or revision label cannot get one (the factory's error fails Create).

import type { DeciderSpec } from '../autoscaler/decider-spec.js';
import { deciderMetric, newDecider, type ScaleObservation, type ScaleFailure, type ScaleResult } from '../autoscaler/decider.js';
import type { MetricReading } from '../autoscaler/metric-collection.js';
import { LABELS } from '../apis/serving-labels.js';
import { computeNumActivators } from '../kpa/pa-status.js';
import type { DeciderRecord, UniScaler, UniScalerFactory } from './multi-scaler.js';
import type { KnativeProfile } from '../versions.js';
import type { RevisionPods } from './revision-pods.js';

/** ErrNotCollecting: no collection for the key. */
export interface NotCollecting {
  error: 'not-collecting';
}

/** metrics.MetricClient. */
export interface MetricClient {
  stableAndPanicConcurrency(key: string, nowMs: number): MetricReading | NotCollecting;
  stableAndPanicRPS(key: string, nowMs: number): MetricReading | NotCollecting;
}

export interface RevisionScalerDeps {
  pods: RevisionPods;
  metrics: MetricClient;
  /** The release whose autoscaler.go behaviour applies (the ServingSystem's profile). */
  profile: KnativeProfile;
  nowMs: () => number;
}

function requireLabel(decider: Readonly<DeciderRecord>, label: string): string {
  const value = decider.labels[label];
  if (!value) throw new Error(`label ${JSON.stringify(label)} not found or empty in Decider ${decider.name}`);
  return value;
}

export function revisionScalerFactory(deps: RevisionScalerDeps): UniScalerFactory {
  return (record) => {
    requireLabel(record, LABELS.configuration);
    const revision = requireLabel(record, LABELS.revision);
    const { namespace } = record;
    const metricKey = `${namespace}/${record.name}`;
    let spec: Readonly<DeciderSpec> = record.spec;
    // Since pr-11375 the KPA sizes the activator subset itself and the multiscaler ignores the count.
    const sizesActivators = !deps.profile.has('pr-11375');
    const decider = newDecider(spec, {
      readyPods: deps.pods.readyCount(namespace, revision), nowMs: deps.nowMs(), startInPanic: deps.profile.has('pr-4795'),
    });
    const observe = (nowMs: number): ScaleObservation | ScaleFailure => {
      const readyPods = deps.pods.readyCount(namespace, revision);
      const reading = deciderMetric(spec) === 'rps'
        ? deps.metrics.stableAndPanicRPS(metricKey, nowMs)
        : deps.metrics.stableAndPanicConcurrency(metricKey, nowMs);
      if ('error' in reading) return { error: reading.error === 'no-data' ? 'no-data' : 'other' };
      return { readyPods, stable: reading.stable, panic: reading.panic };
    };
    const scaler: UniScaler = {
      scale: (nowMs): ScaleResult => {
        const observation = observe(nowMs);
        const result = decider.scale(observation, nowMs);
        if (!sizesActivators || !result.scaleValid || 'error' in observation) return result;
        // Before pr-11375 autoscaler.go Scale also sized the activator subset from the ready pods
        // it saw (the same rule the KPA's computeNumActivators has applied since).
        return { ...result, numActivators: computeNumActivators(observation.readyPods, spec) };
      },
      inPanic: () => decider.inPanic,
      update: (next) => {
        spec = next;
        decider.update(next);
      },
      onDelete: () => undefined,
    };
    return scaler;
  };
}
