// EqualIgnoreHash verdicts between pod templates of cached objects, per controller instance. The
// Deployment controller compares its Deployment's template with every ReplicaSet's several times per
// sync (FindNewReplicaSet from FindOldReplicaSets and from getNewReplicaSet, in both
// getAllReplicaSetsAndSyncRevision calls of sync.go); templates read from informers are deep-frozen,
// so the verdict for a pair of them never changes and is computed once. Templates that are not
// frozen are compared every time.

import { equalIgnoreHash } from './deployment-util.js';

export class TemplateComparisons {
  readonly #verdicts = new WeakMap<object, WeakMap<object, boolean>>();

  /** equalIgnoreHash(a, b), remembered for frozen templates. */
  readonly equalIgnoreHash = (a: unknown, b: unknown): boolean => {
    if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null || !Object.isFrozen(a) || !Object.isFrozen(b)) return equalIgnoreHash(a, b);
    let byB = this.#verdicts.get(a);
    if (byB === undefined) {
      byB = new WeakMap();
      this.#verdicts.set(a, byB);
    }
    let verdict = byB.get(b);
    if (verdict === undefined) {
      verdict = equalIgnoreHash(a, b);
      byB.set(b, verdict);
    }
    return verdict;
  };
}
