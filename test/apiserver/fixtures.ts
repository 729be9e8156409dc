// Shared test data for the API server suites. Storage-level ports use "widgets", a plain
// namespaced kind registered for tests: the analog of upstream's example.Pod
// (k8s.io/apiserver pkg/apis/example), with spec.nodeName selectable, no status subresource, no
// graceful deletion. Registry-level ports use the real built-in kinds.
import { ApiServer, type ApiServerOptions } from '../../src/apiserver/api-server.js';
import { registerBuiltinKinds } from '../../src/apiserver/builtin-kinds.js';
import { deepCopy } from '../../src/apiserver/deep-copy.js';
import type { Registry, ResourceType } from '../../src/apiserver/registry.js';
import type { KubeObject, ResourceId, Status, WatchEvent } from '../../src/apiserver/types.js';
import type { WatchSink } from '../../src/apiserver/watch-cache.js';
import { Prng } from '../../src/sim/prng.js';

export const PODS: ResourceId = { group: '', version: 'v1', resource: 'pods' };
export const NAMESPACES: ResourceId = { group: '', version: 'v1', resource: 'namespaces' };
export const CONFIGMAPS: ResourceId = { group: '', version: 'v1', resource: 'configmaps' };
export const SERVICES: ResourceId = { group: '', version: 'v1', resource: 'services' };
export const NODES: ResourceId = { group: '', version: 'v1', resource: 'nodes' };
export const EVENTS: ResourceId = { group: '', version: 'v1', resource: 'events' };
export const DEPLOYMENTS: ResourceId = { group: 'apps', version: 'v1', resource: 'deployments' };
export const REPLICASETS: ResourceId = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const KSERVICES: ResourceId = { group: 'serving.knative.dev', version: 'v1', resource: 'services' };
export const REVISIONS: ResourceId = { group: 'serving.knative.dev', version: 'v1', resource: 'revisions' };
export const WIDGETS: ResourceId = { group: 'example.sleeveless.dev', version: 'v1', resource: 'widgets' };
export const ORPHAN_WIDGETS: ResourceId = { group: 'example.sleeveless.dev', version: 'v1', resource: 'orphanwidgets' };

function widgetType(kind: string, plural: string, extra: Partial<ResourceType> = {}): ResourceType {
  return {
    group: 'example.sleeveless.dev', version: 'v1', kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List`,
    namespaced: true, subresources: { status: false }, generation: 'none', allowUnconditionalUpdate: true,
    strategicMerge: false, selectableFields: ['spec.nodeName'], ...extra,
  };
}

/** Built-in kinds plus Widget (default GC policy) and OrphanWidget (orphans by default, like testOrphanDeleteStrategy). */
export function testRegistry(): Registry {
  const registry = registerBuiltinKinds();
  registry.register(widgetType('Widget', 'widgets'));
  registry.register(widgetType('OrphanWidget', 'orphanwidgets', { gcPolicy: 'OrphanDependents' }));
  return registry;
}

export interface TestServer {
  server: ApiServer;
  clock: { nowMs: number };
}

export function newServer(options: { seed?: number | string; watchHistoryLimit?: number; registry?: Registry } = {}): TestServer {
  const clock = { nowMs: 0 };
  const serverOptions: ApiServerOptions = { registry: options.registry ?? testRegistry() };
  if (options.watchHistoryLimit !== undefined) serverOptions.watchHistoryLimit = options.watchHistoryLimit;
  const server = new ApiServer({ nowMs: () => clock.nowMs, random: new Prng(options.seed ?? 'apiserver-test') }, serverOptions);
  return { server, clock };
}

export function namespace(server: ApiServer, name: string): KubeObject {
  return server.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export function widget(ns: string, name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'example.sleeveless.dev/v1', kind: 'Widget', metadata: { name, namespace: ns, ...meta }, spec };
}

export function pod(ns: string, name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, ...meta },
    spec: { containers: [{ name: 'app', image: 'example.com/app:1' }], ...spec },
  };
}

export function deployment(ns: string, name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, ...meta },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'example.com/app:1' }] } },
      ...spec,
    },
  };
}

export function kservice(ns: string, name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name, namespace: ns, ...meta },
    spec: { template: { spec: { containers: [{ image: 'example.com/app:1' }] } }, ...spec },
  };
}

/** A deep, mutable copy of a stored (frozen) object. */
export function edit<T>(obj: T): T {
  return deepCopy(obj);
}

/** Records what a watch delivers. */
export class RecordingSink implements WatchSink {
  readonly events: WatchEvent[] = [];
  closedCount = 0;
  closedWith: Status | undefined;

  event(ev: WatchEvent): void {
    this.events.push(ev);
  }

  closed(status?: Status): void {
    this.closedCount++;
    this.closedWith = status;
  }

  /** The events received since the last take(). */
  take(): WatchEvent[] {
    return this.events.splice(0, this.events.length);
  }

  /** [type, name, resourceVersion] triples, handy for compact assertions. */
  summary(events: WatchEvent[] = this.events): [string, string | undefined, string | undefined][] {
    return events.map((ev) => {
      const obj = ev.object as KubeObject;
      return [ev.type, obj.metadata?.name, obj.metadata?.resourceVersion];
    });
  }
}

/** Runs `fn` and returns the thrown ApiError's status (or fails the assertion via undefined). */
export function statusOf(fn: () => unknown): Status | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { status?: Status }).status;
  }
  return undefined;
}
