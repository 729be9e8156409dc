// WATCH semantics, ported from k8s.io/apiserver pkg/storage/testing/watcher_tests.go: RunTestWatch
// (testWatch, by key and by prefix), RunTestWatchFromZero (with compaction → 410),
// RunTestDeleteTriggerWatch, RunTestWatchFromNonZero, RunTestWatchDeleteEventObjectHaveLatestRV,
// RunTestNamespaceScopedWatch, RunTestWatchDispatchBookmarkEvents,
// RunTestOptionalWatchBookmarksWithCorrectResourceVersion, RunWatchSemantics and
// RunWatchSemanticInitialEventsExtended; plus the watch ListOptions rules of apimachinery
// internalversion/validation and the delivery-order guarantees of the simulator.
import t from 'tap';
import type { ApiServer, WatchOptions } from '../../src/apiserver/api-server.js';
import { isAlreadyExists, isNotFound } from '../../src/apiserver/api-error.js';
import type { KubeObject, WatchEvent } from '../../src/apiserver/types.js';
import { CONFIGMAPS, RecordingSink, WIDGETS, edit, namespace, newServer, statusOf, widget } from './fixtures.js';

function ensureNamespace(server: ApiServer, name: string): void {
  try {
    namespace(server, name);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
}

/** GuaranteedUpdate with ignoreNotFound: create the widget or overwrite it unconditionally. */
function put(server: ApiServer, obj: KubeObject): KubeObject {
  ensureNamespace(server, obj.metadata.namespace as string);
  try {
    server.get(WIDGETS, obj.metadata.name as string, { namespace: obj.metadata.namespace });
  } catch (error) {
    if (isNotFound(error)) return server.create(WIDGETS, obj);
    throw error;
  }
  return server.update(WIDGETS, obj);
}

/** The DELETED view upstream expects: the previous object carrying the change's RV. */
const withRv = (obj: KubeObject, rv: string | undefined): KubeObject => ({ ...obj, metadata: { ...obj.metadata, resourceVersion: rv } });

const basePod = (ns: string, labels?: Record<string, string>): KubeObject => widget(ns, 'foo', { nodeName: '' }, labels ? { labels } : {});
const assigned = (ns: string, labels?: Record<string, string>): KubeObject => widget(ns, 'foo', { nodeName: 'bar' }, labels ? { labels } : {});

interface Step {
  obj?: (ns: string) => KubeObject;
  expect?: 'ADDED' | 'MODIFIED' | 'DELETED';
}

const sel = { select: 'true' };
const watchCases: { name: string; opts: Omit<WatchOptions, 'namespace'>; steps: Step[] }[] = [
  { name: 'create a key', opts: {}, steps: [{ obj: basePod, expect: 'ADDED' }] },
  { name: 'key updated to match predicate', opts: { fieldSelector: 'spec.nodeName=bar' }, steps: [{ obj: basePod }, { obj: assigned, expect: 'ADDED' }] },
  { name: 'update', opts: {}, steps: [{ obj: basePod, expect: 'ADDED' }, { obj: assigned, expect: 'MODIFIED' }] },
  { name: 'delete because of being filtered', opts: { fieldSelector: 'spec.nodeName!=bar' }, steps: [{ obj: basePod, expect: 'ADDED' }, { obj: assigned, expect: 'DELETED' }] },
  {
    name: 'filtering', opts: { labelSelector: 'select=true' },
    steps: [
      { obj: (ns) => basePod(ns, sel), expect: 'ADDED' }, { obj: (ns) => basePod(ns), expect: 'DELETED' },
      { obj: (ns) => basePod(ns, sel), expect: 'ADDED' }, { obj: (ns) => assigned(ns, sel), expect: 'MODIFIED' }, { expect: 'DELETED' },
    ],
  },
];

for (const recursive of [false, true]) {
  t.test(`RunTestWatch (recursive=${recursive}): ADDED, MODIFIED, DELETED and selector transitions`, (t) => {
    const { server } = newServer();
    watchCases.forEach((c, i) => {
      const ns = `test-ns-${i + 1}-${recursive}`;
      ensureNamespace(server, ns);
      const opts: WatchOptions = { ...c.opts, namespace: ns };
      if (!recursive) opts.fieldSelector = [opts.fieldSelector, 'metadata.name=foo'].filter(Boolean).join(',');
      const listRv = server.list(WIDGETS, { namespace: ns }).metadata.resourceVersion;
      const sink = new RecordingSink();
      const handle = server.watch(WIDGETS, { ...opts, resourceVersion: listRv }, sink);
      put(server, basePod(`${ns}-bad`));
      let prev: KubeObject | undefined;
      for (const step of c.steps) {
        let out: KubeObject;
        if (step.obj) {
          out = put(server, step.obj(ns));
        } else {
          let deleted: KubeObject | undefined;
          const off = server.onCommit((ev) => { deleted = ev.object; });
          server.delete(WIDGETS, 'foo', { namespace: ns });
          off();
          out = deleted as KubeObject;
        }
        const events = sink.take();
        if (!step.expect) {
          t.same(events, [], `${c.name}: no event`);
        } else {
          const expected = step.expect === 'DELETED' ? withRv(prev as KubeObject, out.metadata.resourceVersion) : out;
          t.same(events, [{ type: step.expect, object: expected }], `${c.name}: ${step.expect}`);
        }
        prev = out;
      }
      handle.stop();
      t.ok(handle.stopped, `${c.name}: stopped`);
      put(server, basePod(ns));
      t.same(sink.take(), [], `${c.name}: nothing after stop`);
    });
    t.end();
  });
}

t.test('RunTestWatchFromZero: RV 0 starts with ADDED of the current state; a compacted RV is ERROR 410 then closed', (t) => {
  const { server } = newServer();
  namespace(server, 'test-ns');
  const stored = server.create(WIDGETS, widget('test-ns', 'foo'));
  const byKey = { namespace: 'test-ns', fieldSelector: 'metadata.name=foo' };
  const w1 = new RecordingSink();
  const h1 = server.watch(WIDGETS, { ...byKey, resourceVersion: '0' }, w1);
  t.same(w1.take(), [{ type: 'ADDED', object: stored }], 'ADDED for the existing object');
  const out = server.update(WIDGETS, widget('test-ns', 'foo', {}, { annotations: { a: '1' } }));
  t.same(w1.take(), [{ type: 'MODIFIED', object: out }], 'MODIFIED after the update');
  h1.stop();
  const w2 = new RecordingSink();
  server.watch(WIDGETS, { ...byKey, resourceVersion: '0' }, w2).stop();
  t.same(w2.take(), [{ type: 'ADDED', object: out }], 'a new watch from 0 sees the updated object as ADDED');
  const newOut = server.update(WIDGETS, widget('test-ns', 'foo'));
  server.compact(server.resourceVersion - Number(newOut.metadata.resourceVersion));
  const w3 = new RecordingSink();
  server.watch(WIDGETS, { ...byKey, resourceVersion: '0' }, w3).stop();
  t.same(w3.take(), [{ type: 'ADDED', object: newOut }], 'watch from 0 still works after compaction');
  const tooOld = new RecordingSink();
  const h4 = server.watch(WIDGETS, { ...byKey, resourceVersion: out.metadata.resourceVersion }, tooOld);
  t.match(tooOld.events, [{ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: `too old resource version: ${out.metadata.resourceVersion} (${newOut.metadata.resourceVersion})` } }], 'ERROR 410 Expired');
  t.equal(tooOld.closedCount, 1, 'then closed once');
  t.match(tooOld.closedWith, { code: 410 }, 'closed with the Status');
  t.ok(h4.stopped, 'the handle is stopped');
  t.equal(stored.metadata.name, 'foo', 'sanity');
  t.end();
});

t.test('RunTestDeleteTriggerWatch and RunTestWatchDeleteEventObjectHaveLatestRV: delete yields DELETED with the deletion RV', (t) => {
  const { server } = newServer();
  namespace(server, 'test-ns');
  const stored = server.create(WIDGETS, widget('test-ns', 'foo'));
  const sink = new RecordingSink();
  server.watch(WIDGETS, { namespace: 'test-ns', resourceVersion: stored.metadata.resourceVersion }, sink);
  let deleted: KubeObject | undefined;
  server.onCommit((ev) => { deleted = ev.object; });
  server.delete(WIDGETS, 'foo', { namespace: 'test-ns' });
  t.not(deleted?.metadata.resourceVersion, stored.metadata.resourceVersion, 'the deletion has a new RV');
  t.same(sink.take(), [{ type: 'DELETED', object: deleted }], 'DELETED carries the object with the latest RV');
  t.end();
});

t.test('RunTestWatchFromNonZero: from RV N only later changes arrive, no synthetic ADDED', (t) => {
  const { server } = newServer();
  namespace(server, 'test-ns');
  const stored = server.create(WIDGETS, widget('test-ns', 'foo'));
  const sink = new RecordingSink();
  server.watch(WIDGETS, { namespace: 'test-ns', resourceVersion: stored.metadata.resourceVersion }, sink);
  t.same(sink.take(), [], 'nothing replayed');
  const out = server.update(WIDGETS, { ...edit(stored), metadata: { ...edit(stored.metadata), annotations: { version: '2' } } });
  t.same(sink.take(), [{ type: 'MODIFIED', object: out }], 'MODIFIED');
  t.end();
});

t.test('watch from an RV in the past replays the logged changes after it', (t) => {
  const { server } = newServer();
  const a = server.create(WIDGETS, widget('default', 'a'));
  const b = server.create(WIDGETS, widget('default', 'b'));
  const a2 = server.update(WIDGETS, { ...edit(a), spec: { n: 2 } });
  const sink = new RecordingSink();
  server.watch(WIDGETS, { namespace: 'default', resourceVersion: a.metadata.resourceVersion }, sink);
  t.same(sink.take(), [{ type: 'ADDED', object: b }, { type: 'MODIFIED', object: a2 }], 'events after a');
  t.end();
});

interface NsWatchCase {
  name: string;
  requestedNamespace?: string;
  fieldSelector?: (p: string) => string;
  steps: [name: string, ns: string, node: string | undefined, updated: boolean, expect?: 'ADDED' | 'MODIFIED' | 'DELETED'][];
}

const nsWatchCases: NsWatchCase[] = [
  { name: 'namespaced watch, request without name, request without namespace, without field selector', steps: [['foo1', 'ns1', undefined, false, 'ADDED'], ['foo2', 'ns2', undefined, false, 'ADDED'], ['foo1', 'ns1', undefined, true, 'MODIFIED'], ['foo2', 'ns2', undefined, true, 'MODIFIED']] },
  { name: 'namespaced watch, request without name, request without namespace, field selector with metadata.namespace', fieldSelector: (p) => `metadata.namespace=${p}ns1`, steps: [['foo1', 'ns1', undefined, false, 'ADDED'], ['foo1', 'ns2', undefined, false], ['foo1', 'ns1', undefined, true, 'MODIFIED'], ['foo1', 'ns2', undefined, true]] },
  { name: 'namespaced watch, request without name, request without namespace, field selector with spec.nodename', fieldSelector: (p) => `spec.nodeName=${p}bar1`, steps: [['foo1', 'ns1', undefined, false], ['foo2', 'ns2', undefined, false], ['foo1', 'ns1', 'bar1', false, 'ADDED'], ['foo2', 'ns2', 'bar1', false, 'ADDED']] },
  { name: 'namespaced watch, request without name, request without namespace, field selector with spec.nodename to filter out watch', fieldSelector: (p) => `spec.nodeName!=${p}bar1`, steps: [['foo1', 'ns1', undefined, false, 'ADDED'], ['foo2', 'ns1', undefined, false, 'ADDED'], ['foo1', 'ns1', undefined, true, 'MODIFIED'], ['foo1', 'ns1', 'bar1', false, 'DELETED']] },
  { name: 'namespaced watch, request without name, request with namespace, without field selector', requestedNamespace: 'ns1', steps: [['foo1', 'ns1', undefined, false, 'ADDED'], ['foo1', 'ns2', undefined, false], ['foo2', 'ns1', undefined, false, 'ADDED'], ['foo1', 'ns1', undefined, true, 'MODIFIED'], ['foo1', 'ns2', undefined, true]] },
  { name: 'namespaced watch, request without name, request with namespace, field selector with non-matched metadata.namespace', requestedNamespace: 'ns1', fieldSelector: (p) => `metadata.namespace=${p}ns2`, steps: [['foo1', 'ns1', undefined, false], ['foo1', 'ns2', undefined, false], ['foo1', 'ns1', undefined, true], ['foo1', 'ns2', undefined, true]] },
  { name: 'namespaced watch, request without name, request with namespace, field selector with spec.nodename to filter out watch', requestedNamespace: 'ns2', fieldSelector: (p) => `spec.nodeName!=${p}bar1`, steps: [['foo1', 'ns1', undefined, false], ['foo1', 'ns2', undefined, false, 'ADDED'], ['foo1', 'ns2', 'bar1', false, 'DELETED'], ['foo1', 'ns2', 'bar2', false, 'ADDED']] },
  { name: 'namespaced watch, request with name, request without namespace, field selector with metadata.name', fieldSelector: () => 'metadata.name=foo1', steps: [['foo1', 'ns1', undefined, false, 'ADDED'], ['foo1', 'ns2', undefined, false, 'ADDED'], ['foo2', 'ns1', undefined, false], ['foo1', 'ns1', undefined, true, 'MODIFIED'], ['foo1', 'ns1', 'bar1', false, 'MODIFIED']] },
  { name: 'namespaced watch, request with name, request without namespace, field selector with metadata.name, and with spec.nodeName to filter out watch', fieldSelector: (p) => `spec.nodeName!=${p}bar1,metadata.name=foo1`, steps: [['foo1', 'ns1', undefined, false, 'ADDED'], ['foo2', 'ns1', undefined, false], ['foo1', 'ns1', undefined, true, 'MODIFIED'], ['foo1', 'ns1', 'bar1', false, 'DELETED'], ['foo1', 'ns1', 'bar2', false, 'ADDED']] },
  { name: 'namespaced watch, request with name, request with namespace, with field selector metadata.name, metadata.namespace and spec.nodename', requestedNamespace: 'ns1', fieldSelector: (p) => `metadata.name=foo1,metadata.namespace=${p}ns1,spec.nodeName=${p}bar1`, steps: [['foo1', 'ns1', undefined, false], ['foo2', 'ns1', undefined, false], ['foo1', 'ns2', undefined, false], ['foo1', 'ns1', undefined, true], ['foo1', 'ns1', 'bar1', false, 'ADDED']] },
];

t.test('RunTestNamespaceScopedWatch: namespace scoping with metadata and spec.nodeName field selectors', (t) => {
  const { server } = newServer();
  nsWatchCases.forEach((c, i) => {
    const p = `t${i + 1}-`;
    const listRv = server.list(WIDGETS).metadata.resourceVersion;
    const sink = new RecordingSink();
    const handle = server.watch(WIDGETS, { namespace: c.requestedNamespace ? p + c.requestedNamespace : undefined, fieldSelector: c.fieldSelector?.(p), resourceVersion: listRv }, sink);
    const current = new Map<string, KubeObject>();
    for (const [name, ns, node, updated, expect] of c.steps) {
      const spec: Record<string, unknown> = node ? { nodeName: p + node } : {};
      const meta = updated ? { labels: { updated: 'true' } } : {};
      const out = put(server, widget(p + ns, name, spec, meta));
      const id = `${ns}/${name}`;
      const events = sink.take();
      if (!expect) {
        t.same(events, [], `${c.name}: ${id} no event`);
      } else {
        const object = expect === 'DELETED' ? withRv(current.get(id) as KubeObject, out.metadata.resourceVersion) : out;
        t.same(events, [{ type: expect, object }], `${c.name}: ${id} ${expect}`);
      }
      current.set(id, out);
    }
    handle.stop();
  });
  t.end();
});

t.test('RunTestWatchDispatchBookmarkEvents: bookmarks only reach watchers that allowed them', (t) => {
  const { server } = newServer();
  namespace(server, 'test-ns');
  const stored = server.create(WIDGETS, widget('test-ns', 'foo'));
  for (const [i, allow] of [false, true].entries()) {
    const sink = new RecordingSink();
    const handle = server.watch(WIDGETS, { namespace: 'test-ns', fieldSelector: 'metadata.name=foo', resourceVersion: stored.metadata.resourceVersion, allowWatchBookmarks: allow }, sink);
    ensureNamespace(server, `other-ns-${i}`);
    server.create(WIDGETS, widget(`other-ns-${i}`, 'foo'));
    server.emitBookmarks();
    const events = sink.take();
    if (allow) {
      t.same(events, [{ type: 'BOOKMARK', object: { apiVersion: 'example.sleeveless.dev/v1', kind: 'Widget', metadata: { resourceVersion: String(server.resourceVersion) } } }], 'allowWatchBookmarks=true: one bookmark at the current RV');
    } else {
      t.same(events, [], 'allowWatchBookmarks=false: none');
    }
    handle.stop();
  }
  t.end();
});

t.test('RunTestOptionalWatchBookmarksWithCorrectResourceVersion: bookmark RVs never go backwards, event RVs always advance', (t) => {
  const { server } = newServer();
  namespace(server, 'test-ns');
  const startRV = server.list(WIDGETS).metadata.resourceVersion;
  const sink = new RecordingSink();
  server.watch(WIDGETS, { namespace: 'test-ns', resourceVersion: startRV, allowWatchBookmarks: true }, sink);
  for (let i = 0; i < 100; i++) {
    server.create(WIDGETS, widget('test-ns', `foo-${i}`));
    if (i % 7 === 0) server.emitBookmarks();
    if (i % 11 === 0) server.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' } });
  }
  server.emitBookmarks();
  let last = 0;
  let bookmarks = 0;
  let ordered = true;
  for (const ev of sink.events) {
    const rv = Number((ev.object as KubeObject).metadata.resourceVersion);
    if (ev.type === 'BOOKMARK') {
      bookmarks++;
      if (rv < last) ordered = false;
    } else if (rv <= last) {
      ordered = false;
    }
    last = rv;
  }
  t.ok(bookmarks > 0, 'bookmarks were received');
  t.ok(ordered, 'RVs are monotonic as upstream requires');
  t.end();
});

type Scenario = { name: string; allow: boolean; send?: boolean; rv?: 'unset' | '0' | '1' | 'current'; initial: boolean; bookmark: boolean };

const semantics: Scenario[] = [];
for (const rv of ['unset', '0', '1', 'current'] as const) {
  for (const [allow, send] of [[true, true], [true, false], [false, false], [false, true]] as const) {
    const initial = send || rv === '1';
    semantics.push({ name: `allowWatchBookmarks=${allow}, sendInitialEvents=${send}, RV=${rv === 'current' ? 'useCurrentRV' : rv}`, allow, send, rv, initial, bookmark: allow && send });
  }
}
semantics.push({ name: 'legacy, RV=0', allow: false, rv: '0', initial: true, bookmark: false });
semantics.push({ name: 'legacy, RV=unset', allow: false, rv: 'unset', initial: true, bookmark: false });

t.test('RunWatchSemantics: allowWatchBookmarks × sendInitialEvents × resourceVersion', (t) => {
  const { server } = newServer();
  semantics.forEach((s, idx) => {
    const ns = `ns-${idx}`;
    namespace(server, ns);
    const created = ['1', '2', '3'].map((n) => server.create(WIDGETS, widget(ns, `pod-${n}`)));
    const rv = s.rv === 'unset' ? undefined : s.rv === 'current' ? String(server.resourceVersion) : s.rv;
    const opts: WatchOptions = { namespace: ns, resourceVersion: rv, allowWatchBookmarks: s.allow };
    if (s.send !== undefined) Object.assign(opts, { sendInitialEvents: s.send, resourceVersionMatch: 'NotOlderThan' });
    const sink = new RecordingSink();
    const handle = server.watch(WIDGETS, opts, sink);
    const initial = sink.take();
    const expectedInitial: WatchEvent[] = s.initial ? created.map((object) => ({ type: 'ADDED', object })) : [];
    if (s.bookmark) {
      expectedInitial.push({ type: 'BOOKMARK', object: { apiVersion: 'example.sleeveless.dev/v1', kind: 'Widget', metadata: { resourceVersion: String(server.resourceVersion), annotations: { 'k8s.io/initial-events-end': 'true' } } } });
    }
    t.same(initial, expectedInitial, `${s.name}: initial events`);
    const later = ['4', '5'].map((n) => server.create(WIDGETS, widget(ns, `pod-${n}`)));
    server.emitBookmarks();
    t.same(sink.take().filter((ev) => ev.type !== 'BOOKMARK'), later.map((object) => ({ type: 'ADDED', object })), `${s.name}: later events`);
    handle.stop();
  });
  t.end();
});

t.test('RunWatchSemanticInitialEventsExtended: the initial-events-end bookmark carries the global RV', (t) => {
  const { server } = newServer();
  namespace(server, 'ns-foo');
  namespace(server, 'other-ns-foo');
  const initial = ['1', '2', '3', '4', '5'].map((n) => server.create(WIDGETS, widget('ns-foo', `pod-${n}`)));
  const other = server.create(WIDGETS, widget('other-ns-foo', 'pod-1'));
  const sink = new RecordingSink();
  server.watch(WIDGETS, { namespace: 'ns-foo', sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true }, sink);
  t.same(sink.take(), [
    ...initial.map((object) => ({ type: 'ADDED', object })),
    { type: 'BOOKMARK', object: { apiVersion: 'example.sleeveless.dev/v1', kind: 'Widget', metadata: { resourceVersion: other.metadata.resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } } } },
  ], 'ADDED in key order, then the bookmark at the other namespace’s RV');
  t.end();
});

t.test('watch ListOptions rules: 422 for resourceVersionMatch misuse, 504 for a future RV, 400 for bad selectors', (t) => {
  const { server } = newServer();
  const sink = new RecordingSink();
  const cases: { name: string; opts: WatchOptions; status: object }[] = [
    { name: 'sendInitialEvents without match', opts: { sendInitialEvents: true }, status: { code: 422, message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' } },
    { name: 'match without sendInitialEvents', opts: { resourceVersionMatch: 'NotOlderThan' }, status: { code: 422, message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided' } },
    { name: 'Exact with sendInitialEvents', opts: { sendInitialEvents: true, resourceVersionMatch: 'Exact' }, status: { code: 422, reason: 'Invalid' } },
    { name: 'future RV', opts: { resourceVersion: String(server.resourceVersion + 10) }, status: { code: 504, reason: 'Timeout', message: `Timeout: Too large resource version: ${server.resourceVersion + 10}, current: ${server.resourceVersion}` } },
    { name: 'unsupported field label', opts: { fieldSelector: 'status.colour=red' }, status: { code: 400, message: 'field label not supported: status.colour' } },
  ];
  for (const c of cases) t.match(statusOf(() => server.watch(WIDGETS, c.opts, sink)), c.status, c.name);
  t.same(sink.events, [], 'refused watches deliver nothing');
  t.end();
});

t.test('delivery order: writes made inside a sink reach every watcher after the event being delivered, in RV order', (t) => {
  const { server } = newServer();
  const first = new RecordingSink();
  const second = new RecordingSink();
  let reacted = false;
  server.watch(WIDGETS, { namespace: 'default', resourceVersion: String(server.resourceVersion) }, {
    event(ev) {
      first.event(ev);
      if (!reacted && ev.type === 'ADDED') {
        reacted = true;
        server.create(WIDGETS, widget('default', 'reaction'));
      }
    },
    closed: () => undefined,
  });
  server.watch(WIDGETS, { namespace: 'default', resourceVersion: String(server.resourceVersion) }, second);
  const commits: number[] = [];
  server.onCommit((ev) => commits.push(ev.resourceVersion));
  server.create(WIDGETS, widget('default', 'trigger'));
  const rvs = (sink: RecordingSink): number[] => sink.events.map((ev) => Number((ev.object as KubeObject).metadata.resourceVersion));
  t.same(first.summary().map(([, name]) => name), ['trigger', 'reaction'], 'reacting watcher sees both');
  t.same(second.summary().map(([, name]) => name), ['trigger', 'reaction'], 'other watcher sees trigger before reaction');
  t.same(rvs(second), [...rvs(second)].sort((a, b) => a - b), 'RV order');
  t.same(commits, rvs(second), 'commit listeners see the same order');
  t.end();
});

t.test('a watch started from inside a sink is caught up without duplicates', (t) => {
  const { server } = newServer();
  const late = new RecordingSink();
  let started = false;
  server.watch(WIDGETS, { namespace: 'default', resourceVersion: String(server.resourceVersion) }, {
    event() {
      if (started) return;
      started = true;
      server.create(WIDGETS, widget('default', 'b'));
      server.watch(WIDGETS, { namespace: 'default', resourceVersion: '0' }, late);
    },
    closed: () => undefined,
  });
  server.create(WIDGETS, widget('default', 'a'));
  server.create(WIDGETS, widget('default', 'c'));
  t.same(late.summary().map(([type, name]) => `${type} ${name}`), ['ADDED a', 'ADDED b', 'ADDED c'], 'each object once');
  t.end();
});

t.test('onCommit: listeners get type, resource, object, old object and RV; unsubscribe stops them', (t) => {
  const { server } = newServer();
  const seen: string[] = [];
  const off = server.onCommit((ev) => seen.push(`${ev.type} ${ev.resource.kind} ${ev.object.metadata.name} ${ev.resourceVersion} ${ev.oldObject?.metadata.resourceVersion ?? '-'}`));
  const a = server.create(WIDGETS, widget('default', 'a'));
  server.update(WIDGETS, { ...edit(a), spec: { n: 1 } });
  off();
  server.delete(WIDGETS, 'a', { namespace: 'default' });
  const rv = Number(a.metadata.resourceVersion);
  t.same(seen, [`ADDED Widget a ${rv} -`, `MODIFIED Widget a ${rv + 1} ${rv}`], 'two commits seen, none after unsubscribing');
  t.end();
});

t.test('bookmarks emitted while a change is being delivered never skip or precede that change', (t) => {
  const { server } = newServer();
  const early = new RecordingSink();
  const late = new RecordingSink();
  let fired = false;
  server.watch(WIDGETS, { namespace: 'default', resourceVersion: String(server.resourceVersion), allowWatchBookmarks: true }, {
    event(ev) {
      early.event(ev);
      if (!fired && ev.type === 'ADDED') {
        fired = true;
        server.create(WIDGETS, widget('default', 'queued'));
        server.emitBookmarks();
      }
    },
    closed: () => undefined,
  });
  server.watch(WIDGETS, { namespace: 'default', resourceVersion: String(server.resourceVersion), allowWatchBookmarks: true }, late);
  server.create(WIDGETS, widget('default', 'first'));
  for (const [label, sink] of [['reacting watcher', early], ['other watcher', late]] as const) {
    const seen = sink.summary().map(([type, name, rv]) => `${type}:${name ?? ''}:${rv}`);
    const rvs = sink.summary().map(([, , rv]) => Number(rv));
    t.ok(rvs.every((rv, i) => i === 0 || rv >= rvs[i - 1]), `${label}: RVs never go backwards (${seen.join(' ')})`);
    t.same(sink.summary().filter(([type]) => type !== 'BOOKMARK').map(([, name]) => name), ['first', 'queued'], `${label}: no change skipped`);
  }
  t.end();
});
