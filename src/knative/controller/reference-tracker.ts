// knative.dev/pkg tracker (tracker/enqueue.go): a reconciler records which objects a given object
// refers to (a Route its Configurations and Revisions); a change to a referenced object enqueues
// every object that tracks it. Upstream's entries expire after a lease (3× the resync period,
// 30 hours by default), far beyond any simulated run; here they stay until the tracking object is
// deleted (OnDeletedObserver).

import type { KubeObject } from '../../apiserver/types.js';
import { objectKey } from '../../client/informer.js';

export interface TrackedReference {
  kind: string;
  namespace: string;
  name: string;
}

function refKey(ref: TrackedReference): string {
  return `${ref.kind}|${ref.namespace}/${ref.name}`;
}

export class ReferenceTracker {
  readonly #trackers = new Map<string, Set<string>>();
  readonly #enqueue: (key: string) => void;

  constructor(enqueue: (key: string) => void) {
    this.#enqueue = enqueue;
  }

  /** TrackReference: `trackerKey` (namespace/name) wants to hear about `ref`. */
  track(ref: TrackedReference, trackerKey: string): void {
    const key = refKey(ref);
    let set = this.#trackers.get(key);
    if (set === undefined) this.#trackers.set(key, (set = new Set()));
    set.add(trackerKey);
  }

  /** OnChanged: enqueue whoever tracks `obj` (of `kind`). */
  onChanged(kind: string, obj: KubeObject): void {
    const set = this.#trackers.get(refKey({ kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' }));
    for (const key of [...(set ?? [])].sort()) this.#enqueue(key);
  }

  /** OnDeletedObserver: the deleted object tracks nothing any more. */
  onDeleted(obj: KubeObject): void {
    const key = objectKey(obj);
    for (const [ref, set] of this.#trackers) {
      set.delete(key);
      if (set.size === 0) this.#trackers.delete(ref);
    }
  }
}
