// The Route's KIngress (knative/serving pkg/reconciler/route/resources/ingress.go MakeIngress,
// makeIngressSpec, makeIngressRules, makeBaseIngressPath; traffic/rollout.go BuildRollout), named
// after the Route and controlled by it. For every traffic name (sorted), a ClusterLocal rule
// listing the expanded cluster-local hosts, plus, unless the name is cluster-local, one
// ExternalIP rule per external host. Each rule has one path whose splits send each target with a
// non-zero percent to the revision's public Service (port 80, 81 for h2c; before v0.21 the name
// the Revision's status reports, see traffic-config.ts) with the headers
// Knative-Serving-Revision and Knative-Serving-Namespace. Labels: the Route's plus route and
// routeNamespace; annotations: the ingress class and the serialized rollout, over the Route's.
// Not modelled: TLS, ACME challenge paths, tag-header based routing, gradual rollouts (the
// rollout annotation always describes the finished state: rollout-duration 0).

import type { KubeObject } from '../../apiserver/types.js';
import { ANNOTATIONS, LABELS } from '../apis/serving-labels.js';
import { controllerRef } from './owner-refs.js';
import { domainsForVisibility, type IngressVisibility, type RouteDomainConfigs } from './route-domains.js';
import type { RevisionTarget, TrafficConfig } from './traffic-config.js';

export const ROLLOUT_ANNOTATION = 'networking.internal.knative.dev/rollout';
export const ROUTE_NAMESPACE_LABEL = 'serving.knative.dev/routeNamespace';
/** activator.RevisionHeaderName / RevisionHeaderNamespace. */
export const REVISION_HEADER = 'Knative-Serving-Revision';
export const REVISION_NAMESPACE_HEADER = 'Knative-Serving-Namespace';

const EXCLUDED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'networking.knative.dev/certificate-class',
  'networking.knative.dev/ingress-class',
]);

function makeSplits(namespace: string, targets: readonly RevisionTarget[]): Record<string, unknown>[] {
  return targets.filter((t) => t.percent !== 0).map((t) => ({
    serviceNamespace: namespace,
    serviceName: t.serviceName ?? t.revisionName,
    servicePort: t.protocol === 'h2c' ? 81 : 80,
    percent: t.percent,
    appendHeaders: { [REVISION_HEADER]: t.revisionName, [REVISION_NAMESPACE_HEADER]: namespace },
  }));
}

function makeRules(configs: RouteDomainConfigs, route: KubeObject, traffic: TrafficConfig, visibility: Map<string, IngressVisibility>): { rules: unknown[]; tagToHost: Record<string, string[]> } {
  const namespace = route.metadata.namespace!;
  const rules: unknown[] = [];
  const tagToHost: Record<string, string[]> = {};
  for (const [name, targets] of traffic.targets) {
    const visibilities: IngressVisibility[] = ['ClusterLocal'];
    if ((visibility.get(name) ?? 'ExternalIP') === 'ExternalIP') visibilities.push('ExternalIP');
    for (const v of visibilities) {
      const domains = domainsForVisibility(configs, route, name, v);
      const path = { splits: makeSplits(namespace, targets) };
      const hostGroups = v === 'ClusterLocal' ? [domains.expanded] : domains.expanded.map((h) => [h]);
      for (const hosts of hostGroups) rules.push({ hosts, visibility: v, http: { paths: [path] } });
      if (name !== '') (tagToHost[name] ??= []).push(domains.primary);
    }
  }
  return { rules, tagToHost };
}

/** The rollout the Ingress records: every latestRevision target with traffic, finished. */
export function buildRollout(traffic: TrafficConfig): { configurations?: unknown[] } {
  const configurations: { configurationName: string; tag?: string; percent: number; revisions: unknown[]; stepParams: object }[] = [];
  for (const [tag, targets] of traffic.targets) {
    for (const t of targets) {
      if (!t.latestRevision || t.percent === 0) continue;
      const entry: (typeof configurations)[number] = {
        configurationName: t.configurationName ?? '', percent: t.percent,
        revisions: [{ revisionName: t.revisionName, percent: t.percent }], stepParams: {},
      };
      if (tag !== '') entry.tag = tag;
      configurations.push(entry);
    }
  }
  configurations.sort((a, b) => ((a.tag ?? '') === (b.tag ?? '') ? (a.configurationName < b.configurationName ? -1 : 1) : ((a.tag ?? '') < (b.tag ?? '') ? -1 : 1)));
  return configurations.length > 0 ? { configurations } : {};
}

/** GetHTTPOption from config-network (the per-route annotation is not modelled); Disabled sets none. */
function httpOption(configs: RouteDomainConfigs, rules: unknown[]): Record<string, unknown> {
  const protocol = configs.network.httpProtocol;
  return protocol === 'Disabled' ? { rules } : { rules, httpOption: protocol };
}

export function makeIngress(options: { configs: RouteDomainConfigs; route: KubeObject; traffic: TrafficConfig; visibility: Map<string, IngressVisibility>; ingressClass: string }): KubeObject {
  const { configs, route, traffic } = options;
  const { rules, tagToHost } = makeRules(configs, route, traffic, options.visibility);
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries({ [ANNOTATIONS.ingressClass]: options.ingressClass, [ROLLOUT_ANNOTATION]: JSON.stringify(buildRollout(traffic)), ...(route.metadata.annotations ?? {}) })) {
    if (!EXCLUDED_ANNOTATIONS.has(k)) annotations[k] = v;
  }
  if (Object.keys(tagToHost).length > 0) annotations['networking.internal.knative.dev/tag-to-host'] = JSON.stringify(tagToHost);
  return {
    apiVersion: 'networking.internal.knative.dev/v1alpha1',
    kind: 'Ingress',
    metadata: {
      name: route.metadata.name,
      namespace: route.metadata.namespace,
      labels: { ...(route.metadata.labels ?? {}), [LABELS.route]: route.metadata.name!, [ROUTE_NAMESPACE_LABEL]: route.metadata.namespace! },
      annotations,
      ownerReferences: [controllerRef(route)],
    },
    spec: httpOption(configs, rules),
  };
}
