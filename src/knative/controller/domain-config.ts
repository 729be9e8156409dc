// config-domain as knative/serving pkg/reconciler/route/config/domain.go reads it: each key is a
// domain, each value a YAML `selector:` of route labels; a key without a selector is a default.
// With no default the cluster-local domain svc.cluster.local is the default (DefaultDomain).
// LookupDomainForLabels picks the most specific matching selector, ties broken by the smaller
// domain name; a route labelled cluster-local always gets svc.cluster.local.

import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../config/config-error.js';
import { LABELS } from '../apis/serving-labels.js';

export const DOMAIN_CONFIG_NAME = 'config-domain';
export const CLUSTER_DOMAIN = 'cluster.local';
export const CLUSTER_LOCAL_DOMAIN = `svc.${CLUSTER_DOMAIN}`;

export interface DomainEntry {
  domain: string;
  selector: Readonly<Record<string, string>>;
}

export interface DomainConfig {
  /** Sorted by domain name. */
  entries: readonly DomainEntry[];
}

export const DEFAULT_DOMAIN_CONFIG: Readonly<DomainConfig> = Object.freeze({
  entries: Object.freeze([{ domain: CLUSTER_LOCAL_DOMAIN, selector: {} }]),
});

function selectorOf(domain: string, text: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ConfigError(DOMAIN_CONFIG_NAME, domain, text, (e as Error).message);
  }
  if (doc === null || doc === undefined || typeof doc !== 'object' || Array.isArray(doc)) return {};
  const selector = (doc as { selector?: unknown }).selector;
  if (selector === undefined || selector === null) return {};
  if (typeof selector !== 'object' || Array.isArray(selector)) {
    throw new ConfigError(DOMAIN_CONFIG_NAME, domain, text, `selector of ${domain} is not a mapping`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(selector as Record<string, unknown>)) out[k] = String(v);
  return out;
}

/** NewDomainFromConfigMap. Throws ConfigError. */
export function parseDomainConfig(data: Readonly<Record<string, string>>): DomainConfig {
  const entries: DomainEntry[] = [];
  let hasDefault = false;
  for (const domain of Object.keys(data).sort()) {
    if (domain === '_example') continue;
    const selector = selectorOf(domain, data[domain]);
    if (Object.keys(selector).length === 0) hasDefault = true;
    entries.push({ domain, selector });
  }
  if (!hasDefault) entries.push({ domain: CLUSTER_LOCAL_DOMAIN, selector: {} });
  entries.sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
  return { entries };
}

/** LookupDomainForLabels. */
export function lookupDomainForLabels(config: DomainConfig, labels: Readonly<Record<string, string>> | undefined): string {
  const have = labels ?? {};
  if (have[LABELS.visibility] === 'cluster-local') return CLUSTER_LOCAL_DOMAIN;
  let domain = '';
  let specificity = -1;
  for (const entry of config.entries) {
    const keys = Object.keys(entry.selector);
    if (!keys.every((k) => have[k] === entry.selector[k])) continue;
    if (keys.length < specificity) continue;
    if (keys.length > specificity || entry.domain < domain) {
      domain = entry.domain;
      specificity = keys.length;
    }
  }
  return domain;
}
