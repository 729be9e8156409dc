// The routes one gateway has loaded (envoy's configuration in net-kourier terms): per KIngress, the
// generation applied and its rules. A request is matched by host (exact, without a port; every
// visibility is served by the one gateway) and then by path prefix (a path without `path` matches
// everything); KIngresses are consulted in key order, rules and paths in spec order.

import type { KubeObject } from '../../apiserver/types.js';

export interface IngressSplit {
  serviceName: string;
  serviceNamespace: string;
  servicePort: number;
  percent: number;
  appendHeaders?: Record<string, string>;
}

export interface IngressPath {
  path?: string;
  splits: IngressSplit[];
  appendHeaders?: Record<string, string>;
}

interface IngressRule {
  hosts?: string[];
  visibility?: string;
  http?: { paths?: IngressPath[] };
}

interface Loaded {
  generation: number;
  rules: IngressRule[];
}

export interface RouteMatch {
  ingress: string;
  path: IngressPath;
}

/** Lookups remembered between two changes of the loaded routes (a bound: hosts and paths come from the workload). */
const MAX_REMEMBERED_LOOKUPS = 1024;

export class GatewayConfig {
  readonly #loaded = new Map<string, Loaded>();
  /** The loaded keys in order, until the next apply or remove. */
  #sortedKeys: string[] | undefined;
  /** lookup's answers by host, then path (null: no route), until the next apply or remove. */
  readonly #lookups = new Map<string, Map<string, RouteMatch | null>>();
  #lookupCount = 0;

  /** The generation of a KIngress this gateway serves, if any. */
  generationOf(key: string): number | undefined {
    return this.#loaded.get(key)?.generation;
  }

  apply(key: string, ingress: KubeObject): void {
    const rules = (ingress.spec?.rules ?? []) as IngressRule[];
    this.#loaded.set(key, { generation: ingress.metadata.generation ?? 0, rules: JSON.parse(JSON.stringify(rules)) as IngressRule[] });
    this.#changed();
  }

  remove(key: string): void {
    this.#loaded.delete(key);
    this.#changed();
  }

  keys(): string[] {
    return [...this.#orderedKeys()];
  }

  /** The route of a request: the same answer (object) for the same host and path until the routes change. */
  lookup(host: string, path: string): RouteMatch | undefined {
    let byPath = this.#lookups.get(host);
    const known = byPath?.get(path);
    if (known !== undefined) return known ?? undefined;
    const match = this.#match(host, path);
    if (this.#lookupCount >= MAX_REMEMBERED_LOOKUPS) {
      this.#forgetLookups();
      byPath = undefined;
    }
    if (byPath === undefined) {
      byPath = new Map();
      this.#lookups.set(host, byPath);
    }
    byPath.set(path, match ?? null);
    this.#lookupCount++;
    return match;
  }

  #match(host: string, path: string): RouteMatch | undefined {
    const bare = host.includes(':') ? host.replace(/:\d+$/, '') : host;
    for (const key of this.#orderedKeys()) {
      for (const rule of this.#loaded.get(key)!.rules) {
        if (!(rule.hosts ?? []).includes(bare)) continue;
        const match = (rule.http?.paths ?? []).find((p) => path.startsWith(p.path ?? ''));
        if (match) return { ingress: key, path: match };
      }
    }
    return undefined;
  }

  #changed(): void {
    this.#sortedKeys = undefined;
    this.#forgetLookups();
  }

  #forgetLookups(): void {
    this.#lookups.clear();
    this.#lookupCount = 0;
  }

  #orderedKeys(): readonly string[] {
    return (this.#sortedKeys ??= [...this.#loaded.keys()].sort());
  }
}
