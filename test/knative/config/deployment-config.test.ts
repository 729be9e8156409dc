// config-deployment parsing, ported from knative/serving pkg/deployment/config_test.go
// (TestControllerConfigurationFromFile, TestControllerConfiguration: every row).
import t from 'tap';
import { stringify } from 'yaml';
import { ConfigError } from '../../../src/knative/config/config-error.js';
import {
  DEFAULT_DEPLOYMENT_CONFIG, parseDeploymentConfig, type DeploymentConfig,
} from '../../../src/knative/config/deployment-config.js';

const IMAGE = 'defaultImage';
const want = (overrides: Partial<DeploymentConfig> = {}): DeploymentConfig => ({ ...DEFAULT_DEPLOYMENT_CONFIG, queueSidecarImage: IMAGE, ...overrides });

function thrown(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  return new ConfigError('', '', '', 'did not throw');
}

// The _example block of config/core/configmaps/deployment.yaml, plus its queue-sidecar-image.
const EXAMPLE: Record<string, string> = {
  'queue-sidecar-image': 'ko://knative.dev/serving/cmd/queue',
  'registries-skipping-tag-resolving': 'kind.local,ko.local,dev.local',
  'digest-resolution-timeout': '10s',
  'progress-deadline': '600s',
  'queue-sidecar-cpu-request': '25m',
  'queue-sidecar-cpu-limit': '1000m',
  'queue-sidecar-memory-request': '400Mi',
  'queue-sidecar-memory-limit': '800Mi',
  'queue-sidecar-ephemeral-storage-request': '512Mi',
  'queue-sidecar-ephemeral-storage-limit': '1024Mi',
  'queue-sidecar-token-audiences': '',
  'queue-sidecar-rootca': '',
  'queue-sidecar-tls-min-version': '',
  'queue-sidecar-tls-max-version': '',
  'queue-sidecar-tls-cipher-suites': '',
  'queue-sidecar-tls-curve-preferences': '',
  'runtime-class-name': '',
  'pod-is-always-schedulable': 'false',
};

t.test('TestControllerConfigurationFromFile: the example matches the defaults but for the shown quantities', async (t) => {
  const got = parseDeploymentConfig(EXAMPLE);
  t.same({
    ...got, queueSidecarCpuLimit: null, queueSidecarMemoryRequest: null, queueSidecarMemoryLimit: null,
    queueSidecarEphemeralStorageRequest: null, queueSidecarEphemeralStorageLimit: null,
  }, want({ queueSidecarImage: 'ko://knative.dev/serving/cmd/queue' }));
  t.equal(got.progressDeadlineMs, 600_000, 'progress deadline defaults to 600s');
});

t.test('TestControllerConfiguration: valid ConfigMaps', async (t) => {
  const rows: [string, Record<string, string>, DeploymentConfig][] = [
    ['controller configuration with no default affinity type specified', { 'queue-sidecar-image': IMAGE }, want()],
    ['controller configuration with the default affinity type set',
      { 'queue-sidecar-image': IMAGE, 'default-affinity-type': 'prefer-spread-revision-over-nodes' }, want()],
    ['controller configuration with default affinity type deactivated',
      { 'queue-sidecar-image': IMAGE, 'default-affinity-type': 'none' }, want({ defaultAffinityType: 'none' })],
    ['controller configuration with bad registries',
      { 'queue-sidecar-image': IMAGE, 'queue-sidecar-token-audiences': 'bar,foo,boo-srv', 'registries-skipping-tag-resolving': 'ko.local,,' },
      want({ registriesSkippingTagResolving: ['', 'ko.local'], queueSidecarTokenAudiences: ['bar', 'boo-srv', 'foo'] })],
    ['controller configuration good progress deadline', { 'queue-sidecar-image': IMAGE, 'progress-deadline': '444s' }, want({ progressDeadlineMs: 444_000 })],
    ['controller configuration good digest resolution timeout', { 'queue-sidecar-image': IMAGE, 'digest-resolution-timeout': '60s' },
      want({ digestResolutionTimeoutMs: 60_000 })],
    ['controller configuration with registries', { 'queue-sidecar-image': IMAGE, 'registries-skipping-tag-resolving': 'ko.local,ko.dev' },
      want({ registriesSkippingTagResolving: ['ko.dev', 'ko.local'] })],
    ['controller configuration with custom queue sidecar resource request/limits', {
      'queue-sidecar-image': IMAGE, 'queue-sidecar-cpu-request': '123m', 'queue-sidecar-memory-request': '456M',
      'queue-sidecar-ephemeral-storage-request': '789m', 'queue-sidecar-cpu-limit': '987M', 'queue-sidecar-memory-limit': '654m',
      'queue-sidecar-ephemeral-storage-limit': '321M',
    }, want({
      queueSidecarCpuRequest: '123m', queueSidecarMemoryRequest: '456M', queueSidecarEphemeralStorageRequest: '789m',
      queueSidecarCpuLimit: '987M', queueSidecarMemoryLimit: '654m', queueSidecarEphemeralStorageLimit: '321M',
    })],
    ['legacy keys supported', {
      queueSidecarImage: '1', progressDeadline: '2s', digestResolutionTimeout: '3s', registriesSkippingTagResolving: '4',
      queueSidecarCPURequest: '5m', queueSidecarCPULimit: '6m', queueSidecarMemoryRequest: '7M', queueSidecarMemoryLimit: '8M',
      queueSidecarEphemeralStorageRequest: '9M', queueSidecarEphemeralStorageLimit: '10M',
    }, want({
      queueSidecarImage: '1', progressDeadlineMs: 2_000, digestResolutionTimeoutMs: 3_000, registriesSkippingTagResolving: ['4'],
      queueSidecarCpuRequest: '5m', queueSidecarCpuLimit: '6m', queueSidecarMemoryRequest: '7M', queueSidecarMemoryLimit: '8M',
      queueSidecarEphemeralStorageRequest: '9M', queueSidecarEphemeralStorageLimit: '10M',
    })],
    ['newer key case takes priority', {
      queueSidecarImage: '1', progressDeadline: '2s', digestResolutionTimeout: '3s', registriesSkippingTagResolving: '4',
      queueSidecarCPURequest: '5m', queueSidecarCPULimit: '6m', queueSidecarMemoryRequest: '7M', queueSidecarMemoryLimit: '8M',
      queueSidecarEphemeralStorageRequest: '9M', queueSidecarEphemeralStorageLimit: '10M', queueSidecarTokens: 'bar',
      'queue-sidecar-image': '12', 'progress-deadline': '13s', 'digest-resolution-timeout': '14s', 'registries-skipping-tag-resolving': '15',
      'queue-sidecar-cpu-request': '16m', 'queue-sidecar-cpu-limit': '17m', 'queue-sidecar-memory-request': '18M',
      'queue-sidecar-memory-limit': '19M', 'queue-sidecar-ephemeral-storage-request': '20M', 'queue-sidecar-ephemeral-storage-limit': '21M',
      'queue-sidecar-token-audiences': 'foo',
    }, want({
      queueSidecarImage: '12', progressDeadlineMs: 13_000, digestResolutionTimeoutMs: 14_000, registriesSkippingTagResolving: ['15'],
      queueSidecarCpuRequest: '16m', queueSidecarCpuLimit: '17m', queueSidecarMemoryRequest: '18M', queueSidecarMemoryLimit: '19M',
      queueSidecarEphemeralStorageRequest: '20M', queueSidecarEphemeralStorageLimit: '21M', queueSidecarTokenAudiences: ['foo'],
    })],
    ['runtime class name defaults to nothing', { 'queue-sidecar-image': IMAGE }, want({ runtimeClassNames: null })],
    ['runtime class name with wildcard', { 'runtime-class-name': 'gvisor: {}', 'queue-sidecar-image': IMAGE }, want({ runtimeClassNames: { gvisor: {} } })],
    ['runtime class name with wildcard and label selectors', {
      'runtime-class-name': '---\ngvisor: {}\nkata:\n  selector:\n    some: value-here\n', 'queue-sidecar-image': IMAGE,
    }, want({ runtimeClassNames: { gvisor: {}, kata: { selector: { some: 'value-here' } } } })],
    ['controller configuration with always schedulable pods', { 'pod-is-always-schedulable': 'true', 'queue-sidecar-image': IMAGE },
      want({ podIsAlwaysSchedulable: true })],
    ['controller configuration with queue sidecar TLS settings', {
      'queue-sidecar-image': IMAGE, 'queue-sidecar-tls-min-version': '1.2', 'queue-sidecar-tls-max-version': '1.3',
      'queue-sidecar-tls-cipher-suites': 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'queue-sidecar-tls-curve-preferences': 'X25519,CurveP256',
    }, want({
      queueSidecarTlsMinVersion: '1.2', queueSidecarTlsMaxVersion: '1.3',
      queueSidecarTlsCipherSuites: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', queueSidecarTlsCurvePreferences: 'X25519,CurveP256',
    })],
  ];
  for (const [name, data, expected] of rows) t.same(parseDeploymentConfig(data), expected, name);
});

const BAD_CLASS_NAMES = [
  '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
  '.', 'a.', '.a', 'a..b', '1.', '.1', '1..2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', 'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A',
  'A.1', 'aB.1', 'A1.1', '1A.1', '0.A', '01.A', '012.A', '1A.a', '1a.A', 'A.B.C.D.E', 'AA.BB.CC.DD.EE', 'a.B.c.d.e', 'aa.bB.cc.dd.ee',
  'a@b', 'a,b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', 'a'.repeat(254),
];

t.test('TestControllerConfiguration: invalid ConfigMaps', async (t) => {
  const rows: [string, Record<string, string>, string, RegExp | string][] = [
    ['controller configuration with empty string set for the default affinity type',
      { 'queue-sidecar-image': IMAGE, 'default-affinity-type': '' }, 'default-affinity-type', 'unsupported default-affinity-type value: ""'],
    ['controller configuration with unsupported value for default affinity type',
      { 'queue-sidecar-image': IMAGE, 'default-affinity-type': 'coconut' }, 'default-affinity-type', 'unsupported default-affinity-type value: "coconut"'],
    ['controller with no side car image', {}, 'queue-sidecar-image', 'queue-sidecar-image cannot be empty or unset'],
    ['controller configuration invalid digest resolution timeout', { 'queue-sidecar-image': IMAGE, 'digest-resolution-timeout': '-1s' },
      'digest-resolution-timeout', 'digest-resolution-timeout cannot be a non-positive duration, was -1s'],
    ['controller configuration invalid progress deadline', { 'queue-sidecar-image': IMAGE, 'progress-deadline': 'not-a-duration' },
      'progress-deadline', 'failed to parse "progress-deadline": time: invalid duration "not-a-duration"'],
    ['controller configuration invalid progress deadline II', { 'queue-sidecar-image': IMAGE, 'progress-deadline': '-21s' },
      'progress-deadline', 'progress-deadline cannot be a non-positive duration, was -21s'],
    ['controller configuration invalid progress deadline III', { 'queue-sidecar-image': IMAGE, 'progress-deadline': '0ms' },
      'progress-deadline', 'progress-deadline cannot be a non-positive duration, was 0s'],
    ['controller configuration invalid progress deadline IV', { 'queue-sidecar-image': IMAGE, 'progress-deadline': '1982ms' },
      'progress-deadline', 'progress-deadline must be rounded to a whole second, was: 1.982s'],
    ['runtime class name with bad label selectors', {
      'queue-sidecar-image': IMAGE, 'runtime-class-name': '---\ngvisor: {}\nkata:\n  selector:\n    "-a": " a  a "\n',
    }, 'runtime-class-name', /^runtime-class-name kata selector invalid: /],
    ['runtime class name with an unparsable format', { 'queue-sidecar-image': IMAGE, 'runtime-class-name': ' ???; 231424 ' },
      'runtime-class-name', /^runtime-class-name cannot be parsed, please check the format: /],
    ['invalid runtime class name', {
      'queue-sidecar-image': IMAGE,
      'runtime-class-name': stringify(Object.fromEntries(BAD_CLASS_NAMES.map((name) => [name, { selector: { unique: name } }]))),
    }, 'runtime-class-name', /^runtime-class-name .* selector not valid DNSSubdomain: /],
  ];
  for (const [name, data, key, message] of rows) {
    const error = thrown(() => parseDeploymentConfig(data));
    t.equal(error.key, key, `${name}: names ${key}`);
    if (typeof message === 'string') t.equal(error.message, message, name);
    else t.match(error.message, message, name);
  }
});

t.test('every bad runtime class name is rejected on its own', async (t) => {
  for (const name of BAD_CLASS_NAMES) {
    const data = { 'queue-sidecar-image': IMAGE, 'runtime-class-name': stringify({ [name]: {} }) };
    t.equal(thrown(() => parseDeploymentConfig(data)).key, 'runtime-class-name', JSON.stringify(name.slice(0, 20)));
  }
});

t.test('quantities are checked for syntax', async (t) => {
  t.equal(thrown(() => parseDeploymentConfig({ 'queue-sidecar-image': IMAGE, 'queue-sidecar-cpu-limit': 'lots' })).message,
    "failed to parse \"queue-sidecar-cpu-limit\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  t.equal(thrown(() => parseDeploymentConfig({ 'queue-sidecar-image': IMAGE, 'queue-sidecar-cpu-limit': '1Qi' })).key, 'queue-sidecar-cpu-limit');
  t.equal(parseDeploymentConfig({ 'queue-sidecar-image': IMAGE, 'queue-sidecar-cpu-limit': '1e3' }).queueSidecarCpuLimit, '1e3');
});
