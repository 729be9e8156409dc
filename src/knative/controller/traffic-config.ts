// BuildTrafficConfiguration (knative/serving pkg/reconciler/route/traffic/traffic.go, errors.go):
// resolves a Route's spec traffic to revisions — a configuration target to the Configuration's
// LatestReadyRevisionName, which must exist and be Ready; a revision target must be Ready (and,
// in a Service's Route, belong to that Service). Targets are flattened into the default traffic
// name '' and their tag's name, same-revision targets merged, a lone target given 100%. The first
// failure, or a later one that is a hard failure, becomes the target error that marks
// AllTrafficAssigned and leaves no targets. Before #10638 (fbbbb98dc9, v0.21) a target's Service
// was the Revision's status.serviceName (copied from its PodAutoscaler), since then its name.

import type { KubeObject } from '../../apiserver/types.js';
import type { Informer } from '../../client/informer.js';
import type { ConditionManager } from '../apis/condition-set.js';
import { LABELS } from '../apis/serving-labels.js';
import { revisionIsReady } from './revision-status.js';
import { cached } from './reconciler-host.js';

export type Protocol = 'http1' | 'h2c';

export interface RevisionTarget {
  tag: string;
  revisionName: string;
  configurationName?: string;
  latestRevision: boolean;
  percent: number;
  protocol: Protocol;
  /** The Service the ingress sends this target to when it is not the Revision's name: before
   * #10638 (fbbbb98dc9, v0.21) the Revision's status.serviceName, empty until its PA has one. */
  serviceName?: string;
}

export interface TargetError {
  message: string;
  isFailure: boolean;
  /** MarkBadTrafficTarget. */
  mark(m: ConditionManager): void;
}

export interface TrafficConfig {
  /** Consolidated targets by traffic name ('' is the default), names sorted. */
  targets: Map<string, RevisionTarget[]>;
  /** The flattened targets, in spec order (what the status reports). */
  revisionTargets: RevisionTarget[];
  configurations: Map<string, KubeObject>;
  revisions: Map<string, KubeObject>;
  missing: { kind: 'Configuration' | 'Revision'; name: string }[];
}

const ALL = 'AllTrafficAssigned';

function readyOf(obj: KubeObject): string {
  return (obj.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')?.status ?? 'Unknown';
}

const missingTarget = (kind: string, name: string): TargetError => ({
  message: `${kind} "${name}" referenced in traffic not found`, isFailure: true,
  mark: (m) => m.markFalse(ALL, `${kind}Missing`, `${kind} "${name}" referenced in traffic not found.`),
});

function unready(kind: 'Configuration' | 'Revision', obj: KubeObject): TargetError {
  const name = obj.metadata.name!;
  const isFailure = readyOf(obj) === 'False';
  const what = kind === 'Configuration'
    ? (isFailure ? `Configuration "${name}" does not have any ready Revision.` : `Configuration "${name}" is waiting for a Revision to become ready.`)
    : (isFailure ? `Revision "${name}" failed to become ready.` : `Revision "${name}" is not yet ready.`);
  return {
    message: `${kind} "${name}" not ready, isFailure=${isFailure}`, isFailure,
    mark: (m) => (isFailure ? m.markFalse(ALL, 'RevisionMissing', what) : m.markUnknown(ALL, 'RevisionMissing', what)),
  };
}

function notOwned(revision: string, expected: string, actual: string): TargetError {
  const message = actual === '' ? `Revision "${revision}" does not belong to Service "${expected}".`
    : `Revision "${revision}" belongs to Service "${actual}", not Service "${expected}".`;
  return { message, isFailure: true, mark: (m) => m.markFalse(ALL, 'RevisionNotOwned', message) };
}

/** Revision.GetProtocol: h2c when the serving container's first port is named h2c. */
export function revisionProtocol(rev: KubeObject): Protocol {
  const containers: { ports?: { name?: string }[] }[] = rev.spec?.containers ?? [];
  const serving = containers.length === 1 ? containers[0] : containers.find((c) => (c.ports?.length ?? 0) > 0);
  return serving?.ports?.[0]?.name === 'h2c' ? 'h2c' : 'http1';
}

function consolidate(targets: RevisionTarget[]): RevisionTarget[] {
  const byName = new Map<string, RevisionTarget>();
  for (const t of targets) {
    const cur = byName.get(t.revisionName);
    if (cur === undefined) byName.set(t.revisionName, { ...t });
    else cur.percent += t.percent;
  }
  const out = [...byName.values()];
  if (out.length === 1) out[0].percent = 100;
  return out;
}

interface Listers {
  configurations: Informer;
  revisions: Informer;
}

export interface TrafficOptions {
  /** Before #10638: the ingress targets the Revision's status.serviceName, not its name. */
  serviceNameFromStatus: boolean;
}

class TrafficBuilder {
  readonly config: TrafficConfig = { targets: new Map(), revisionTargets: [], configurations: new Map(), revisions: new Map(), missing: [] };
  deferred: TargetError | undefined;

  constructor(readonly listers: Listers, readonly route: KubeObject, readonly options: TrafficOptions) {}

  configuration(name: string): KubeObject | TargetError {
    const found = this.config.configurations.get(name) ?? cached(this.listers.configurations, this.route.metadata.namespace, name);
    if (found === undefined) {
      this.config.missing.push({ kind: 'Configuration', name });
      return missingTarget('Configuration', name);
    }
    this.config.configurations.set(name, found);
    return found;
  }

  revision(name: string): KubeObject | TargetError {
    const found = this.config.revisions.get(name) ?? cached(this.listers.revisions, this.route.metadata.namespace, name);
    if (found === undefined) {
      this.config.missing.push({ kind: 'Revision', name });
      return missingTarget('Revision', name);
    }
    this.config.revisions.set(name, found);
    return found;
  }

  add(tt: Record<string, any>): void {
    const result = tt.revisionName ? this.#revisionTarget(tt) : tt.configurationName ? this.#configurationTarget(tt) : undefined;
    if (result === undefined || 'tag' in result) {
      if (result) this.#flatten(result);
      return;
    }
    if (this.deferred === undefined || result.isFailure) this.deferred = result;
  }

  #configurationTarget(tt: Record<string, any>): RevisionTarget | TargetError {
    const config = this.configuration(tt.configurationName);
    if (!('metadata' in config)) return config;
    const latestReady: string | undefined = config.status?.latestReadyRevisionName;
    if (!latestReady) return unready('Configuration', config);
    const rev = this.revision(latestReady);
    if (!('metadata' in rev)) return rev;
    if (!revisionIsReady(rev)) return unready('Revision', rev);
    return this.#target(tt, rev, tt.configurationName);
  }

  #revisionTarget(tt: Record<string, any>): RevisionTarget | TargetError {
    const rev = this.revision(tt.revisionName);
    if (!('metadata' in rev)) return rev;
    const routeService = this.route.metadata.labels?.[LABELS.service] ?? '';
    const revService = rev.metadata.labels?.[LABELS.service] ?? '';
    if (routeService !== '' && routeService !== revService) return notOwned(tt.revisionName, routeService, revService);
    if (!revisionIsReady(rev)) return unready('Revision', rev);
    const configName = rev.metadata.labels?.[LABELS.configuration];
    if (configName !== undefined) {
      const config = this.configuration(configName);
      if (!('metadata' in config)) return config;
    }
    return this.#target(tt, rev, configName);
  }

  #target(tt: Record<string, any>, rev: KubeObject, configurationName: string | undefined): RevisionTarget {
    const target: RevisionTarget = {
      tag: tt.tag ?? '', revisionName: rev.metadata.name!, latestRevision: tt.latestRevision === true,
      percent: tt.percent ?? 0, protocol: revisionProtocol(rev),
    };
    if (configurationName !== undefined) target.configurationName = configurationName;
    if (this.options.serviceNameFromStatus) target.serviceName = (rev.status?.serviceName as string | undefined) ?? '';
    return target;
  }

  /** addFlattenedTarget with mergeIfNecessary. */
  #flatten(target: RevisionTarget): void {
    const same = this.config.revisionTargets.find((t) => t.tag === target.tag && t.revisionName === target.revisionName && t.latestRevision === target.latestRevision);
    if (same) same.percent += target.percent;
    else this.config.revisionTargets.push({ ...target });
    const names = target.tag === '' ? [''] : ['', target.tag];
    for (const name of names) {
      const list = this.config.targets.get(name) ?? [];
      list.push({ ...target });
      this.config.targets.set(name, list);
    }
  }
}

/** BuildTrafficConfiguration: the resolved targets and, if any, the target error. */
export function buildTrafficConfiguration(listers: Listers, route: KubeObject, options: TrafficOptions = { serviceNameFromStatus: false }): { config: TrafficConfig; error?: TargetError } {
  const b = new TrafficBuilder(listers, route, options);
  for (const tt of route.spec?.traffic ?? []) b.add(tt);
  const { config } = b;
  if (b.deferred !== undefined) {
    config.targets = new Map();
    config.revisionTargets = [];
    return { config, error: b.deferred };
  }
  config.targets = new Map([...config.targets.keys()].sort().map((name) => [name, consolidate(config.targets.get(name)!)]));
  return { config };
}
