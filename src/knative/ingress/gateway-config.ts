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

export class GatewayConfig {
  readonly #loaded = new Map<string, Loaded>();
  /** The loaded keys in order, until the next apply or remove. */
  #sortedKeys: string[] | undefined;

  /** The generation of a KIngress this gateway serves, if any. */
  generationOf(key: string): number | undefined {
    return this.#loaded.get(key)?.generation;
  }

  apply(key: string, ingress: KubeObject): void {
    const rules = (ingress.spec?.rules ?? []) as IngressRule[];
    this.#loaded.set(key, { generation: ingress.metadata.generation ?? 0, rules: JSON.parse(JSON.stringify(rules)) as IngressRule[] });
    this.#sortedKeys = undefined;
  }

  remove(key: string): void {
    this.#loaded.delete(key);
    this.#sortedKeys = undefined;
  }

  keys(): string[] {
    return [...this.#orderedKeys()];
  }

  lookup(host: string, path: string): RouteMatch | undefined {
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

  #orderedKeys(): readonly string[] {
    return (this.#sortedKeys ??= [...this.#loaded.keys()].sort());
  }
}
