// The autoscaler's pod lister (knative/serving pkg/resources/pods.go PodAccessor over the filtered
// pod informer of cmd/autoscaler/main.go, which lists pods carrying serving.knative.dev/revisionUID)
// indexed by `<namespace>/<revision label>`:
// - PodCountsByState: Pending pods count as pending and not ready; Running pods as terminating
//   (deletionTimestamp set) or ready (PodReady True) or not ready; other phases are not counted;
// - ReadyCount, and the Running, Ready, not-terminating pods the scraper may address (their IPs
//   and status.startTime), in lister order.

import type { KubeObject } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import type { Informer } from '../../client/informer.js';
import { PODS } from '../../kube/resources.js';
import { isPodReady } from '../../kube/pod-status.js';
import { parseSimTime } from '../../sim/time-format.js';
import type { ScrapeCandidate } from '../autoscaler/scrape-plan.js';
import { LABELS } from '../apis/serving-labels.js';

export interface PodCounts {
  ready: number;
  notReady: number;
  pending: number;
  terminating: number;
}

const BY_REVISION = 'namespace/revision';

export class RevisionPods {
  readonly informer: Informer;

  constructor(ctx: ComponentContext) {
    this.informer = ctx.informer(PODS, { labelSelector: LABELS.revisionUID });
    this.informer.addIndexer(BY_REVISION, (pod) => {
      const revision = pod.metadata.labels?.[LABELS.revision];
      return revision === undefined ? [] : [`${pod.metadata.namespace}/${revision}`];
    });
  }

  /** The revision's pods in the cache (informer order). */
  pods(namespace: string, revision: string): KubeObject[] {
    return this.informer.byIndex(BY_REVISION, `${namespace}/${revision}`);
  }

  countsByState(namespace: string, revision: string): PodCounts {
    const counts: PodCounts = { ready: 0, notReady: 0, pending: 0, terminating: 0 };
    for (const pod of this.pods(namespace, revision)) {
      const phase = pod.status?.phase;
      if (phase === 'Pending') {
        counts.pending++;
        counts.notReady++;
      } else if (phase === 'Running') {
        if (pod.metadata.deletionTimestamp !== undefined) {
          counts.terminating++;
          counts.notReady++;
        } else if (isPodReady(pod)) counts.ready++;
        else counts.notReady++;
      }
    }
    return counts;
  }

  /** countsByState(...).ready, counted alone (the decider reads it on every tick). */
  readyCount(namespace: string, revision: string): number {
    let ready = 0;
    for (const pod of this.pods(namespace, revision)) {
      if (pod.status?.phase === 'Running' && pod.metadata.deletionTimestamp === undefined && isPodReady(pod)) ready++;
    }
    return ready;
  }

  /** podRunning ∧ podReady pods, by IP, with their start times (PodIPsSplitByAge's input). */
  scrapeCandidates(namespace: string, revision: string): ScrapeCandidate[] {
    const out: ScrapeCandidate[] = [];
    for (const pod of this.pods(namespace, revision)) {
      if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp !== undefined || !isPodReady(pod)) continue;
      const ip = pod.status?.podIP as string | undefined;
      if (!ip) continue;
      const started = pod.status?.startTime as string | undefined;
      out.push({ name: ip, startTimeMs: started ? parseSimTime(started) : 0 });
    }
    return out;
  }
}
