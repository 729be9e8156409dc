// The Endpoints a Service's ClusterIP routes to, as the kube-proxy of the caller's node has
// programmed them. kube-proxy (kubernetes pkg/proxy/iptables/proxier.go syncProxyRules, run
// through the BoundedFrequencyRunner of pkg/proxy/runner.go) applies an Endpoints change at its
// next rule sync, and syncs at most once per minSyncPeriod (1 s by default since
// kubernetes/kubernetes#92836); so a connection opened right after an Endpoints change can still
// reach an address the change removed. Here every version of an Endpoints object the informer
// delivers takes effect after a delay drawn through the chooser, uniform in [0, minSyncPeriod]
// (where the change falls in the rate limiter's period); the rule write itself is not timed.
// A lookup answers with the newest version already in effect (versions take effect in order).
// Simplification: the view is fed by the calling component's own Endpoints informer, so it starts
// empty when that component restarts, where a node's kube-proxy would have kept its rules.

import type { KubeObject } from '../../apiserver/types.js';
import { objectKey, type Informer } from '../../client/informer.js';
import type { ChoiceSource } from '../../sim/chooser.js';

/** kube-proxy's default iptables minSyncPeriod. */
export const KUBE_PROXY_MIN_SYNC_PERIOD_MS = 1000;

interface Version {
  effectiveAtMs: number;
  /** undefined: the Endpoints object was deleted. */
  object: KubeObject | undefined;
}

export interface KubeProxyViewOptions {
  endpoints: Informer;
  choices: ChoiceSource;
  nowMs: () => number;
  minSyncPeriodMs?: number;
}

export class KubeProxyView {
  readonly #o: KubeProxyViewOptions;
  readonly #versions = new Map<string, Version[]>();

  constructor(options: KubeProxyViewOptions) {
    this.#o = options;
    options.endpoints.addHandler({
      add: (obj) => this.#observe(objectKey(obj), obj),
      update: (_old, obj) => this.#observe(objectKey(obj), obj),
      delete: (obj) => this.#observe(objectKey(obj), undefined),
    });
  }

  /** The Endpoints `namespace/name` as programmed now, or undefined when none is. */
  get(key: string): KubeObject | undefined {
    const list = this.#versions.get(key);
    if (list === undefined) return undefined;
    const now = this.#o.nowMs();
    let current = 0;
    while (current + 1 < list.length && list[current + 1].effectiveAtMs <= now) current++;
    // Versions superseded by one already in effect are no longer needed.
    if (current > 0) list.splice(0, current);
    return list[0].effectiveAtMs <= now ? list[0].object : undefined;
  }

  #observe(key: string, object: KubeObject | undefined): void {
    const period = this.#o.minSyncPeriodMs ?? KUBE_PROXY_MIN_SYNC_PERIOD_MS;
    let list = this.#versions.get(key);
    if (list === undefined) this.#versions.set(key, (list = []));
    const last = list[list.length - 1];
    // A later change is never programmed before an earlier one.
    const effectiveAtMs = Math.max(this.#o.nowMs() + this.#o.choices.int(period + 1), last?.effectiveAtMs ?? 0);
    list.push({ effectiveAtMs, object });
  }
}
