// The activator's revision backends manager (knative/serving pkg/activator/net/revision_backends.go
// revisionBackendsManager; helpers.go endpointsToDests): it follows the private Endpoints of every
// revision (label networking.internal.knative.dev/serviceType=Private, with a revisionUID label),
// keeps one RevisionWatcher per revision — created at the first update, if the revision is in the
// informer; stopped when the Endpoints are deleted — and feeds each the ready and not-ready dests
// (`ip:port` of the port named for the revision's protocol). Release differences, from the
// activator's own profile: before knative/serving#6695 (Knative 0.13) only the ready addresses
// were followed (`probeNotReady: false`); before #12250 (1.1) an exec readiness probe did not turn
// probe optimisation off (`execProbeOptOut: false`).

import type { KubeObject } from '../../apiserver/types.js';
import type { Informer } from '../../client/informer.js';
import type { HttpNetwork } from '../../dataplane/http-network.js';
import type { Simulation } from '../../sim/simulation.js';
import { LABELS } from '../apis/serving-labels.js';
import type { EndpointSubset } from '../kpa/endpoints-types.js';
import { TimerGroup } from '../runtime/timer-group.js';
import { revisionSpecView } from './revision-spec.js';
import { RevisionWatcher, type Dests, type WatcherFixes } from './revision-watcher.js';

export interface RevisionBackendsOptions {
  sim: Simulation;
  http: HttpNetwork;
  selfIp: string;
  revisions: Informer;
  probeTimeoutMs: number;
  probeFrequencyMs: number;
  /** Follow not-ready addresses too (knative/serving#6695). */
  probeNotReady: boolean;
  /** An exec readiness probe turns probe optimisation off (knative/serving#12250). */
  execProbeOptOut: boolean;
  /** The healthy dests of revision `key` changed. */
  onUpdate: (key: string, dests: Set<string>) => void;
  /** The probing behaviour of this activator's release (default: current). */
  fixes?: WatcherFixes;
}

/**
 * endpointsToDests: ready and not-ready `ip:port` for the subsets that carry the named port
 * (without `notReady`, as before #6695, not-ready addresses are left out).
 */
export function endpointsToDests(subsets: readonly EndpointSubset[] | undefined, portName: string, options: { notReady?: boolean } = {}): Dests {
  const ready = new Set<string>();
  const notReady = new Set<string>();
  for (const subset of subsets ?? []) {
    const port = (subset.ports ?? []).find((p) => p.name === portName);
    if (port === undefined) continue;
    for (const a of subset.addresses ?? []) ready.add(`${a.ip}:${port.port}`);
    if (options.notReady ?? true) for (const a of subset.notReadyAddresses ?? []) notReady.add(`${a.ip}:${port.port}`);
  }
  return { ready, notReady };
}

/** The revision key of a private Endpoints, or undefined when it is not one. */
export function privateEndpointsRevision(eps: KubeObject): string | undefined {
  const labels = eps.metadata.labels ?? {};
  if (labels[LABELS.serviceType] !== 'Private' || labels[LABELS.revisionUID] === undefined) return undefined;
  const revision = labels[LABELS.revision] ?? '';
  return revision === '' ? undefined : `${eps.metadata.namespace}/${revision}`;
}

export class RevisionBackendsManager {
  readonly #o: RevisionBackendsOptions;
  readonly #watchers = new Map<string, RevisionWatcher>();

  constructor(options: RevisionBackendsOptions) {
    this.#o = options;
  }

  watcher(key: string): RevisionWatcher | undefined {
    return this.#watchers.get(key);
  }

  endpointsUpdated(eps: KubeObject): void {
    const key = privateEndpointsRevision(eps);
    if (key === undefined) return;
    const watcher = this.#getOrCreate(key);
    watcher?.push(endpointsToDests(eps.subsets as EndpointSubset[] | undefined, watcher.portName, { notReady: this.#o.probeNotReady }));
  }

  endpointsDeleted(eps: KubeObject): void {
    const key = privateEndpointsRevision(eps);
    if (key === undefined) return;
    this.#watchers.get(key)?.stop();
    this.#watchers.delete(key);
  }

  stopAll(): void {
    for (const w of this.#watchers.values()) w.stop();
    this.#watchers.clear();
  }

  #getOrCreate(key: string): RevisionWatcher | undefined {
    const existing = this.#watchers.get(key);
    if (existing !== undefined) return existing;
    const rev = this.#o.revisions.get(key);
    if (rev === undefined) return undefined;
    const { sim, http, selfIp, probeTimeoutMs, probeFrequencyMs } = this.#o;
    const view = revisionSpecView(rev, { execProbeOptOut: this.#o.execProbeOptOut });
    const watcher = new RevisionWatcher({
      key, http, selfIp, probeTimeoutMs, probeFrequencyMs, portName: view.portName,
      timers: new TimerGroup(sim),
      choices: sim.choices('activator/watcher-select'),
      enableProbeOptimisation: view.enableProbeOptimisation,
      onUpdate: (dests) => this.#o.onUpdate(key, dests),
      ...(this.#o.fixes ? { fixes: this.#o.fixes } : {}),
    });
    this.#watchers.set(key, watcher);
    return watcher;
  }
}
