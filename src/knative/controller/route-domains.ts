// Route host names (knative/serving pkg/reconciler/route/domains/domains.go, visibility/
// visibility.go, resources/labels; knative.dev/networking pkg/ingress ExpandedHosts): the host of
// a traffic name is the tag template applied to (route, tag) — the route's own name for the
// default target — then the domain template applied to (host, namespace, domain), the domain
// looked up from config-domain by the route's labels. Cluster-local hosts always use the default
// template and svc.cluster.local, and are expanded to `name.ns`, `name.ns.svc` and the full name.
// A route whose domain is svc.cluster.local (the default config-domain) is cluster-local only.

import type { KubeObject } from '../../apiserver/types.js';
import { LABELS } from '../apis/serving-labels.js';
import { CLUSTER_DOMAIN, CLUSTER_LOCAL_DOMAIN, lookupDomainForLabels, type DomainConfig } from './domain-config.js';
import { executeHostTemplate, TemplateError } from './host-template.js';
import { DEFAULT_NETWORK_CONFIG, type NetworkConfig } from './network-config.js';

export type IngressVisibility = 'ClusterLocal' | 'ExternalIP';

/** domains.ErrDomainName: a template did not execute or gave an invalid host. */
export class DomainNameError extends Error {
  override readonly name = 'DomainNameError';
}

export interface RouteDomainConfigs {
  domain: DomainConfig;
  network: NetworkConfig;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isFullyQualifiedDomainName(host: string): boolean {
  const labels = host.split('.');
  return host.length <= 253 && labels.length >= 2 && labels.every((l) => l.length <= 63 && DNS_LABEL.test(l));
}

/** HostnameFromTemplate: the tag template for a tagged target, the route name otherwise. */
export function hostnameFromTemplate(configs: RouteDomainConfigs, routeName: string, tag: string): string {
  if (tag === '') return routeName;
  try {
    return executeHostTemplate(configs.network.tagTemplate, { Name: routeName, Tag: tag });
  } catch (e) {
    if (e instanceof TemplateError) throw new DomainNameError(`domain name error: error executing the TagTemplate: ${e.message}`);
    throw e;
  }
}

/** DomainNameFromTemplate for `route` seen with `clusterLocal` visibility. */
export function domainNameFromTemplate(configs: RouteDomainConfigs, route: KubeObject, name: string, clusterLocal: boolean): string {
  const labels = { ...(route.metadata.labels ?? {}) };
  if (clusterLocal) labels[LABELS.visibility] = 'cluster-local';
  else delete labels[LABELS.visibility];
  const template = clusterLocal ? DEFAULT_NETWORK_CONFIG.domainTemplate : configs.network.domainTemplate;
  let host: string;
  try {
    host = executeHostTemplate(template, {
      Name: name, Namespace: route.metadata.namespace ?? '', Domain: lookupDomainForLabels(configs.domain, labels),
      Annotations: route.metadata.annotations ?? {}, Labels: labels,
    });
  } catch (e) {
    if (e instanceof TemplateError) throw new DomainNameError(`domain name error: error executing the DomainTemplate: ${e.message}`);
    throw e;
  }
  if (!isFullyQualifiedDomainName(host)) throw new DomainNameError(`domain name error: invalid domain name "${host}"`);
  return host;
}

/** ingress.ExpandedHosts for one host. */
export function expandedHosts(host: string): string[] {
  const out = new Set<string>([host]);
  for (const suffix of [`.${CLUSTER_DOMAIN}`, `.svc.${CLUSTER_DOMAIN}`]) {
    if (host.endsWith(suffix)) out.add(host.slice(0, -suffix.length));
  }
  return [...out].filter((h) => !/^\d+$/.test(h.split('.').pop() ?? '')).sort();
}

/** GetDomainsForVisibility: the primary host and the hosts a rule lists. */
export function domainsForVisibility(configs: RouteDomainConfigs, route: KubeObject, tag: string, visibility: IngressVisibility): { primary: string; expanded: string[] } {
  const clusterLocal = visibility === 'ClusterLocal';
  const primary = domainNameFromTemplate(configs, route, hostnameFromTemplate(configs, route.metadata.name!, tag), clusterLocal);
  return { primary, expanded: clusterLocal ? expandedHosts(primary) : [primary] };
}

/**
 * GetVisibility: each traffic name (the default '' and every tag) is cluster-local when the route's
 * domain is svc.cluster.local. (Upstream also honours a cluster-local label on the per-tag
 * placeholder Service, which this model does not create.)
 */
export function routeVisibility(configs: RouteDomainConfigs, route: KubeObject): Map<string, IngressVisibility> {
  const domain = lookupDomainForLabels(configs.domain, route.metadata.labels);
  const visibility: IngressVisibility = domain === CLUSTER_LOCAL_DOMAIN ? 'ClusterLocal' : 'ExternalIP';
  const names = new Set<string>(['']);
  for (const tt of route.spec?.traffic ?? []) names.add(tt.tag ?? '');
  return new Map([...names].sort().map((n) => [n, visibility]));
}
