// config-deployment as knative/serving pkg/deployment/config.go (defaultConfig, NewConfigFromMap)
// reads it, legacy camelCase keys included. The simulation uses progressDeadlineMs (the activation
// timeout is progress deadline + 30s, kpa/scaler.go); the other keys are parsed and validated so a
// real ConfigMap is accepted or rejected as upstream would, then carried along unused.
import { parse as parseYaml } from 'yaml';
import { labelKeyErrors, labelValueErrors } from '../../apiserver/label-validation.js';
import { dns1123SubdomainErrors } from '../../apiserver/name-validation.js';
import { ConfigError } from './config-error.js';
import { ConfigMapReader } from './configmap-reader.js';
import { formatDurationMs, msToNs, nsToMs } from './duration.js';

export const DEPLOYMENT_CONFIG_NAME = 'config-deployment';

export type AffinityType = 'none' | 'prefer-spread-revision-over-nodes';

export interface RuntimeClassSelector {
  selector?: Readonly<Record<string, string>>;
}

export interface DeploymentConfig {
  queueSidecarImage: string;
  registriesSkippingTagResolving: readonly string[];
  digestResolutionTimeoutMs: number;
  progressDeadlineMs: number;
  /** Resource quantities as written; null inherits the Kubernetes default. */
  queueSidecarCpuRequest: string | null;
  queueSidecarCpuLimit: string | null;
  queueSidecarMemoryRequest: string | null;
  queueSidecarMemoryLimit: string | null;
  queueSidecarEphemeralStorageRequest: string | null;
  queueSidecarEphemeralStorageLimit: string | null;
  queueSidecarTokenAudiences: readonly string[];
  queueSidecarRootCA: string;
  queueSidecarTlsMinVersion: string;
  queueSidecarTlsMaxVersion: string;
  queueSidecarTlsCipherSuites: string;
  queueSidecarTlsCurvePreferences: string;
  defaultAffinityType: AffinityType;
  runtimeClassNames: Readonly<Record<string, RuntimeClassSelector>> | null;
  podIsAlwaysSchedulable: boolean;
}

/** defaultConfig(); the queue sidecar image has no default and must be set. */
export const DEFAULT_DEPLOYMENT_CONFIG: Readonly<DeploymentConfig> = Object.freeze({
  queueSidecarImage: '',
  registriesSkippingTagResolving: Object.freeze(['dev.local', 'kind.local', 'ko.local']),
  digestResolutionTimeoutMs: 10_000,
  progressDeadlineMs: 600_000,
  queueSidecarCpuRequest: '25m',
  queueSidecarCpuLimit: null,
  queueSidecarMemoryRequest: null,
  queueSidecarMemoryLimit: null,
  queueSidecarEphemeralStorageRequest: null,
  queueSidecarEphemeralStorageLimit: null,
  queueSidecarTokenAudiences: Object.freeze(['']),
  queueSidecarRootCA: '',
  queueSidecarTlsMinVersion: '',
  queueSidecarTlsMaxVersion: '',
  queueSidecarTlsCipherSuites: '',
  queueSidecarTlsCurvePreferences: '',
  defaultAffinityType: 'prefer-spread-revision-over-nodes',
  runtimeClassNames: null,
  podIsAlwaysSchedulable: false,
});

type QuantityField = 'queueSidecarCpuRequest' | 'queueSidecarCpuLimit' | 'queueSidecarMemoryRequest' | 'queueSidecarMemoryLimit'
  | 'queueSidecarEphemeralStorageRequest' | 'queueSidecarEphemeralStorageLimit';

const QUANTITY_KEYS: ReadonlyArray<[legacy: string, key: string, field: QuantityField]> = [
  ['queueSidecarCPURequest', 'queue-sidecar-cpu-request', 'queueSidecarCpuRequest'],
  ['queueSidecarMemoryRequest', 'queue-sidecar-memory-request', 'queueSidecarMemoryRequest'],
  ['queueSidecarEphemeralStorageRequest', 'queue-sidecar-ephemeral-storage-request', 'queueSidecarEphemeralStorageRequest'],
  ['queueSidecarCPULimit', 'queue-sidecar-cpu-limit', 'queueSidecarCpuLimit'],
  ['queueSidecarMemoryLimit', 'queue-sidecar-memory-limit', 'queueSidecarMemoryLimit'],
  ['queueSidecarEphemeralStorageLimit', 'queue-sidecar-ephemeral-storage-limit', 'queueSidecarEphemeralStorageLimit'],
];

type Mutable = { -readonly [K in keyof DeploymentConfig]: DeploymentConfig[K] };

function readDuration(reader: ConfigMapReader, key: string, currentMs: number): number {
  return nsToMs(reader.durationNs(key, msToNs(currentMs)));
}

function readQuantities(reader: ConfigMapReader, c: Mutable, which: 0 | 1): void {
  for (const entry of QUANTITY_KEYS) c[entry[2]] = reader.quantity(entry[which], c[entry[2]]);
}

/** Legacy keys first, then the current keys, which win when both are set. */
function readKeys(reader: ConfigMapReader, c: Mutable): string {
  c.queueSidecarImage = reader.string('queueSidecarImage', c.queueSidecarImage);
  c.progressDeadlineMs = readDuration(reader, 'progressDeadline', c.progressDeadlineMs);
  c.digestResolutionTimeoutMs = readDuration(reader, 'digestResolutionTimeout', c.digestResolutionTimeoutMs);
  c.registriesSkippingTagResolving = reader.stringSet('registriesSkippingTagResolving', c.registriesSkippingTagResolving);
  readQuantities(reader, c, 0);
  c.queueSidecarImage = reader.string('queue-sidecar-image', c.queueSidecarImage);
  c.progressDeadlineMs = readDuration(reader, 'progress-deadline', c.progressDeadlineMs);
  c.digestResolutionTimeoutMs = readDuration(reader, 'digest-resolution-timeout', c.digestResolutionTimeoutMs);
  c.registriesSkippingTagResolving = reader.stringSet('registries-skipping-tag-resolving', c.registriesSkippingTagResolving);
  readQuantities(reader, c, 1);
  c.queueSidecarTokenAudiences = reader.stringSet('queue-sidecar-token-audiences', c.queueSidecarTokenAudiences);
  c.queueSidecarRootCA = reader.string('queue-sidecar-rootca', c.queueSidecarRootCA);
  c.queueSidecarTlsMinVersion = reader.string('queue-sidecar-tls-min-version', c.queueSidecarTlsMinVersion);
  c.queueSidecarTlsMaxVersion = reader.string('queue-sidecar-tls-max-version', c.queueSidecarTlsMaxVersion);
  c.queueSidecarTlsCipherSuites = reader.string('queue-sidecar-tls-cipher-suites', c.queueSidecarTlsCipherSuites);
  c.queueSidecarTlsCurvePreferences = reader.string('queue-sidecar-tls-curve-preferences', c.queueSidecarTlsCurvePreferences);
  const runtimeClassNames = reader.string('runtime-class-name', '');
  c.podIsAlwaysSchedulable = reader.bool('pod-is-always-schedulable', c.podIsAlwaysSchedulable);
  return runtimeClassNames;
}

const reject = (key: string, value: string, message: string): ConfigError =>
  new ConfigError(DEPLOYMENT_CONFIG_NAME, key, value, message);

function checkDurations(c: Mutable): void {
  if (c.queueSidecarImage === '') throw reject('queue-sidecar-image', '', 'queue-sidecar-image cannot be empty or unset');
  const deadline = formatDurationMs(c.progressDeadlineMs);
  if (c.progressDeadlineMs <= 0) throw reject('progress-deadline', deadline, `progress-deadline cannot be a non-positive duration, was ${deadline}`);
  if (c.progressDeadlineMs % 1000 !== 0) throw reject('progress-deadline', deadline, `progress-deadline must be rounded to a whole second, was: ${deadline}`);
  const digest = formatDurationMs(c.digestResolutionTimeoutMs);
  if (c.digestResolutionTimeoutMs <= 0) throw reject('digest-resolution-timeout', digest, `digest-resolution-timeout cannot be a non-positive duration, was ${digest}`);
}

function readAffinity(data: Readonly<Record<string, string>>, c: Mutable): void {
  if (!Object.hasOwn(data, 'default-affinity-type')) return;
  const value = data['default-affinity-type'];
  if (value !== 'none' && value !== 'prefer-spread-revision-over-nodes') {
    throw reject('default-affinity-type', value, `unsupported default-affinity-type value: ${JSON.stringify(value)}`);
  }
  c.defaultAffinityType = value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function selectorOf(className: string, entry: unknown, text: string): RuntimeClassSelector {
  const key = 'runtime-class-name';
  if (entry === null) return {};
  if (!isPlainObject(entry)) throw reject(key, text, `${key} cannot be parsed, please check the format: ${className} is not a mapping`);
  const selector = entry.selector;
  if (selector === undefined || selector === null) return {};
  if (!isPlainObject(selector) || Object.values(selector).some((x) => typeof x !== 'string')) {
    throw reject(key, text, `${key} cannot be parsed, please check the format: ${className}.selector must map strings to strings`);
  }
  return { selector: selector as Record<string, string> };
}

function checkRuntimeClass(className: string, rc: RuntimeClassSelector, text: string): void {
  const key = 'runtime-class-name';
  const nameErrors = dns1123SubdomainErrors(className);
  if (nameErrors.length > 0) throw reject(key, text, `${key} ${className} selector not valid DNSSubdomain: [${nameErrors.join(' ')}]`);
  for (const [label, value] of Object.entries(rc.selector ?? {})) {
    const problems = [...labelKeyErrors(label), ...labelValueErrors(value)];
    if (problems.length > 0) throw reject(key, text, `${key} ${className} selector invalid: ${problems.join('; ')}`);
  }
}

/** runtime-class-name: YAML mapping of class name to an optional label selector. */
function readRuntimeClassNames(text: string): Record<string, RuntimeClassSelector> | null {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw reject('runtime-class-name', text, `runtime-class-name cannot be parsed, please check the format: ${(error as Error).message}`);
  }
  if (doc === null || doc === undefined) return null;
  if (!isPlainObject(doc)) throw reject('runtime-class-name', text, 'runtime-class-name cannot be parsed, please check the format: not a mapping');
  const out: Record<string, RuntimeClassSelector> = {};
  for (const name of Object.keys(doc).sort()) {
    out[name] = selectorOf(name, doc[name], text);
    checkRuntimeClass(name, out[name], text);
  }
  return out;
}

/** NewConfigFromMap of pkg/deployment/config.go. Throws ConfigError. */
export function parseDeploymentConfig(data: Readonly<Record<string, string>>): DeploymentConfig {
  const config: Mutable = { ...DEFAULT_DEPLOYMENT_CONFIG };
  const runtimeClassText = readKeys(new ConfigMapReader({ configMap: DEPLOYMENT_CONFIG_NAME, data }), config);
  checkDurations(config);
  readAffinity(data, config);
  config.runtimeClassNames = readRuntimeClassNames(runtimeClassText);
  return config;
}
