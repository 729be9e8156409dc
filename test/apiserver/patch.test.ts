// PATCH types and their error codes (k8s.io/apiserver pkg/endpoints/handlers/patch.go and
// patch_test.go; apimachinery meta/v1/validation ValidatePatchOptions; k8s-api.md §1.5, §2.8), and
// the server-side apply minimum of k8s-api.md §2.8.
import t from 'tap';
import type { KubeObject } from '../../src/apiserver/types.js';
import { CONFIGMAPS, DEPLOYMENTS, KSERVICES, PODS, WIDGETS, deployment, kservice, newServer, pod, statusOf, widget } from './fixtures.js';

const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, data,
});

t.test('json, merge and strategic patches apply to the stored object; error codes as handlers/patch.go', (t) => {
  const { server } = newServer();
  const stored = server.create(CONFIGMAPS, cm('c', { a: '1', b: '2' }, { keep: 'yes', drop: 'yes' }));
  const json = server.patch(CONFIGMAPS, 'c', [{ op: 'replace', path: '/data/a', value: '10' }, { op: 'remove', path: '/data/b' }], { namespace: 'default', patchType: 'json' });
  t.same(json.data, { a: '10' }, 'json patch');
  const merge = server.patch(CONFIGMAPS, 'c', { metadata: { labels: { drop: null } }, data: { c: '3' } }, { namespace: 'default', patchType: 'merge' });
  t.same(merge.metadata.labels, { keep: 'yes' }, 'merge patch: null deletes');
  t.same(merge.data, { a: '10', c: '3' }, 'merge patch: members merge');
  const strategic = server.patch(CONFIGMAPS, 'c', { data: { d: '4' } }, { namespace: 'default', patchType: 'strategic' });
  t.same(strategic.data, { a: '10', c: '3', d: '4' }, 'strategic patch on a kind without list keys behaves like merge');
  const cases: { name: string; patch: unknown; type: 'json' | 'merge' | 'strategic'; status: object }[] = [
    { name: 'json patch that is not a list', patch: { op: 'add' }, type: 'json', status: { code: 400, reason: 'BadRequest' } },
    { name: 'json patch whose test fails', patch: [{ op: 'test', path: '/data/a', value: 'nope' }], type: 'json', status: { code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' } },
    { name: 'json patch removing a missing member', patch: [{ op: 'remove', path: '/data/zzz' }], type: 'json', status: { code: 422 } },
    { name: 'json patch over 10000 operations', patch: Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'ConfigMap' })), type: 'json', status: { code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001' } },
    { name: 'merge patch that is not an object', patch: ['x'], type: 'merge', status: { code: 400 } },
    { name: 'strategic patch with an unknown directive', patch: { data: { $patch: 'explode' } }, type: 'strategic', status: { code: 400 } },
    { name: 'patch renaming the object', patch: { metadata: { name: 'other' } }, type: 'merge', status: { code: 400, message: 'the name of the object (other) does not match the name on the URL (c)' } },
    { name: 'patch setting a stale resourceVersion', patch: { metadata: { resourceVersion: stored.metadata.resourceVersion } }, type: 'merge', status: { code: 409, reason: 'Conflict' } },
  ];
  for (const c of cases) t.match(statusOf(() => server.patch(CONFIGMAPS, 'c', c.patch, { namespace: 'default', patchType: c.type })), c.status, c.name);
  t.match(statusOf(() => server.patch(CONFIGMAPS, 'missing', { data: {} }, { namespace: 'default', patchType: 'merge' })), { code: 404 }, 'patch of a missing object');
  t.end();
});

t.test('a patch naming the current resourceVersion succeeds; a no-op patch does not bump it', (t) => {
  const { server } = newServer();
  const stored = server.create(CONFIGMAPS, cm('c', { a: '1' }));
  const same = server.patch(CONFIGMAPS, 'c', { data: { a: '1' } }, { namespace: 'default', patchType: 'merge' });
  t.equal(same, stored, 'no-op patch returns the stored object');
  const guarded = server.patch(CONFIGMAPS, 'c', { metadata: { resourceVersion: stored.metadata.resourceVersion }, data: { a: '2' } }, { namespace: 'default', patchType: 'merge' });
  t.equal(guarded.data.a, '2', 'optimistic-concurrency patch applied');
  t.end();
});

t.test('strategic merge: built-ins merge lists by key, custom resources answer 415', (t) => {
  const { server } = newServer();
  server.create(DEPLOYMENTS, deployment('default', 'web', {
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'app:1' }, { name: 'sidecar', image: 'side:1' }] } },
  }));
  const out = server.patch(DEPLOYMENTS, 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } }, { namespace: 'default', patchType: 'strategic' });
  t.same(out.spec.template.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`), ['app=app:2', 'sidecar=side:1'], 'containers merged by name');
  t.equal(out.metadata.generation, 2, 'template change bumps generation');
  server.create(KSERVICES, kservice('default', 'ks'));
  t.match(statusOf(() => server.patch(KSERVICES, 'ks', { spec: {} }, { namespace: 'default', patchType: 'strategic' })), {
    code: 415, reason: 'UnsupportedMediaType',
    message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  }, '415 for CRs');
  t.end();
});

t.test('patching /status changes only status', (t) => {
  const { server } = newServer();
  server.create(PODS, pod('default', 'p'));
  const out = server.patch(PODS, 'p', { spec: { nodeName: 'n' }, status: { phase: 'Running' } }, { namespace: 'default', patchType: 'merge', subresource: 'status' });
  t.equal(out.status.phase, 'Running', 'status patched');
  t.equal(out.spec.nodeName, undefined, 'spec untouched');
  t.match(statusOf(() => server.patch(CONFIGMAPS, 'x', {}, { namespace: 'default', patchType: 'merge', subresource: 'status' })), { code: 404 }, 'no status subresource');
  t.end();
});

t.test('PatchOptions validation: 422 PatchOptions.meta.k8s.io', (t) => {
  const { server } = newServer();
  server.create(CONFIGMAPS, cm('c', {}));
  t.match(statusOf(() => server.patch(CONFIGMAPS, 'c', {}, { namespace: 'default', patchType: 'merge', force: true })), {
    code: 422, message: 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
  }, 'force on a non-apply patch');
  t.match(statusOf(() => server.patch(CONFIGMAPS, 'c', cm('c', {}), { namespace: 'default', patchType: 'apply' })), {
    code: 422, message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
  }, 'apply without a field manager');
  t.end();
});

t.test('server-side apply: creates, merges, records one managedFields entry per manager and is idempotent', (t) => {
  const { server, clock } = newServer();
  const created = server.patch(CONFIGMAPS, 'cfg', cm('cfg', { a: '1', b: '2' }), { namespace: 'default', patchType: 'apply', fieldManager: 'alice' });
  t.same(created.data, { a: '1', b: '2' }, 'created from the applied configuration');
  t.match(created.metadata.managedFields, [{ manager: 'alice', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} } } }], 'managedFields entry');
  clock.nowMs = 5000;
  const again = server.patch(CONFIGMAPS, 'cfg', cm('cfg', { a: '1', b: '2' }), { namespace: 'default', patchType: 'apply', fieldManager: 'alice' });
  t.equal(again.metadata.resourceVersion, created.metadata.resourceVersion, 're-applying the same configuration is a no-op');
  const dropped = server.patch(CONFIGMAPS, 'cfg', cm('cfg', { a: '1' }), { namespace: 'default', patchType: 'apply', fieldManager: 'alice' });
  t.same(dropped.data, { a: '1' }, 'a field the manager stops applying is removed');
  const bob = server.patch(CONFIGMAPS, 'cfg', cm('cfg', { c: '3' }), { namespace: 'default', patchType: 'apply', fieldManager: 'bob' });
  t.same(bob.data, { a: '1', c: '3' }, 'another manager adds its own fields');
  t.same(bob.metadata.managedFields?.map((e: { manager: string }) => e.manager), ['alice', 'bob'], 'one entry per manager');
  t.end();
});

t.test('server-side apply conflicts: another Apply manager’s field is 409 unless forced', (t) => {
  const { server } = newServer();
  server.patch(KSERVICES, 'ks', kservice('default', 'ks', { x: 'alice' }), { namespace: 'default', patchType: 'apply', fieldManager: 'alice' });
  const status = statusOf(() => server.patch(KSERVICES, 'ks', { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'ks' }, spec: { x: 'bob' } }, { namespace: 'default', patchType: 'apply', fieldManager: 'bob' }));
  t.match(status, {
    code: 409, reason: 'Conflict',
    message: 'Apply failed with 1 conflict: conflict with "alice" using serving.knative.dev/v1: .spec.x',
    details: { causes: [{ type: 'FieldManagerConflict', message: 'conflict with "alice" using serving.knative.dev/v1', field: '.spec.x' }] },
  }, 'conflict');
  const forced = server.patch(KSERVICES, 'ks', { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'ks' }, spec: { x: 'bob' } }, { namespace: 'default', patchType: 'apply', fieldManager: 'bob', force: true });
  t.equal(forced.spec.x, 'bob', 'force takes the field');
  const alice = forced.metadata.managedFields?.find((e: { manager: string }) => e.manager === 'alice') as { fieldsV1: object };
  t.notOk(JSON.stringify(alice.fieldsV1).includes('f:x'), 'alice no longer owns .spec.x');
  const same = server.patch(KSERVICES, 'ks', { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'ks' }, spec: { x: 'bob' } }, { namespace: 'default', patchType: 'apply', fieldManager: 'carol' });
  t.equal(same.spec.x, 'bob', 'applying an equal value is not a conflict');
  t.end();
});

t.test('server-side apply refuses a body for another object', (t) => {
  const { server } = newServer();
  t.match(statusOf(() => server.patch(WIDGETS, 'a', widget('default', 'b'), { namespace: 'default', patchType: 'apply', fieldManager: 'm' })), { code: 400, message: 'the name of the object (b) does not match the name on the URL (a)' }, 'name mismatch');
  t.match(statusOf(() => server.patch(WIDGETS, 'a', { metadata: { name: 'a' } }, { namespace: 'default', patchType: 'apply', fieldManager: 'm' })), { code: 400, reason: 'BadRequest' }, 'missing kind');
  t.end();
});
