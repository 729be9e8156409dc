// SelectionCache: a list or watch request's compiled selection is reused for the same kind and
// selector texts, selects exactly what a fresh compilation selects, and refused selectors are
// refused every time.
import t from 'tap';
import { registerBuiltinKinds } from '../../src/apiserver/builtin-kinds.js';
import { SelectionCache, compileSelection } from '../../src/apiserver/selection.js';
import type { KubeObject } from '../../src/apiserver/types.js';
import { statusOf } from './fixtures.js';

const registry = registerBuiltinKinds();
const pods = registry.require({ group: '', version: 'v1', resource: 'pods' });
const services = registry.require({ group: '', version: 'v1', resource: 'services' });
const pod = (namespace: string, name: string, labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name, labels } });
const objects = [pod('a', 'p1', { app: 'x' }), pod('a', 'p2', { app: 'y' }), pod('b', 'p3', { app: 'x', tier: 'web' }), pod('b', 'p4', {})];

t.test('the same kind and selectors give the same selection, which matches what a fresh compilation matches', (t) => {
  const cache = new SelectionCache();
  const requests = [
    {}, { namespace: 'a' }, { labelSelector: 'app=x' }, { namespace: 'b', labelSelector: 'app in (x, y),tier' },
    { fieldSelector: 'metadata.name=p2' }, { labelSelector: '!app' }, { namespace: 'a', labelSelector: 'app=x' },
  ];
  for (const request of requests) {
    const first = cache.compile(pods, request);
    t.equal(cache.compile(pods, { ...request }), first, `${JSON.stringify(request)}: reused`);
    const fresh = compileSelection(pods, request);
    t.same(objects.filter((o) => first.matches(o)).map((o) => o.metadata.name), objects.filter((o) => fresh.matches(o)).map((o) => o.metadata.name), `${JSON.stringify(request)}: same objects`);
    t.equal(first.empty, fresh.empty);
    t.equal(first.namespace, fresh.namespace);
  }
  t.not(cache.compile(pods, { labelSelector: 'app=x' }), cache.compile(pods, { labelSelector: 'app=y' }), 'another selector, another selection');
  t.not(cache.compile(pods, { namespace: 'a' }), cache.compile(services, { namespace: 'a' }), 'another kind, another selection');
  t.not(cache.compile(pods, { labelSelector: 'metadata.name=p1' }), cache.compile(pods, { fieldSelector: 'metadata.name=p1' }), 'label and field selector texts are told apart');
  t.end();
});

t.test('a refused selector throws on every request', (t) => {
  const cache = new SelectionCache();
  for (let i = 0; i < 2; i++) {
    t.match(statusOf(() => cache.compile(pods, { labelSelector: 'app in (x' })), { code: 400, reason: 'BadRequest' }, `unparsable, attempt ${i + 1}`);
    t.match(statusOf(() => cache.compile(pods, { fieldSelector: 'spec.nothing=x' })), { code: 400, message: 'field label not supported: spec.nothing' }, `unsupported field, attempt ${i + 1}`);
  }
  t.end();
});
