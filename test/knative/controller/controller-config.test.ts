// The ConfigMaps the controller reads and the names it derives, as the upstream parsers and
// helpers: knative/serving pkg/apis/config/defaults_test.go, pkg/reconciler/route/config/
// domain_test.go, knative.dev/networking pkg/config/config_test.go, knative.dev/pkg
// kmeta/names_test.go (TestChildName).
import t from 'tap';
import { ConfigError } from '../../../src/knative/config/config-error.js';
import { childName } from '../../../src/knative/controller/child-name.js';
import { DEFAULT_DEFAULTS_CONFIG, parseDefaultsConfig } from '../../../src/knative/controller/defaults-config.js';
import { lookupDomainForLabels, parseDomainConfig } from '../../../src/knative/controller/domain-config.js';
import { DEFAULT_NETWORK_CONFIG, parseNetworkConfig } from '../../../src/knative/controller/network-config.js';
import { expandedHosts } from '../../../src/knative/controller/route-domains.js';

t.test('ChildName: concatenation when it fits, md5-shortened otherwise (TestChildName)', async (t) => {
  const cases: [string, string, string][] = [
    ['asdf', '-deployment', 'asdf-deployment'],
    ['f'.repeat(63), '-deployment', 'ffffffffffffffffffff105d7597f637e83cc711605ac3ea4957-deployment'],
    ['f'.repeat(63), '-deploy', 'ffffffffffffffffffffffff105d7597f637e83cc711605ac3ea4957-deploy'],
    ['f'.repeat(63), 'f'.repeat(63), 'fffffffffffffffffffffffffffffff0502661254f13c89973cb3a83e0cbec0'],
    ['a', 'f'.repeat(63), 'ab5cfd486935decbc0d305799f4ce4414ffffffffffffffffffffffffffffff'],
    ['b'.repeat(32), 'f'.repeat(32), 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb329c7c81b9ab3ba71aa139066aa5625d'],
    ['aaaa', 'b---a'.repeat(20), 'aaaa7a3f7966594e3f0849720eced8212c18b---ab---ab---ab---ab---ab'],
    ['a'.repeat(17), 'a.-.-.-.-.-.-.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaaaa1eb10dc911444f8434af83b7225442da'],
  ];
  for (const [parent, suffix, want] of cases) t.equal(childName(parent, suffix), want, `${parent.slice(0, 8)}…${suffix.slice(0, 8)}`);
});

t.test('config-defaults: upstream defaults; the response-start timeout follows the revision timeout', async (t) => {
  t.same(parseDefaultsConfig({}), DEFAULT_DEFAULTS_CONFIG);
  const c = parseDefaultsConfig({ 'revision-timeout-seconds': '123', 'container-concurrency': '10', 'container-name-template': '{{.Name}}-main', 'enable-service-links': 'TRUE' });
  t.equal(c.revisionTimeoutSeconds, 123);
  t.equal(c.revisionResponseStartTimeoutSeconds, 123);
  t.equal(c.containerConcurrency, 10);
  t.equal(c.enableServiceLinks, true);
  t.equal(parseDefaultsConfig({ 'enable-service-links': 'maybe' }).enableServiceLinks, null, 'anything else leaves it unset');
});

t.test('config-defaults: invalid values are refused with upstream\'s messages', async (t) => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ 'revision-timeout-seconds': '700' }, /revision-timeout-seconds \(700\) cannot be greater than max-revision-timeout-seconds \(600\)/],
    [{ 'revision-response-start-timeout-seconds': '400' }, /cannot be greater than revision-timeout-seconds \(300\)/],
    [{ 'container-concurrency': '2000' }, /container-concurrency/],
    [{ 'container-concurrency-max-limit': '0' }, /container-concurrency-max-limit/],
    [{ 'revision-timeout-seconds': 'soon' }, /failed to parse "revision-timeout-seconds"/],
  ];
  for (const [data, message] of cases) t.throws(() => parseDefaultsConfig(data), { name: 'ConfigError', message }, JSON.stringify(data));
});

t.test('config-domain: no entry means svc.cluster.local; bad YAML is refused (TestNewConfigNoEntry, TestNewConfigBadYaml)', async (t) => {
  t.equal(lookupDomainForLabels(parseDomainConfig({ _example: 'ignored' }), {}), 'svc.cluster.local');
  t.throws(() => parseDomainConfig({ 'default.com': 'bad: yaml: all: day' }), ConfigError);
});

t.test('config-domain: the most specific matching selector wins, the default otherwise, cluster-local always local (TestLookupDomainForLabels)', async (t) => {
  const config = parseDomainConfig({
    'test-domain.foo.com': 'selector:\n  app: foo\n',
    'foo.com': 'selector:\n  app: foo\n  version: prod\n',
    'bar.com': 'selector:\n  app: bar\n',
    'default.com': '',
  });
  const cases: [Record<string, string>, string][] = [
    [{ app: 'foo' }, 'test-domain.foo.com'],
    [{ app: 'foo', version: 'prod' }, 'foo.com'],
    [{ app: 'bar' }, 'bar.com'],
    [{ app: 'bar', version: 'whatever' }, 'bar.com'],
    [{ app: 'whatever' }, 'default.com'],
    [{}, 'default.com'],
    [{ 'networking.knative.dev/visibility': 'cluster-local' }, 'svc.cluster.local'],
  ];
  for (const [labels, want] of cases) t.equal(lookupDomainForLabels(config, labels), want, JSON.stringify(labels));
});

t.test('config-network: default templates and class; legacy keys lose to current ones; bad templates and protocols refused', async (t) => {
  t.same(parseNetworkConfig({}), DEFAULT_NETWORK_CONFIG);
  const c = parseNetworkConfig({ 'ingress.class': 'old', 'ingress-class': 'new', 'domain-template': '{{.Name}}-{{.Namespace}}.{{.Domain}}', 'external-domain-tls': 'Enabled' });
  t.equal(c.defaultIngressClass, 'new');
  t.equal(c.domainTemplate, '{{.Name}}-{{.Namespace}}.{{.Domain}}');
  t.equal(c.externalDomainTls, true);
  t.throws(() => parseNetworkConfig({ 'domain-template': '{{.Name}}.{{.Namespace}}.{{.Domain}}/path' }), { name: 'ConfigError' });
  t.throws(() => parseNetworkConfig({ 'tag-template': '{{.Nope}}' }), { name: 'ConfigError' });
  t.throws(() => parseNetworkConfig({ 'http-protocol': 'sometimes' }), { name: 'ConfigError' });
  t.throws(() => parseNetworkConfig({ 'rollout-duration': '-1' }), { name: 'ConfigError' });
});

t.test('ExpandedHosts: a cluster-local host also answers as name.ns and name.ns.svc', async (t) => {
  t.same(expandedHosts('r.ns.svc.cluster.local'), ['r.ns', 'r.ns.svc', 'r.ns.svc.cluster.local']);
  t.same(expandedHosts('r.ns.example.com'), ['r.ns.example.com']);
});
