// config-network, the keys the route and revision reconcilers read, as knative.dev/networking
// pkg/config/config.go (defaultConfig, NewConfigFromMap) parses them, legacy camelCase keys first.
// TLS is modelled as off: external-domain-tls, cluster-local-domain-tls and system-internal-tls are
// parsed and validated, and the reconcilers refuse nothing when they are on, but no certificate
// is ever made (the route's CertificateProvisioned says TLSNotEnabled). The one effect modelled:
// with system-internal-tls, revision pods mount the serving certificate into queue-proxy
// (revision-deployment.ts), which then serves its admin port over TLS where its release did.

import { ConfigError } from '../config/config-error.js';
import { ConfigMapReader } from '../config/configmap-reader.js';
import { goStrconv } from '../config/go-strconv.js';
import { executeHostTemplate, TemplateError } from './host-template.js';

export const NETWORK_CONFIG_NAME = 'config-network';

export type HttpProtocol = 'Enabled' | 'Disabled' | 'Redirected';

export interface NetworkConfig {
  defaultIngressClass: string;
  defaultCertificateClass: string;
  domainTemplate: string;
  tagTemplate: string;
  rolloutDurationS: number;
  defaultExternalScheme: string;
  externalDomainTls: boolean;
  clusterLocalDomainTls: boolean;
  systemInternalTls: boolean;
  httpProtocol: HttpProtocol;
}

export const DEFAULT_NETWORK_CONFIG: Readonly<NetworkConfig> = Object.freeze({
  defaultIngressClass: 'istio.ingress.networking.knative.dev',
  defaultCertificateClass: 'cert-manager.certificate.networking.knative.dev',
  domainTemplate: '{{.Name}}.{{.Namespace}}.{{.Domain}}',
  tagTemplate: '{{.Tag}}-{{.Name}}',
  rolloutDurationS: 0,
  defaultExternalScheme: 'http',
  externalDomainTls: false,
  clusterLocalDomainTls: false,
  systemInternalTls: false,
  httpProtocol: 'Enabled',
});

function int(reader: ConfigMapReader, key: string, current: number): number {
  const raw = reader.raw(key);
  if (raw === undefined) return current;
  const parsed = goStrconv.atoi(raw);
  if (!parsed.ok) reader.fail(key, raw, parsed.error.message);
  return parsed.value;
}

function readStrings(reader: ConfigMapReader, c: NetworkConfig): void {
  c.defaultIngressClass = reader.string('ingress.class', c.defaultIngressClass);
  c.defaultCertificateClass = reader.string('certificate.class', c.defaultCertificateClass);
  c.domainTemplate = reader.string('domainTemplate', c.domainTemplate);
  c.tagTemplate = reader.string('tagTemplate', c.tagTemplate);
  c.rolloutDurationS = int(reader, 'rolloutDuration', c.rolloutDurationS);
  c.defaultExternalScheme = reader.string('defaultExternalScheme', c.defaultExternalScheme);
  c.defaultIngressClass = reader.string('ingress-class', c.defaultIngressClass);
  c.defaultCertificateClass = reader.string('certificate-class', c.defaultCertificateClass);
  c.domainTemplate = reader.string('domain-template', c.domainTemplate);
  c.tagTemplate = reader.string('tag-template', c.tagTemplate);
  c.rolloutDurationS = int(reader, 'rollout-duration', c.rolloutDurationS);
  c.defaultExternalScheme = reader.string('default-external-scheme', c.defaultExternalScheme);
}

const reject = (key: string, value: string, message: string): ConfigError =>
  new ConfigError(NETWORK_CONFIG_NAME, key, value, message);

function checkTemplates(c: NetworkConfig): void {
  try {
    const host = executeHostTemplate(c.domainTemplate, { Name: 'foo', Namespace: 'bar', Domain: 'baz.com' });
    if (host === '' || host.includes('/')) throw new TemplateError(`domain template has url path or empty hostname: ${host}`);
  } catch (e) {
    if (e instanceof TemplateError) throw reject('domain-template', c.domainTemplate, e.message);
    throw e;
  }
  try {
    executeHostTemplate(c.tagTemplate, { Name: 'foo', Tag: 'v2' });
  } catch (e) {
    if (e instanceof TemplateError) throw reject('tag-template', c.tagTemplate, e.message);
    throw e;
  }
}

function readModes(data: Readonly<Record<string, string>>, c: NetworkConfig): void {
  const enabled = (v: string | undefined): boolean => (v ?? '').toLowerCase() === 'enabled';
  const tls = data['external-domain-tls'] ?? data['auto-tls'] ?? data['autoTLS'];
  c.externalDomainTls = enabled(tls);
  const http = (data['http-protocol'] ?? data['httpProtocol'] ?? '').toLowerCase();
  if (http === '' || http === 'enabled') c.httpProtocol = 'Enabled';
  else if (http === 'disabled') c.httpProtocol = 'Disabled';
  else if (http === 'redirected') c.httpProtocol = 'Redirected';
  else throw reject('http-protocol', http, `httpProtocol ${data['http-protocol'] ?? ''} in config-network ConfigMap is not supported`);
  for (const [key, field] of [['system-internal-tls', 'systemInternalTls'], ['cluster-local-domain-tls', 'clusterLocalDomainTls']] as const) {
    const value = (data[key] ?? '').toLowerCase();
    if (value !== '' && value !== 'enabled' && value !== 'disabled') {
      throw reject(key, data[key], `${key} with value: ${JSON.stringify(data[key])} in config-network ConfigMap is not supported`);
    }
    c[field] = value === 'enabled';
  }
}

/** NewConfigFromMap of knative.dev/networking pkg/config. Throws ConfigError. */
export function parseNetworkConfig(data: Readonly<Record<string, string>>): NetworkConfig {
  const config: NetworkConfig = { ...DEFAULT_NETWORK_CONFIG };
  readStrings(new ConfigMapReader({ configMap: NETWORK_CONFIG_NAME, data }), config);
  if (config.rolloutDurationS < 0) {
    throw reject('rollout-duration', String(config.rolloutDurationS), `rollout-duration must be a positive integer, but was ${config.rolloutDurationS}`);
  }
  checkTemplates(config);
  readModes(data, config);
  return config;
}
