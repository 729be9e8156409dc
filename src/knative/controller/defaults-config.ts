// config-defaults as knative/serving pkg/apis/config/defaults.go (defaultDefaultsConfig,
// NewDefaultsConfigFromMap) reads it: the revision defaults the webhook would apply. The container
// name templates are Go templates upstream; here a template is taken literally, except that
// `{{.Name}}` is replaced by the parent's name (the only field upstream's examples use).

import { ConfigError } from '../config/config-error.js';
import { ConfigMapReader } from '../config/configmap-reader.js';
import { goStrconv } from '../config/go-strconv.js';

export const DEFAULTS_CONFIG_NAME = 'config-defaults';

export interface DefaultsConfig {
  revisionTimeoutSeconds: number;
  maxRevisionTimeoutSeconds: number;
  revisionResponseStartTimeoutSeconds: number;
  revisionIdleTimeoutSeconds: number;
  userContainerNameTemplate: string;
  initContainerNameTemplate: string;
  containerConcurrency: number;
  containerConcurrencyMaxLimit: number;
  allowContainerConcurrencyZero: boolean;
  /** null: leave the pod's enableServiceLinks unset. */
  enableServiceLinks: boolean | null;
  revisionCpuRequest: string | null;
  revisionMemoryRequest: string | null;
  revisionEphemeralStorageRequest: string | null;
  revisionCpuLimit: string | null;
  revisionMemoryLimit: string | null;
  revisionEphemeralStorageLimit: string | null;
}

export const DEFAULT_DEFAULTS_CONFIG: Readonly<DefaultsConfig> = Object.freeze({
  revisionTimeoutSeconds: 300,
  maxRevisionTimeoutSeconds: 600,
  revisionResponseStartTimeoutSeconds: 300,
  revisionIdleTimeoutSeconds: 0,
  userContainerNameTemplate: 'user-container',
  initContainerNameTemplate: 'init-container',
  containerConcurrency: 0,
  containerConcurrencyMaxLimit: 1000,
  allowContainerConcurrencyZero: true,
  enableServiceLinks: false,
  revisionCpuRequest: null,
  revisionMemoryRequest: null,
  revisionEphemeralStorageRequest: null,
  revisionCpuLimit: null,
  revisionMemoryLimit: null,
  revisionEphemeralStorageLimit: null,
});

function int64(reader: ConfigMapReader, key: string, current: number): number {
  const raw = reader.raw(key);
  if (raw === undefined) return current;
  const parsed = goStrconv.parseInt64(raw);
  if (!parsed.ok) reader.fail(key, raw, parsed.error.message);
  return parsed.value;
}

/** asTriState: true / false (any case); anything else resets to unset. */
function triState(reader: ConfigMapReader, key: string, current: boolean | null): boolean | null {
  const raw = reader.raw(key);
  if (raw === undefined) return current;
  const lower = raw.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
}

function readKeys(reader: ConfigMapReader, c: DefaultsConfig): void {
  c.initContainerNameTemplate = reader.raw('init-container-name-template') ?? c.initContainerNameTemplate;
  c.userContainerNameTemplate = reader.raw('container-name-template') ?? c.userContainerNameTemplate;
  c.allowContainerConcurrencyZero = reader.bool('allow-container-concurrency-zero', c.allowContainerConcurrencyZero);
  c.enableServiceLinks = triState(reader, 'enable-service-links', c.enableServiceLinks);
  c.revisionTimeoutSeconds = int64(reader, 'revision-timeout-seconds', c.revisionTimeoutSeconds);
  c.maxRevisionTimeoutSeconds = int64(reader, 'max-revision-timeout-seconds', c.maxRevisionTimeoutSeconds);
  c.revisionIdleTimeoutSeconds = int64(reader, 'revision-idle-timeout-seconds', c.revisionIdleTimeoutSeconds);
  c.containerConcurrency = int64(reader, 'container-concurrency', c.containerConcurrency);
  c.containerConcurrencyMaxLimit = int64(reader, 'container-concurrency-max-limit', c.containerConcurrencyMaxLimit);
  c.revisionCpuRequest = reader.quantity('revision-cpu-request', c.revisionCpuRequest);
  c.revisionMemoryRequest = reader.quantity('revision-memory-request', c.revisionMemoryRequest);
  c.revisionEphemeralStorageRequest = reader.quantity('revision-ephemeral-storage-request', c.revisionEphemeralStorageRequest);
  c.revisionCpuLimit = reader.quantity('revision-cpu-limit', c.revisionCpuLimit);
  c.revisionMemoryLimit = reader.quantity('revision-memory-limit', c.revisionMemoryLimit);
  c.revisionEphemeralStorageLimit = reader.quantity('revision-ephemeral-storage-limit', c.revisionEphemeralStorageLimit);
  // The response-start timeout defaults to the (possibly configured) revision timeout.
  c.revisionResponseStartTimeoutSeconds = int64(reader, 'revision-response-start-timeout-seconds', c.revisionTimeoutSeconds);
}

const reject = (key: string, value: number, message: string): ConfigError =>
  new ConfigError(DEFAULTS_CONFIG_NAME, key, String(value), message);

function validate(c: DefaultsConfig): void {
  if (c.revisionTimeoutSeconds > c.maxRevisionTimeoutSeconds) {
    throw reject('revision-timeout-seconds', c.revisionTimeoutSeconds, `revision-timeout-seconds (${c.revisionTimeoutSeconds}) cannot be greater than max-revision-timeout-seconds (${c.maxRevisionTimeoutSeconds})`);
  }
  if (c.revisionResponseStartTimeoutSeconds > 0 && c.revisionResponseStartTimeoutSeconds > c.revisionTimeoutSeconds) {
    throw reject('revision-response-start-timeout-seconds', c.revisionResponseStartTimeoutSeconds, `revision-response-start-timeout-seconds (${c.revisionResponseStartTimeoutSeconds}) cannot be greater than revision-timeout-seconds (${c.revisionTimeoutSeconds})`);
  }
  if (c.revisionIdleTimeoutSeconds > 0 && c.revisionIdleTimeoutSeconds > c.revisionTimeoutSeconds) {
    throw reject('revision-idle-timeout-seconds', c.revisionIdleTimeoutSeconds, `revision-idle-timeout-seconds (${c.revisionIdleTimeoutSeconds}) cannot be greater than revision-timeout-seconds (${c.revisionTimeoutSeconds})`);
  }
  if (c.containerConcurrencyMaxLimit < 1) {
    throw reject('container-concurrency-max-limit', c.containerConcurrencyMaxLimit, `expected 1 <= ${c.containerConcurrencyMaxLimit} <= 2147483647: container-concurrency-max-limit`);
  }
  if (c.containerConcurrency < 0 || c.containerConcurrency > c.containerConcurrencyMaxLimit) {
    throw reject('container-concurrency', c.containerConcurrency, `expected 0 <= ${c.containerConcurrency} <= ${c.containerConcurrencyMaxLimit}: container-concurrency`);
  }
}

/** NewDefaultsConfigFromMap. Throws ConfigError. */
export function parseDefaultsConfig(data: Readonly<Record<string, string>>): DefaultsConfig {
  const config: DefaultsConfig = { ...DEFAULT_DEFAULTS_CONFIG };
  readKeys(new ConfigMapReader({ configMap: DEFAULTS_CONFIG_NAME, data }), config);
  validate(config);
  return config;
}

/** Defaults.UserContainerName / InitContainerName: the template with `{{.Name}}` filled in. */
export function containerNameFromTemplate(template: string, parentName: string): string {
  return template.replace(/\{\{\s*\.Name\s*\}\}/g, parentName);
}
