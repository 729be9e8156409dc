// The activator's Throttler (knative/serving pkg/activator/net/throttler.go Throttler): a
// revisionThrottler per revision, created when the revision shows up in the informer (or at the
// first request or update for it), dropped when the revision is deleted; it routes the revision
// backends' updates and the public Endpoints updates to them.

import type { KubeObject } from '../../apiserver/types.js';
import type { Informer } from '../../client/informer.js';
import type { Timer } from '../../sim/simulation.js';
import type { Choose } from '../activator/index.js';
import { LABELS } from '../apis/serving-labels.js';
import type { EndpointSubset } from '../kpa/endpoints-types.js';
import { revisionSpecView } from './revision-spec.js';
import { RevisionThrottler, type ThrottledRequest, type ThrottleTicket } from './revision-throttler.js';

export interface ThrottlerOptions {
  revisions: Informer;
  selfIp: string;
  choose: Choose;
  schedule: (delayMs: number, run: () => void, label: string) => Timer;
  cancel: (timer: Timer | undefined) => void;
}

const keyOf = (obj: KubeObject): string => `${obj.metadata.namespace}/${obj.metadata.name}`;

export class Throttler {
  readonly #options: ThrottlerOptions;
  readonly #throttlers = new Map<string, RevisionThrottler>();

  constructor(options: ThrottlerOptions) {
    this.#options = options;
  }

  get(key: string): RevisionThrottler | undefined {
    return this.#throttlers.get(key);
  }

  /** getOrCreateRevisionThrottler: undefined when the revision is not in the informer. */
  getOrCreate(key: string): RevisionThrottler | undefined {
    let rt = this.#throttlers.get(key);
    if (rt !== undefined) return rt;
    const rev = this.#options.revisions.get(key);
    if (rev === undefined) return undefined;
    const { schedule, cancel, choose } = this.#options;
    const view = revisionSpecView(rev);
    rt = new RevisionThrottler({ key, containerConcurrency: view.containerConcurrency, portName: view.portName, choose, schedule, cancel });
    this.#throttlers.set(key, rt);
    return rt;
  }

  revisionUpdated(rev: KubeObject): void {
    this.getOrCreate(keyOf(rev));
  }

  revisionDeleted(rev: KubeObject): void {
    this.#throttlers.delete(keyOf(rev));
  }

  /** Try: undefined when there is no throttler for the revision (it is not known). */
  try(key: string, req: ThrottledRequest): ThrottleTicket | undefined {
    return this.getOrCreate(key)?.try(req);
  }

  handleUpdate(key: string, dests: Iterable<string>): void {
    this.getOrCreate(key)?.handleUpdate(dests);
  }

  /** A public Endpoints (serviceType Public) changed; the revision comes from its label. */
  handlePubEpsUpdate(eps: KubeObject): void {
    const revision = eps.metadata.labels?.[LABELS.revision] ?? '';
    if (revision === '') return;
    this.getOrCreate(`${eps.metadata.namespace}/${revision}`)?.handlePubEpsUpdate(eps.subsets as EndpointSubset[] | undefined, this.#options.selfIp);
  }
}
