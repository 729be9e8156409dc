// DELETE semantics, ported from k8s.io/apiserver pkg/registry/generic/registry/store_test.go
// (TestGracefulStoreHandleFinalizers, TestNonGracefulStoreHandleFinalizers,
// TestStoreDeleteWithOrphanDependents, TestStoreDeletionPropagation, TestMarkAsDeleting,
// TestFinalizeDelete, TestGracefulStoreCanDeleteIfExistingGracePeriodZero), plus pod graceful
// deletion (k8s.io/kubernetes pkg/registry/core/pod/strategy.go CheckGracefulDelete,
// apiserver pkg/registry/rest/delete.go BeforeDelete) and the namespace lifecycle
// (pkg/registry/core/namespace/storage/storage.go, NamespaceLifecycle admission).
import t from 'tap';
import type { DeleteOptions } from '../../src/apiserver/api-server.js';
import { finalizeDelete, markAsDeleting } from '../../src/apiserver/delete-flow.js';
import { formatSimTime } from '../../src/sim/time-format.js';
import type { KubeObject, PropagationPolicy, ResourceId } from '../../src/apiserver/types.js';
import {
  DEPLOYMENTS, NAMESPACES, ORPHAN_WIDGETS, PODS, RecordingSink, WIDGETS, deployment, edit, namespace, newServer, pod, statusOf, widget,
} from './fixtures.js';

const isGone = (fn: () => unknown): boolean => statusOf(fn)?.code === 404;

t.test('TestGracefulStoreHandleFinalizers: a pod deleted with grace 0 stays until its last finalizer is removed', (t) => {
  const { server } = newServer();
  namespace(server, 'test');
  const withFinalizer = pod('test', 'foo', { nodeName: 'machine' }, { finalizers: ['foo.com/x'], generation: 1 });
  server.create(PODS, withFinalizer);
  const result = server.delete(PODS, 'foo', { namespace: 'test', gracePeriodSeconds: 0 }) as KubeObject;
  t.ok(result.metadata.deletionTimestamp, 'marked for deletion');
  t.equal(result.metadata.deletionGracePeriodSeconds, 0, 'no grace left');
  t.notOk(isGone(() => server.get(PODS, 'foo', { namespace: 'test' })), 'still present: it has a finalizer');
  server.update(PODS, pod('test', 'foo', { nodeName: 'machine' }, { finalizers: ['foo.com/x'] }));
  t.notOk(isGone(() => server.get(PODS, 'foo', { namespace: 'test' })), 'still present after an update keeping the finalizer');
  server.update(PODS, pod('test', 'foo', { nodeName: 'anothermachine' }));
  t.ok(isGone(() => server.get(PODS, 'foo', { namespace: 'test' })), 'removed once the finalizer is gone');
  t.end();
});

t.test('TestNonGracefulStoreHandleFinalizers: delete sets deletionTimestamp, grace 0 and bumps generation; removing the finalizer deletes', (t) => {
  const { server } = newServer();
  namespace(server, 'test');
  server.create(WIDGETS, widget('test', 'foo', { nodeName: 'machine' }, { finalizers: ['foo.com/x'], generation: 1 }));
  const result = server.delete(WIDGETS, 'foo', { namespace: 'test' });
  t.match(result, { kind: 'Widget', metadata: { name: 'foo' } }, 'DELETE answers with the still-present object');
  const got = server.get(WIDGETS, 'foo', { namespace: 'test' });
  t.ok(got.metadata.deletionTimestamp, 'deletionTimestamp set');
  t.equal(got.metadata.deletionGracePeriodSeconds, 0, 'deletionGracePeriodSeconds 0');
  t.ok((got.metadata.generation ?? 0) > 1, 'deletion increased generation');
  server.update(WIDGETS, widget('test', 'foo', { nodeName: 'machine' }, { finalizers: ['foo.com/x'], resourceVersion: got.metadata.resourceVersion }));
  t.notOk(isGone(() => server.get(WIDGETS, 'foo', { namespace: 'test' })), 'still present with the finalizer');
  const latest = server.get(WIDGETS, 'foo', { namespace: 'test' });
  server.update(WIDGETS, widget('test', 'foo', { nodeName: 'anothermachine' }, { resourceVersion: latest.metadata.resourceVersion }));
  t.ok(isGone(() => server.get(WIDGETS, 'foo', { namespace: 'test' })), 'removed with its last finalizer');
  t.end();
});

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';
const withOrphan = ['foo.com/x', ORPHAN, 'bar.com/y'];
const withOthers = ['foo.com/x', 'bar.com/y'];

/** TestStoreDeleteWithOrphanDependents rows; OrphanDependents true/false/nil map to Orphan/Background/unset. */
const orphanRows: [string, string[], PropagationPolicy | undefined, ResourceId, boolean, string[]][] = [
  ['pod1', withOrphan, 'Orphan', WIDGETS, false, withOrphan],
  ['pod2', withOthers, 'Orphan', WIDGETS, false, [...withOthers, ORPHAN]],
  ['pod3', [], 'Orphan', WIDGETS, false, [ORPHAN]],
  ['pod4', [ORPHAN], 'Orphan', WIDGETS, false, [ORPHAN]],
  ['pod5', withOrphan, 'Background', ORPHAN_WIDGETS, false, withOthers],
  ['pod6', withOthers, 'Background', ORPHAN_WIDGETS, false, withOthers],
  ['pod7', [], 'Background', ORPHAN_WIDGETS, true, []],
  ['pod8', [ORPHAN], 'Background', ORPHAN_WIDGETS, true, []],
  ['pod9', withOrphan, undefined, WIDGETS, false, withOrphan],
  ['pod10', withOrphan, undefined, ORPHAN_WIDGETS, false, withOrphan],
  ['pod11', withOthers, undefined, WIDGETS, false, withOthers],
  ['pod12', withOthers, undefined, ORPHAN_WIDGETS, false, [...withOthers, ORPHAN]],
  ['pod13', [], undefined, WIDGETS, true, []],
  ['pod14', [], undefined, ORPHAN_WIDGETS, false, [ORPHAN]],
  ['pod15', [ORPHAN], undefined, WIDGETS, false, [ORPHAN]],
  ['pod16', [ORPHAN], undefined, ORPHAN_WIDGETS, false, [ORPHAN]],
];

t.test('TestStoreDeleteWithOrphanDependents: the orphan finalizer follows options, then existing finalizers, then the kind’s default', (t) => {
  const { server } = newServer();
  namespace(server, 'test');
  for (const [name, finalizers, policy, res, notFound, expected] of orphanRows) {
    const kind = res === WIDGETS ? 'Widget' : 'OrphanWidget';
    server.create(res, { ...widget('test', name, { nodeName: 'machine' }, { finalizers, generation: 1 }), kind });
    server.delete(res, name, { namespace: 'test', propagationPolicy: policy });
    if (notFound) {
      t.ok(isGone(() => server.get(res, name, { namespace: 'test' })), `${name}: deleted`);
      continue;
    }
    const got = server.get(res, name, { namespace: 'test' });
    t.ok(got.metadata.deletionTimestamp, `${name}: deletionTimestamp`);
    t.equal(got.metadata.deletionGracePeriodSeconds, 0, `${name}: grace 0`);
    t.ok((got.metadata.generation ?? 0) > 1, `${name}: generation bumped`);
    t.same(got.metadata.finalizers, expected, `${name}: finalizers`);
  }
  t.end();
});

const propagationRows: [string, PropagationPolicy | undefined, ResourceId, string[], boolean, string[]?][] = [
  ['no existing finalizers, PropagationPolicy=Foreground, defaultDeleteStrategy', 'Foreground', WIDGETS, [], false, [FOREGROUND]],
  ['no existing finalizers, PropagationPolicy=Foreground, orphanDeleteStrategy', 'Foreground', ORPHAN_WIDGETS, [], false, [FOREGROUND]],
  ['no existing finalizers, PropagationPolicy=Background, defaultDeleteStrategy', 'Background', WIDGETS, [], true],
  ['no existing finalizers, PropagationPolicy=Background, orphanDeleteStrategy', 'Background', ORPHAN_WIDGETS, [], true],
  ['no existing finalizers, PropagationPolicy=OrphanDependents, defaultDeleteStrategy', 'Orphan', WIDGETS, [], false, [ORPHAN]],
  ['no existing finalizers, PropagationPolicy=OrphanDependents, orphanDeleteStrategy', 'Orphan', ORPHAN_WIDGETS, [], false, [ORPHAN]],
  ['no existing finalizers, PropagationPolicy=Default, defaultDeleteStrategy', undefined, WIDGETS, [], true],
  ['no existing finalizers, PropagationPolicy=Default, orphanDeleteStrategy', undefined, ORPHAN_WIDGETS, [], false, [ORPHAN]],
  ['existing orphan finalizer, PropagationPolicy=Foreground, defaultDeleteStrategy', 'Foreground', WIDGETS, [ORPHAN], false, [FOREGROUND]],
  ['existing orphan finalizer, PropagationPolicy=Foreground, orphanDeleteStrategy', 'Foreground', ORPHAN_WIDGETS, [ORPHAN], false, [FOREGROUND]],
  ['existing orphan finalizer, PropagationPolicy=Background, defaultDeleteStrategy', 'Background', WIDGETS, [ORPHAN], true],
  ['existing orphan finalizer, PropagationPolicy=Background, orphanDeleteStrategy', 'Background', ORPHAN_WIDGETS, [ORPHAN], true],
  ['existing orphan finalizer, PropagationPolicy=OrphanDependents, defaultDeleteStrategy', 'Orphan', WIDGETS, [ORPHAN], false, [ORPHAN]],
  ['existing orphan finalizer, PropagationPolicy=OrphanDependents, orphanDeleteStrategy', 'Orphan', ORPHAN_WIDGETS, [ORPHAN], false, [ORPHAN]],
  ['existing orphan finalizer, PropagationPolicy=Default, defaultDeleteStrategy', undefined, WIDGETS, [ORPHAN], false, [ORPHAN]],
  ['existing orphan finalizer, PropagationPolicy=Default, orphanDeleteStrategy', undefined, ORPHAN_WIDGETS, [ORPHAN], false, [ORPHAN]],
  ['existing deleteDependents finalizer, PropagationPolicy=Foreground, defaultDeleteStrategy', 'Foreground', WIDGETS, [FOREGROUND], false, [FOREGROUND]],
  ['existing deleteDependents finalizer, PropagationPolicy=Foreground, orphanDeleteStrategy', 'Foreground', ORPHAN_WIDGETS, [FOREGROUND], false, [FOREGROUND]],
  ['existing deleteDependents finalizer, PropagationPolicy=Background, defaultDeleteStrategy', 'Background', WIDGETS, [FOREGROUND], true],
  ['existing deleteDependents finalizer, PropagationPolicy=Background, orphanDeleteStrategy', 'Background', ORPHAN_WIDGETS, [FOREGROUND], true],
  ['existing deleteDependents finalizer, PropagationPolicy=OrphanDependents, defaultDeleteStrategy', 'Orphan', WIDGETS, [FOREGROUND], false, [ORPHAN]],
  ['existing deleteDependents finalizer, PropagationPolicy=OrphanDependents, orphanDeleteStrategy', 'Orphan', ORPHAN_WIDGETS, [FOREGROUND], false, [ORPHAN]],
  ['existing deleteDependents finalizer, PropagationPolicy=Default, defaultDeleteStrategy', undefined, WIDGETS, [FOREGROUND], false, [FOREGROUND]],
  ['existing deleteDependents finalizer, PropagationPolicy=Default, orphanDeleteStrategy', undefined, ORPHAN_WIDGETS, [FOREGROUND], false, [FOREGROUND]],
];

t.test('TestStoreDeletionPropagation: propagationPolicy decides the orphan/foregroundDeletion finalizers', (t) => {
  const { server } = newServer();
  namespace(server, 'test');
  propagationRows.forEach(([title, policy, res, existing, notFound, expected], i) => {
    const name = `pod-${i}`;
    const kind = res === WIDGETS ? 'Widget' : 'OrphanWidget';
    server.create(res, { ...widget('test', name, { nodeName: 'machine' }, { finalizers: existing, generation: 1 }), kind });
    const opts: DeleteOptions = { namespace: 'test' };
    if (policy) opts.propagationPolicy = policy;
    server.delete(res, name, opts);
    if (notFound) {
      t.ok(isGone(() => server.get(res, name, { namespace: 'test' })), `${title}: deleted`);
      return;
    }
    const got = server.get(res, name, { namespace: 'test' });
    t.same(got.metadata.finalizers, expected, `${title}: finalizers`);
    t.ok(got.metadata.deletionTimestamp && got.metadata.deletionGracePeriodSeconds === 0 && (got.metadata.generation ?? 0) > 1, `${title}: marked as deleting`);
  });
  t.end();
});

t.test('TestMarkAsDeleting: deletionTimestamp becomes now unless it is already earlier', (t) => {
  const nowMs = 60_000;
  const cases: [string, string | undefined, string][] = [
    ['unset', undefined, formatSimTime(nowMs)],
    ['set to future', formatSimTime(nowMs + 1000), formatSimTime(nowMs)],
    ['set to past', formatSimTime(nowMs - 1000), formatSimTime(nowMs - 1000)],
  ];
  for (const [name, before, after] of cases) {
    const meta: KubeObject['metadata'] = { name: 'rs', generation: 3 };
    if (before) meta.deletionTimestamp = before;
    markAsDeleting(meta, nowMs);
    t.equal(meta.deletionTimestamp, after, `${name}: deletionTimestamp`);
    t.equal(meta.deletionGracePeriodSeconds, 0, `${name}: grace 0`);
    t.equal(meta.generation, before ? 3 : 4, `${name}: generation bumped only by the first deletion`);
  }
  t.end();
});

t.test('TestFinalizeDelete: a Success Status naming the object by resource, or the object for pods', (t) => {
  const { server } = newServer();
  const widgets = server.registry.require(WIDGETS);
  const obj = widget('default', 'foo', {}, { uid: 'random-uid' });
  t.same(finalizeDelete(widgets, obj), {
    apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 200,
    details: { name: 'foo', group: 'example.sleeveless.dev', kind: 'widgets', uid: 'random-uid' },
  }, 'Status for widgets');
  t.equal(finalizeDelete(server.registry.require(PODS), obj), obj, 'pods return the deleted object');
  t.end();
});

t.test('pod graceful deletion: scheduled pods wait out their grace period; a later delete may only shorten it', (t) => {
  const { server, clock } = newServer();
  clock.nowMs = 10_000;
  server.create(PODS, pod('default', 'web', { nodeName: 'node-1' }));
  const sink = new RecordingSink();
  server.watch(PODS, { namespace: 'default', resourceVersion: String(server.resourceVersion) }, sink);
  const first = server.delete(PODS, 'web', { namespace: 'default' }) as KubeObject;
  t.equal(first.metadata.deletionTimestamp, formatSimTime(40_000), 'deletionTimestamp = now + terminationGracePeriodSeconds (30 by default)');
  t.equal(first.metadata.deletionGracePeriodSeconds, 30, 'deletionGracePeriodSeconds 30');
  t.notOk(isGone(() => server.get(PODS, 'web', { namespace: 'default' })), 'still present');
  clock.nowMs = 15_000;
  const longer = server.delete(PODS, 'web', { namespace: 'default', gracePeriodSeconds: 60 }) as KubeObject;
  t.equal(longer.metadata.resourceVersion, first.metadata.resourceVersion, 'a longer grace changes nothing');
  const shorter = server.delete(PODS, 'web', { namespace: 'default', gracePeriodSeconds: 10 }) as KubeObject;
  t.equal(shorter.metadata.deletionTimestamp, formatSimTime(20_000), 'deadline moved back by the difference');
  t.equal(shorter.metadata.deletionGracePeriodSeconds, 10, 'grace shortened');
  const gone = server.delete(PODS, 'web', { namespace: 'default', gracePeriodSeconds: 0 }) as KubeObject;
  t.equal(gone.kind, 'Pod', 'pods answer with the deleted object');
  t.ok(isGone(() => server.get(PODS, 'web', { namespace: 'default' })), 'grace 0 removes it');
  t.same(sink.summary().map(([type]) => type), ['MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED'], 'watchers see each step');
  t.end();
});

t.test('pod deletion is immediate when unscheduled, terminated, or when the remaining grace is already 0', (t) => {
  const { server } = newServer();
  server.create(PODS, pod('default', 'pending'));
  t.match(server.delete(PODS, 'pending', { namespace: 'default' }), { kind: 'Pod' }, 'unscheduled: deleted');
  t.ok(isGone(() => server.get(PODS, 'pending', { namespace: 'default' })), 'unscheduled: gone');
  const done = server.create(PODS, pod('default', 'done', { nodeName: 'node-1' }));
  server.update(PODS, { ...edit(done), status: { phase: 'Succeeded' } }, { subresource: 'status' });
  server.delete(PODS, 'done', { namespace: 'default' });
  t.ok(isGone(() => server.get(PODS, 'done', { namespace: 'default' })), 'Succeeded: gone');
  server.create(PODS, pod('default', 'negative', { nodeName: 'node-1' }));
  const negative = server.delete(PODS, 'negative', { namespace: 'default', gracePeriodSeconds: -5 }) as KubeObject;
  t.equal(negative.metadata.deletionGracePeriodSeconds, 1, 'a negative grace period counts as 1s');
  t.end();
});

t.test('BeforeDelete with an existing grace of 0: a repeated delete of a pod held by a finalizer changes nothing', (t) => {
  const { server } = newServer();
  server.create(PODS, pod('default', 'stuck', { nodeName: 'node-1' }, { finalizers: ['example.com/hold'], generation: 1 }));
  const held = server.delete(PODS, 'stuck', { namespace: 'default', gracePeriodSeconds: 0 }) as KubeObject;
  t.equal(held.metadata.deletionGracePeriodSeconds, 0, 'held at grace 0');
  t.equal(held.metadata.generation, 2, 'first deletion bumped generation');
  const again = server.delete(PODS, 'stuck', { namespace: 'default', gracePeriodSeconds: 30 }) as KubeObject;
  t.equal(again, server.get(PODS, 'stuck', { namespace: 'default' }), 'answers with the stored object');
  t.equal(again.metadata.resourceVersion, held.metadata.resourceVersion, 'no write');
  t.end();
});

t.test('finalizers after deletionTimestamp: new ones are forbidden (422), removing them is allowed', (t) => {
  const { server } = newServer();
  server.create(WIDGETS, widget('default', 'w', {}, { finalizers: ['a.example.com/x'] }));
  server.delete(WIDGETS, 'w', { namespace: 'default' });
  const deleting = server.get(WIDGETS, 'w', { namespace: 'default' });
  t.match(statusOf(() => server.update(WIDGETS, { ...edit(deleting), metadata: { ...edit(deleting.metadata), finalizers: ['a.example.com/x', 'b.example.com/y'] } })), {
    code: 422, reason: 'Invalid',
    message: 'Widget.example.sleeveless.dev "w" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.example.com/y"}',
  }, 'adding is refused');
  const again = server.delete(WIDGETS, 'w', { namespace: 'default' }) as KubeObject;
  t.equal(again.metadata.resourceVersion, deleting.metadata.resourceVersion, 'a repeated delete changes nothing');
  const cleared = server.update(WIDGETS, { ...edit(deleting), metadata: { ...edit(deleting.metadata), deletionTimestamp: undefined } });
  t.equal(cleared, deleting, 'an update cannot clear deletionTimestamp: it is restored and the write is a no-op');
  const removed = server.update(WIDGETS, { ...edit(deleting), metadata: { ...edit(deleting.metadata), finalizers: [] } });
  t.equal(removed.metadata.name, 'w', 'removing the last finalizer is accepted');
  t.ok(isGone(() => server.get(WIDGETS, 'w', { namespace: 'default' })), 'and deletes the object');
  t.end();
});

t.test('Deployment delete with Foreground: foregroundDeletion finalizer, generation bumped, object returned', (t) => {
  const { server } = newServer();
  server.create(DEPLOYMENTS, deployment('default', 'web'));
  const out = server.delete(DEPLOYMENTS, 'web', { namespace: 'default', propagationPolicy: 'Foreground' }) as KubeObject;
  t.same(out.metadata.finalizers, [FOREGROUND], 'finalizer');
  t.equal(out.metadata.generation, 2, 'generation 1 → 2');
  t.match(statusOf(() => server.delete(DEPLOYMENTS, 'missing', { namespace: 'default' })), { code: 404, message: 'deployments.apps "missing" not found' }, 'missing is 404');
  t.end();
});

t.test('dry-run delete leaves the object in place', (t) => {
  const { server } = newServer();
  server.create(WIDGETS, widget('default', 'w'));
  const rv = server.resourceVersion;
  t.match(server.delete(WIDGETS, 'w', { namespace: 'default', dryRun: true }), { status: 'Success' }, 'answers as if deleted');
  t.equal(server.resourceVersion, rv, 'nothing committed');
  t.notOk(isGone(() => server.get(WIDGETS, 'w', { namespace: 'default' })), 'still there');
  t.end();
});

t.test('namespace lifecycle: Terminating first, refuse new content, finalize to remove; immortal namespaces stay', (t) => {
  const { server } = newServer();
  for (const name of ['default', 'kube-system', 'kube-public']) {
    t.match(statusOf(() => server.delete(NAMESPACES, name)), { code: 403, reason: 'Forbidden', message: `namespaces "${name}" is forbidden: this namespace may not be deleted` }, `${name} may not be deleted`);
  }
  t.match(statusOf(() => server.create(WIDGETS, widget('nope', 'w'))), { code: 404, message: 'namespaces "nope" not found' }, 'create in a missing namespace');
  const created = namespace(server, 'doomed');
  t.same(created.spec, { finalizers: ['kubernetes'] }, 'spec.finalizers [kubernetes] on create');
  t.match(created.status, { phase: 'Active' }, 'Active on create');
  const ns = server.delete(NAMESPACES, 'doomed') as KubeObject;
  t.match(ns, { status: { phase: 'Terminating' }, spec: { finalizers: ['kubernetes'] } }, 'first delete: Terminating');
  t.ok(ns.metadata.deletionTimestamp, 'deletionTimestamp set');
  t.match(statusOf(() => server.create(WIDGETS, widget('doomed', 'w'))), {
    code: 403, reason: 'Forbidden',
    message: 'widgets.example.sleeveless.dev "w" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    details: { causes: [{ type: 'NamespaceTerminating', field: 'metadata.namespace' }] },
  }, 'no new content while terminating');
  t.equal(server.delete(NAMESPACES, 'doomed'), server.get(NAMESPACES, 'doomed'), 'second delete waits for spec.finalizers');
  t.match(statusOf(() => server.delete(NAMESPACES, 'doomed', { preconditions: { uid: 'other' } })), { code: 409, message: /Precondition failed: UID in precondition: other/ }, 'uid precondition');
  const current = server.get(NAMESPACES, 'doomed');
  server.update(NAMESPACES, { ...edit(current), spec: { finalizers: [] } }, { subresource: 'finalize' });
  t.ok(isGone(() => server.get(NAMESPACES, 'doomed')), 'finalize with no finalizers left removes the namespace');
  t.end();
});

t.test('namespace spec.finalizers only change through /finalize', (t) => {
  const { server } = newServer();
  const ns = namespace(server, 'keep');
  const out = server.update(NAMESPACES, { ...edit(ns), spec: { finalizers: [] } });
  t.same(out.spec, { finalizers: ['kubernetes'] }, 'main-resource update keeps spec.finalizers');
  t.end();
});
