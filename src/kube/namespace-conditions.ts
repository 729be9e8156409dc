// The status conditions the namespace deleter maintains on a terminating Namespace (k8s.io/kubernetes
// pkg/controller/namespace/deletion/status_condition_utils.go): every sync sets all five types,
// the failing ones True with what failed, the others False with their "ok" reason.

import type { KubeObject } from '../apiserver/types.js';

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export const NAMESPACE_CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const OK: Record<string, [reason: string, message: string]> = {
  NamespaceDeletionDiscoveryFailure: ['ResourcesDiscovered', 'All resources successfully discovered'],
  NamespaceDeletionGroupVersionParsingFailure: ['ParsedGroupVersions', 'All legacy kube types successfully parsed'],
  NamespaceDeletionContentFailure: ['ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
  NamespaceContentRemaining: ['ContentRemoved', 'All content successfully removed'],
  NamespaceFinalizersRemaining: ['ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
};

export interface ContentTotals {
  /** `<resource>.<group>` → instances remaining. */
  resourcesRemaining: Map<string, number>;
  /** finalizer → instances holding it. */
  finalizersRemaining: Map<string, number>;
}

export class NamespaceConditionUpdater {
  readonly #failing = new Map<string, { reason: string; message: string }>();
  readonly #deleteErrors: string[] = [];

  /** ProcessDeleteContentErr. */
  deleteContentError(message: string): void {
    this.#deleteErrors.push(message);
  }

  /** ProcessContentTotals. */
  contentTotals(totals: ContentTotals): void {
    const list = (m: Map<string, number>, fmt: (k: string, n: number) => string): string =>
      [...m].filter(([, n]) => n > 0).map(([k, n]) => fmt(k, n)).sort().join(', ');
    if (totals.resourcesRemaining.size > 0) {
      this.#failing.set('NamespaceContentRemaining', {
        reason: 'SomeResourcesRemain',
        message: `Some resources are remaining: ${list(totals.resourcesRemaining, (k, n) => `${k} has ${n} resource instances`)}`,
      });
    }
    if (totals.finalizersRemaining.size > 0) {
      this.#failing.set('NamespaceFinalizersRemaining', {
        reason: 'SomeFinalizersRemain',
        message: `Some content in the namespace has finalizers remaining: ${list(totals.finalizersRemaining, (k, n) => `${k} in ${n} resource instances`)}`,
      });
    }
  }

  /** Update: writes the conditions into `ns.status` (an editable copy); true when anything changed. */
  apply(ns: KubeObject, now: string): boolean {
    if (this.#deleteErrors.length > 0 && !this.#failing.has('NamespaceDeletionContentFailure')) {
      const errors = [...this.#deleteErrors].sort();
      this.#failing.set('NamespaceDeletionContentFailure', {
        reason: 'ContentDeletionFailed',
        message: `Failed to delete all resource types, ${errors.length} remaining: ${errors.join(', ')}`,
      });
    }
    const status = (ns.status ??= {}) as { conditions?: NamespaceCondition[] };
    const conditions = (status.conditions ??= []);
    let changed = false;
    for (const type of NAMESPACE_CONDITION_TYPES) {
      const failing = this.#failing.get(type);
      const want = failing ? { status: 'True' as const, ...failing } : { status: 'False' as const, reason: OK[type][0], message: OK[type][1] };
      const old = conditions.find((c) => c.type === type);
      if (old === undefined) {
        conditions.push({ type, status: want.status, lastTransitionTime: now, reason: want.reason, message: want.message });
        changed = true;
      } else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
        if (old.status !== want.status) old.lastTransitionTime = now;
        Object.assign(old, { status: want.status, reason: want.reason, message: want.message });
        changed = true;
      }
    }
    return changed;
  }
}
