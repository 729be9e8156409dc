// The endpoints.kubernetes.io/last-change-trigger-time annotation (k8s.io/endpointslice
// util/trigger_time_tracker.go): for each Service it remembers the trigger times seen at the last
// sync (each selected pod's Ready condition lastTransitionTime, the Service's creationTimestamp)
// and answers the earliest one that moved since; a Service seen for the first time answers its
// creationTimestamp. Like upstream it can be wrong when one object changes twice between syncs.

import type { KubeObject } from '../apiserver/types.js';
import { formatUnixMs, parseRfc3339 } from '../sim/time-format.js';
import { podCondition } from './pod-status.js';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState {
  lastServiceTriggerMs: number | undefined;
  lastPodTriggerMs: Map<string, number>;
}

const parse = (text: string | undefined): number | undefined => (text ? parseRfc3339(text) : undefined);

/** time.Time.Format(time.RFC3339Nano) in UTC: fractional seconds only when non-zero, trailing zeros dropped. */
export function formatRfc3339Nano(unixMs: number): string {
  const text = formatUnixMs(unixMs, { withMillis: true });
  return text.replace(/\.?0+Z$/, 'Z');
}

export class TriggerTimeTracker {
  readonly #states = new Map<string, ServiceState>();

  /** ComputeEndpointLastChangeTriggerTime: the annotation value, or undefined to clear it. */
  compute(service: KubeObject, pods: readonly KubeObject[]): string | undefined {
    const key = `${service.metadata.namespace}/${service.metadata.name}`;
    const known = this.#states.get(key);
    let minChanged: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = parse(podCondition(pod, 'Ready')?.lastTransitionTime);
      if (t === undefined) continue;
      podTimes.set(pod.metadata.name!, t);
      const before = known?.lastPodTriggerMs.get(pod.metadata.name!);
      if (before === undefined || t > before) minChanged = minChanged === undefined ? t : Math.min(minChanged, t);
    }
    const serviceTime = parse(service.metadata.creationTimestamp);
    const lastService = known?.lastServiceTriggerMs;
    if (serviceTime !== undefined && (lastService === undefined || serviceTime > lastService)) {
      minChanged = minChanged === undefined ? serviceTime : Math.min(minChanged, serviceTime);
    }
    this.#states.set(key, { lastServiceTriggerMs: serviceTime, lastPodTriggerMs: podTimes });
    const result = known === undefined ? serviceTime : minChanged;
    return result === undefined ? undefined : formatRfc3339Nano(result);
  }

  /** DeleteService. */
  forget(namespace: string, name: string): void {
    this.#states.delete(`${namespace}/${name}`);
  }
}
