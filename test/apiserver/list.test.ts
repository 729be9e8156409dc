// LIST semantics, ported from k8s.io/apiserver pkg/storage/testing/store_tests.go: RunTestList
// (the resourceVersion / match / limit / continue table over seedMultiLevelData),
// RunTestListContinuation, RunTestListContinuationWithFilter, RunTestListInconsistentContinuation,
// RunTestListResourceVersionMatch, RunTestNamespaceScopedList and RunTestListPaging; plus the
// ListOptions validation of apimachinery pkg/apis/meta/internalversion/validation.
import t from 'tap';
import type { ApiServer, ListOptions } from '../../src/apiserver/api-server.js';
import { isAlreadyExists } from '../../src/apiserver/api-error.js';
import { encodeContinue } from '../../src/apiserver/continue-token.js';
import type { KubeList, KubeObject, Status } from '../../src/apiserver/types.js';
import { CONFIGMAPS, PODS, WIDGETS, edit, namespace, newServer, statusOf, widget } from './fixtures.js';

function ensureNamespace(server: ApiServer, name: string): void {
  try {
    namespace(server, name);
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
}

const names = (list: KubeList): string[] => list.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
const keyOf = (o: KubeObject): string => `${o.metadata.namespace}/${o.metadata.name}`;

interface Seed {
  server: ApiServer;
  initialRV: string;
  created: KubeObject[];
  updated: KubeObject;
  continueRV: number;
  currentRV: number;
}

/** store_tests.go seedMultiLevelData, then compaction at the first create and one unrelated write. */
function seedMultiLevelData(): Seed {
  const { server } = newServer();
  for (const ns of ['first', 'second', 'third', 'empty']) namespace(server, ns);
  const initialRV = server.list(WIDGETS).metadata.resourceVersion;
  const preset = [['first', 'bar'], ['second', 'bar'], ['second', 'foo'], ['third', 'barfoo'], ['third', 'foo'], ['second', 'baz']];
  const created = preset.map(([ns, name]) => server.create(WIDGETS, widget(ns, name)));
  const updated = server.update(WIDGETS, { ...edit(created[0]), spec: { nodeName: 'fakeNode' } });
  server.delete(WIDGETS, 'baz', { namespace: 'second' });
  const continueRV = Number(server.list(WIDGETS).metadata.resourceVersion);
  server.compact(server.resourceVersion - Number(created[0].metadata.resourceVersion));
  server.create(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bump', namespace: 'default' } });
  return { server, initialRV, created, updated, continueRV, currentRV: continueRV + 1 };
}

interface ListCase {
  name: string;
  opts: ListOptions;
  out?: KubeObject[];
  error?: Partial<Status>;
  rv?: string;
  rvAtLeast?: number;
  cont?: boolean;
  contExact?: string;
  remaining?: number;
}

function listTable(s: Seed): ListCase[] {
  const { created: c, updated: u, continueRV, currentRV, initialRV } = s;
  const rv = (o: KubeObject): string => o.metadata.resourceVersion as string;
  const tok = (start: string, at: number): string => encodeContinue({ rv: at, start });
  const byName = (value: string): string => `metadata.name=${value}`;
  const secondContinuation = tok('foo', continueRV);
  const tooLarge = { code: 504, reason: 'Timeout', details: { causes: [{ type: 'ResourceVersionTooLarge' }] } };
  const tooOld = { code: 410, reason: 'Expired', message: 'The resourceVersion for the provided list is too old.' };
  const listCurrent = String(continueRV);
  return [
    { name: 'rejects invalid resource version', opts: { resourceVersion: 'abc' }, error: { code: 400, reason: 'BadRequest' } },
    { name: 'rejects resource version and continue token', opts: { namespace: 'second', limit: 1, continue: secondContinuation, resourceVersion: '1' }, error: { code: 400, message: 'specifying resource version is not allowed when using continue' } },
    { name: 'rejects resource version set too high', opts: { resourceVersion: '9223372036854775807' }, error: tooLarge },
    { name: 'test List on existing key', opts: { namespace: 'first' }, out: [u] },
    { name: 'test List on existing key with resource version set to 0', opts: { namespace: 'first', resourceVersion: '0' }, out: [u] },
    { name: 'test List on existing key with resource version set before update, match=Exact', opts: { namespace: 'first', resourceVersion: rv(c[0]), resourceVersionMatch: 'Exact' }, out: [c[0]], rv: rv(c[0]) },
    { name: 'test List on existing key with resource version set before creation, match=Exact', opts: { namespace: 'second', resourceVersion: rv(c[0]), resourceVersionMatch: 'Exact' }, out: [], rv: rv(c[0]) },
    { name: 'test List on existing key with resource version set after creation, match=Exact', opts: { namespace: 'second', resourceVersion: rv(c[1]), resourceVersionMatch: 'Exact' }, out: [c[1]], rv: rv(c[1]) },
    { name: 'test List on existing key with resource version set before first write, match=Exact', opts: { namespace: 'first', resourceVersion: initialRV, resourceVersionMatch: 'Exact' }, error: tooOld },
    { name: 'test List on existing key with resource version set to 0, match=NotOlderThan', opts: { namespace: 'first', resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' }, out: [u] },
    { name: 'test List on existing key with resource version set to 0, match=Invalid', opts: { namespace: 'first', resourceVersion: '0', resourceVersionMatch: 'Invalid' as 'Exact' }, error: { code: 422 } },
    { name: 'test List on existing key with resource version set before first write, match=NotOlderThan', opts: { namespace: 'first', resourceVersion: initialRV, resourceVersionMatch: 'NotOlderThan' }, out: [u] },
    { name: 'test List on existing key with resource version set before first write, match=Invalid', opts: { namespace: 'first', resourceVersion: initialRV, resourceVersionMatch: 'Invalid' as 'Exact' }, error: { code: 422 } },
    { name: 'test List on existing key with resource version set to current resource version', opts: { namespace: 'first', resourceVersion: listCurrent }, out: [u] },
    { name: 'test List on existing key with resource version set to current resource version, match=Exact', opts: { namespace: 'first', resourceVersion: listCurrent, resourceVersionMatch: 'Exact' }, out: [u], rv: listCurrent },
    { name: 'test List on existing key with resource version set to current resource version, match=NotOlderThan', opts: { namespace: 'first', resourceVersion: listCurrent, resourceVersionMatch: 'NotOlderThan' }, out: [u] },
    { name: 'test List on non-existing key', opts: { namespace: 'non-existing' }, out: [] },
    { name: 'test List with pod name matching', opts: { namespace: 'first', fieldSelector: 'metadata.name!=bar' }, out: [] },
    { name: 'test List with pod name matching with resource version set to current resource version, match=NotOlderThan', opts: { namespace: 'first', fieldSelector: 'metadata.name!=bar', resourceVersion: listCurrent, resourceVersionMatch: 'NotOlderThan' }, out: [] },
    { name: 'test List with limit', opts: { namespace: 'second', limit: 1 }, out: [c[1]], rv: String(currentRV), cont: true, contExact: tok('bar\u0000', currentRV), remaining: 1 },
    { name: 'test List with limit at current resource version', opts: { namespace: 'second', limit: 1, resourceVersion: listCurrent }, out: [c[1]], rv: listCurrent, cont: true, contExact: tok('bar\u0000', continueRV), remaining: 1 },
    { name: 'test List with limit at current resource version and match=Exact', opts: { namespace: 'second', limit: 1, resourceVersion: listCurrent, resourceVersionMatch: 'Exact' }, out: [c[1]], rv: listCurrent, cont: true, contExact: tok('bar\u0000', continueRV), remaining: 1 },
    { name: 'test List with limit at current resource version and match=NotOlderThan', opts: { namespace: 'second', limit: 1, resourceVersion: listCurrent, resourceVersionMatch: 'NotOlderThan' }, out: [c[1]], rvAtLeast: continueRV, cont: true, remaining: 1 },
    { name: 'test List with limit at resource version 0', opts: { namespace: 'second', limit: 1, resourceVersion: '0' }, out: [c[1]], rvAtLeast: continueRV, cont: true, remaining: 1 },
    { name: 'test List with limit at resource version 0 match=NotOlderThan', opts: { namespace: 'second', limit: 1, resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' }, out: [c[1]], rvAtLeast: continueRV, cont: true, remaining: 1 },
    { name: 'test List with limit at resource version before created and match=Exact', opts: { namespace: 'second', limit: 1, resourceVersion: rv(c[0]), resourceVersionMatch: 'Exact' }, out: [], rv: rv(c[0]) },
    { name: 'test List with limit at resource version after created and match=Exact', opts: { namespace: 'second', limit: 1, resourceVersion: rv(c[1]), resourceVersionMatch: 'Exact' }, out: [c[1]], rv: rv(c[1]) },
    { name: 'test List with pregenerated continue token', opts: { namespace: 'second', continue: secondContinuation }, out: [c[2]] },
    { name: 'ignores resource version 0 for List with pregenerated continue token', opts: { namespace: 'second', continue: secondContinuation, resourceVersion: '0' }, out: [c[2]] },
    { name: 'test List with multiple levels of directories and expect flattened result', opts: { namespace: 'second' }, out: [c[1], c[2]] },
    { name: 'test List with multiple levels of directories and expect flattened result with current resource version and match=NotOlderThan', opts: { namespace: 'second', resourceVersion: listCurrent, resourceVersionMatch: 'NotOlderThan' }, out: [c[1], c[2]] },
    { name: 'test List with filter returning only one item, ensure only a single page returned', opts: { fieldSelector: byName('barfoo'), limit: 1 }, out: [c[3]], cont: true },
    { name: 'test List with filter returning only one item, ensure only a single page returned with current resource version and match=NotOlderThan', opts: { fieldSelector: byName('barfoo'), limit: 1, resourceVersion: listCurrent, resourceVersionMatch: 'NotOlderThan' }, out: [c[3]], rvAtLeast: continueRV, cont: true },
    { name: 'test List with filter returning only one item, covers the entire list', opts: { fieldSelector: byName('barfoo'), limit: 2 }, out: [c[3]] },
    { name: 'test List with filter returning only one item, covers the entire list with current resource version and match=NotOlderThan', opts: { fieldSelector: byName('barfoo'), limit: 2, resourceVersion: listCurrent, resourceVersionMatch: 'NotOlderThan' }, out: [c[3]], rvAtLeast: continueRV },
    { name: 'test List with filter returning only one item, covers the entire list, with resource version 0', opts: { fieldSelector: byName('barfoo'), limit: 2, resourceVersion: '0' }, out: [c[3]] },
    { name: 'test List with filter returning two items, more pages possible', opts: { fieldSelector: byName('bar'), limit: 2 }, out: [u, c[1]], cont: true },
    { name: 'test List with filter returning two items, more pages possible with current resource version and match=NotOlderThan', opts: { fieldSelector: byName('bar'), limit: 2, resourceVersion: listCurrent, resourceVersionMatch: 'NotOlderThan' }, out: [u, c[1]], cont: true },
    { name: 'filter returns two items split across multiple pages', opts: { fieldSelector: byName('foo'), limit: 2 }, out: [c[2], c[4]] },
    { name: 'filter returns two items split across multiple pages with current resource version and match=NotOlderThan', opts: { fieldSelector: byName('foo'), limit: 2, resourceVersion: listCurrent, resourceVersionMatch: 'NotOlderThan' }, out: [c[2], c[4]] },
    { name: 'filter returns one item for last page, ends on last item, not full', opts: { fieldSelector: byName('foo'), limit: 2, continue: tok('third/barfoo', continueRV) }, out: [c[4]] },
    { name: 'filter returns one item for last page, starts on last item, full', opts: { fieldSelector: byName('foo'), continue: tok('third/barfoo', continueRV) }, out: [c[4]] },
    { name: 'filter returns two items, page size equal to total list size', opts: { fieldSelector: byName('foo'), limit: 5 }, out: [c[2], c[4]] },
    { name: 'filter returns one item, page size equal to total list size', opts: { fieldSelector: byName('barfoo'), limit: 5 }, out: [c[3]] },
    { name: 'list all items', opts: {}, out: [u, c[1], c[2], c[3], c[4]] },
    { name: 'list all items with current resource version and match=NotOlderThan', opts: { resourceVersion: listCurrent, resourceVersionMatch: 'NotOlderThan' }, out: [u, c[1], c[2], c[3], c[4]] },
    { name: 'verify list returns updated version of object; filter returns one item, page size equal to total list size with current resource version and match=NotOlderThan', opts: { fieldSelector: 'spec.nodeName=fakeNode', limit: 5, resourceVersion: listCurrent, resourceVersionMatch: 'NotOlderThan' }, out: [u] },
    { name: 'verify list does not return deleted object; filter for deleted object, page size equal to total list size with current resource version and match=NotOlderThan', opts: { fieldSelector: byName('baz'), limit: 5, resourceVersion: listCurrent, resourceVersionMatch: 'NotOlderThan' }, out: [] },
    { name: 'test consistent List', opts: { namespace: 'empty' }, out: [], rv: String(currentRV) },
    { name: 'test non-consistent List', opts: { namespace: 'empty', resourceVersion: '0' }, out: [], rvAtLeast: Number(initialRV) },
    { name: 'test List with resource version set before first write, match=Exact', opts: { resourceVersion: initialRV, resourceVersionMatch: 'Exact' }, error: tooOld },
    { name: 'test List with resource version of first write, match=Exact', opts: { resourceVersion: rv(c[0]), resourceVersionMatch: 'Exact' }, out: [c[0]], rv: rv(c[0]) },
    { name: 'test List with resource version of second write, match=Exact', opts: { resourceVersion: rv(c[1]), resourceVersionMatch: 'Exact' }, out: [c[0], c[1]], rv: rv(c[1]) },
    { name: 'test List with resource version of third write, match=Exact', opts: { resourceVersion: rv(c[2]), resourceVersionMatch: 'Exact' }, out: [c[0], c[1], c[2]], rv: rv(c[2]) },
    { name: 'test List with resource version of fourth write, match=Exact', opts: { resourceVersion: rv(c[3]), resourceVersionMatch: 'Exact' }, out: [c[0], c[1], c[2], c[3]], rv: rv(c[3]) },
    { name: 'test List with resource version of fifth write, match=Exact', opts: { resourceVersion: rv(c[4]), resourceVersionMatch: 'Exact' }, out: [c[0], c[1], c[2], c[3], c[4]], rv: rv(c[4]) },
    { name: 'test List with resource version of six write, match=Exact', opts: { resourceVersion: rv(c[5]), resourceVersionMatch: 'Exact' }, out: [c[0], c[1], c[5], c[2], c[3], c[4]], rv: rv(c[5]) },
    { name: 'test List with resource version of seventh write, match=Exact', opts: { resourceVersion: rv(u), resourceVersionMatch: 'Exact' }, out: [u, c[1], c[5], c[2], c[3], c[4]], rv: rv(u) },
    { name: 'test List with resource version of eight write, match=Exact', opts: { resourceVersion: listCurrent, resourceVersionMatch: 'Exact' }, out: [u, c[1], c[2], c[3], c[4]], rv: listCurrent },
    { name: 'test List with resource version after writes, match=Exact', opts: { resourceVersion: String(currentRV), resourceVersionMatch: 'Exact' }, out: [u, c[1], c[2], c[3], c[4]], rv: String(currentRV) },
    { name: 'test List with future resource version, match=Exact', opts: { resourceVersion: String(continueRV + 2), resourceVersionMatch: 'Exact' }, error: tooLarge },
    { name: 'test List with limit, resource version of second write, match=Exact', opts: { limit: 1, resourceVersion: rv(c[1]), resourceVersionMatch: 'Exact' }, out: [c[0]], rv: rv(c[1]), cont: true, contExact: tok('first/bar\u0000', Number(rv(c[1]))), remaining: 1 },
    { name: 'test List with limit, resource version of third write, match=Exact', opts: { limit: 2, resourceVersion: rv(c[2]), resourceVersionMatch: 'Exact' }, out: [c[0], c[1]], rv: rv(c[2]), cont: true, contExact: tok('second/bar\u0000', Number(rv(c[2]))), remaining: 1 },
    { name: 'test List with limit, resource version of fourth write, match=Exact', opts: { limit: 4, resourceVersion: rv(c[3]), resourceVersionMatch: 'Exact' }, out: [c[0], c[1], c[2], c[3]], rv: rv(c[3]) },
    { name: 'test List with limit, resource version of fifth write, match=Exact', opts: { limit: 1, resourceVersion: rv(c[4]), resourceVersionMatch: 'Exact' }, out: [c[0]], rv: rv(c[4]), cont: true, contExact: tok('first/bar\u0000', Number(rv(c[4]))), remaining: 4 },
    { name: 'test List with limit, resource version of six write, match=Exact', opts: { limit: 2, resourceVersion: rv(c[5]), resourceVersionMatch: 'Exact' }, out: [c[0], c[1]], rv: rv(c[5]), cont: true, contExact: tok('second/bar\u0000', Number(rv(c[5]))), remaining: 4 },
    { name: 'test List with limit, resource version of seventh write, match=Exact', opts: { limit: 4, resourceVersion: rv(u), resourceVersionMatch: 'Exact' }, out: [u, c[1], c[5], c[2]], rv: rv(u), cont: true, contExact: tok('second/foo\u0000', Number(rv(u))), remaining: 2 },
    { name: 'test List with limit, resource version of eight write, match=Exact', opts: { limit: 8, resourceVersion: listCurrent, resourceVersionMatch: 'Exact' }, out: [u, c[1], c[2], c[3], c[4]], rv: listCurrent },
    { name: 'test List with limit, resource version after writes, match=Exact', opts: { limit: 1, resourceVersion: String(currentRV), resourceVersionMatch: 'Exact' }, out: [u], rv: String(currentRV), cont: true, contExact: tok('first/bar\u0000', currentRV), remaining: 4 },
    { name: 'test List with continue, resource version before first write', opts: { continue: tok('first/bar\u0000', Number(initialRV)) }, error: { code: 410, reason: 'Expired', message: /^The provided continue parameter is too old to display a consistent list result/ as unknown as string } },
    { name: 'test List with continue, resource version of first write', opts: { continue: tok('first/bar\u0000', Number(rv(c[0]))) }, out: [], rv: rv(c[0]) },
    { name: 'test List with continue, resource version of second write', opts: { continue: tok('first/bar\u0000', Number(rv(c[1]))) }, out: [c[1]], rv: rv(c[1]) },
    { name: 'test List with continue, resource version of third write', opts: { limit: 2, continue: tok('second/bar\u0000', Number(rv(c[2]))) }, out: [c[2]], rv: rv(c[2]) },
    { name: 'test List with continue, resource version of fifth write', opts: { continue: tok('first/bar\u0000', Number(rv(c[4]))), limit: 1 }, out: [c[1]], rv: rv(c[4]), cont: true, contExact: tok('second/bar\u0000', Number(rv(c[4]))), remaining: 3 },
    { name: 'test List with continue, resource version of six write', opts: { limit: 2, continue: tok('second/bar\u0000', Number(rv(c[5]))) }, out: [c[5], c[2]], rv: rv(c[5]), cont: true, contExact: tok('second/foo\u0000', Number(rv(c[5]))), remaining: 2 },
    { name: 'test List with continue, resource version of seventh write', opts: { limit: 4, continue: tok('second/foo\u0000', Number(rv(u))) }, out: [c[3], c[4]], rv: rv(u) },
    { name: 'test List with continue, resource version after writes', opts: { limit: 1, continue: tok('first/bar\u0000', currentRV) }, out: [c[1]], rv: String(currentRV), cont: true, contExact: tok('second/bar\u0000', currentRV), remaining: 3 },
    { name: 'test List with continue from second pod, negative resource version gives consistent read', opts: { continue: tok('first/bar\u0000', -1) }, out: [c[1], c[2], c[3], c[4]], rv: String(currentRV) },
    { name: 'test List with continue from second pod and limit, negative resource version gives consistent read', opts: { limit: 2, continue: tok('first/bar\u0000', -1) }, out: [c[1], c[2]], rv: String(currentRV), cont: true, contExact: tok('second/foo\u0000', currentRV), remaining: 2 },
    { name: 'test List with continue from third pod, negative resource version gives consistent read', opts: { continue: tok('second/foo\u0000', -1) }, out: [c[3], c[4]], rv: String(currentRV) },
    { name: 'test List with continue from empty fails', opts: { continue: tok('', continueRV) }, error: { code: 400 } },
    { name: 'test List with continue from first pod, empty resource version fails', opts: { continue: tok('first/bar\u0000', 0) }, error: { code: 400 } },
    { name: 'test List with negative rv fails', opts: { resourceVersion: '-1' }, error: { code: 400 } },
  ];
}

t.test('RunTestList: resourceVersion, match, limit and continue over seedMultiLevelData', (t) => {
  const seed = seedMultiLevelData();
  for (const c of listTable(seed)) {
    if (c.error) {
      t.match(statusOf(() => seed.server.list(WIDGETS, c.opts)), c.error, c.name);
      continue;
    }
    const list = seed.server.list(WIDGETS, c.opts);
    t.same(names(list), (c.out ?? []).map(keyOf), `${c.name}: items`);
    t.same(list.items, c.out, `${c.name}: exact objects`);
    t.equal(list.metadata.continue !== undefined, c.cont === true, `${c.name}: continue token presence`);
    if (c.contExact !== undefined) t.equal(list.metadata.continue, c.contExact, `${c.name}: continue token`);
    if (c.rv !== undefined) t.equal(list.metadata.resourceVersion, c.rv, `${c.name}: list RV`);
    if (c.rvAtLeast !== undefined) t.ok(Number(list.metadata.resourceVersion) >= c.rvAtLeast, `${c.name}: list RV not older`);
    t.equal(list.metadata.remainingItemCount, c.remaining, `${c.name}: remainingItemCount`);
  }
  t.end();
});

t.test('RunTestListContinuation: every page is served at the first page’s resourceVersion', (t) => {
  const { server } = newServer();
  for (const ns of ['first', 'second']) namespace(server, ns);
  const preset = [['first', 'bar'], ['second', 'bar'], ['second', 'foo']].map(([ns, name]) => server.create(WIDGETS, widget(ns, name)));
  const currentRV = preset[2].metadata.resourceVersion;
  const first = server.list(WIDGETS, { limit: 1 });
  t.same(first.items, [preset[0]], 'first page');
  t.equal(first.metadata.resourceVersion, currentRV, 'first page RV');
  t.ok(first.metadata.continue, 'continue token set');
  const rest = server.list(WIDGETS, { continue: first.metadata.continue });
  t.same(rest.items, [preset[1], preset[2]], 'no limit: the rest');
  t.equal(rest.metadata.continue, undefined, 'no further token');
  t.equal(rest.metadata.resourceVersion, currentRV, 'same RV');
  const second = server.list(WIDGETS, { limit: 1, continue: first.metadata.continue });
  t.same(second.items, [preset[1]], 'second page');
  const third = server.list(WIDGETS, { limit: 1, continue: second.metadata.continue });
  t.same(third.items, [preset[2]], 'third page');
  t.equal(third.metadata.continue, undefined, 'last page has no token');
  t.equal(third.metadata.resourceVersion, currentRV, 'third page RV');
  t.end();
});

t.test('RunTestListContinuationWithFilter: limit counts matching items; pages skip non-matching ones', (t) => {
  const { server } = newServer();
  for (const ns of ['1', '2', '3', '4']) namespace(server, `n${ns}`);
  const preset = [['n1', 'foo'], ['n2', 'bar'], ['n3', 'foo'], ['n4', 'foo']].map(([ns, name]) => server.create(WIDGETS, widget(ns, name)));
  const first = server.list(WIDGETS, { limit: 2, fieldSelector: 'metadata.name!=bar' });
  t.same(first.items, [preset[0], preset[2]], 'first page skips bar');
  t.ok(first.metadata.continue, 'continue set');
  t.equal(first.metadata.remainingItemCount, undefined, 'no remainingItemCount with a selector');
  const second = server.list(WIDGETS, { limit: 2, fieldSelector: 'metadata.name!=bar', continue: first.metadata.continue });
  t.same(second.items, [preset[3]], 'second page');
  t.equal(second.metadata.continue, undefined, 'done');
  t.equal(second.metadata.resourceVersion, preset[3].metadata.resourceVersion, 'RV of the first page');
  t.end();
});

t.test('RunTestListInconsistentContinuation: a compacted continue token is 410 with a token to continue at the latest RV', (t) => {
  const { server } = newServer();
  for (const ns of ['first', 'second']) namespace(server, ns);
  const preset = [['first', 'bar'], ['second', 'bar'], ['second', 'foo']].map(([ns, name]) => server.create(WIDGETS, widget(ns, name)));
  const first = server.list(WIDGETS, { limit: 1, resourceVersion: '0' });
  t.same(first.items, [preset[0]], 'first page');
  const updated = server.update(WIDGETS, { ...edit(preset[2]), metadata: { ...edit(preset[2].metadata), labels: { state: 'new' } } });
  server.compact(0);
  const expired = statusOf(() => server.list(WIDGETS, { continue: first.metadata.continue, resourceVersion: '0' }));
  t.match(expired, { code: 410, reason: 'Expired', message: /^The provided continue parameter is too old / }, '410 Expired');
  const inconsistent = expired?.metadata.continue;
  t.ok(inconsistent, 'status carries a fresh continue token');
  const second = server.list(WIDGETS, { limit: 1, continue: inconsistent, resourceVersion: '0' });
  t.same(second.items, [preset[1]], 'second page from the fresh token');
  t.ok(Number(second.metadata.resourceVersion) >= Number(updated.metadata.resourceVersion), 'served at the latest RV');
  const third = server.list(WIDGETS, { limit: 1, continue: second.metadata.continue, resourceVersion: '0' });
  t.same(third.items, [updated], 'third page sees the update');
  t.equal(third.metadata.continue, undefined, 'done');
  t.equal(third.metadata.resourceVersion, second.metadata.resourceVersion, 'same RV as the second page');
  t.end();
});

t.test('RunTestListResourceVersionMatch: Exact at a returned RV reproduces the list', (t) => {
  const { server } = newServer();
  for (let i = 0; i < 5; i++) server.create(WIDGETS, widget('default', `pod-${i}`, {}, { labels: { even: String(i % 2 === 0) } }));
  const opts: ListOptions = { labelSelector: 'even=true', limit: 4 };
  const result1 = server.list(WIDGETS, opts);
  server.create(WIDGETS, widget('default', 'pod-6', {}, { labels: { even: 'true' } }));
  const result2 = server.list(WIDGETS, { ...opts, resourceVersion: result1.metadata.resourceVersion, resourceVersionMatch: 'Exact' });
  t.same(result2, result1, 'Exact list equals the original');
  const result3 = server.list(WIDGETS, { ...opts, resourceVersion: result1.metadata.resourceVersion, resourceVersionMatch: 'NotOlderThan' });
  t.equal(result3.items.length, 4, 'NotOlderThan serves the newer state');
  const result4 = server.list(WIDGETS, { ...opts, resourceVersion: result3.metadata.resourceVersion, resourceVersionMatch: 'Exact' });
  t.same(result4, result3, 'Exact at the NotOlderThan RV reproduces it');
  t.end();
});

interface NsCase {
  name: string;
  requestedNamespace?: string;
  fieldSelector?: (p: string) => string;
  input: [string, string, string?][];
  expect: [string, string][];
}

const nsCases: NsCase[] = [
  { name: 'request without namespace, without field selector', input: [['foo1', 'ns1'], ['foo2', 'ns2']], expect: [['foo1', 'ns1'], ['foo2', 'ns2']] },
  { name: 'request without namespace, field selector with metadata.namespace', fieldSelector: (p) => `metadata.namespace=${p}ns1`, input: [['foo1', 'ns1'], ['foo1', 'ns2']], expect: [['foo1', 'ns1']] },
  { name: 'request without namespace, field selector with spec.nodename', fieldSelector: () => 'spec.nodeName=bar1', input: [['foo1', 'ns1', 'bar1'], ['foo2', 'ns2', 'bar2']], expect: [['foo1', 'ns1']] },
  { name: 'request without namespace, field selector with spec.nodename to filter out', fieldSelector: () => 'spec.nodeName!=bar1', input: [['foo1', 'ns1', 'bar1'], ['foo2', 'ns2', 'bar2']], expect: [['foo2', 'ns2']] },
  { name: 'request with namespace, without field selector', requestedNamespace: 'ns1', input: [['foo1', 'ns1'], ['foo1', 'ns2'], ['foo2', 'ns1']], expect: [['foo1', 'ns1'], ['foo2', 'ns1']] },
  { name: 'request with namespace, field selector with matched metadata.namespace', requestedNamespace: 'ns1', fieldSelector: (p) => `metadata.namespace=${p}ns1`, input: [['foo1', 'ns1'], ['foo1', 'ns2']], expect: [['foo1', 'ns1']] },
  { name: 'request with namespace, field selector with non-matched metadata.namespace', requestedNamespace: 'ns1', fieldSelector: (p) => `metadata.namespace=${p}ns2`, input: [['foo1', 'ns1'], ['foo1', 'ns2'], ['foo2', 'ns1'], ['foo2', 'ns2']], expect: [] },
  { name: 'request with namespace, field selector with spec.nodename', requestedNamespace: 'ns1', fieldSelector: () => 'spec.nodeName=bar2', input: [['foo1', 'ns1', 'bar1'], ['foo1', 'ns2', 'bar2'], ['foo2', 'ns1', 'bar2']], expect: [['foo2', 'ns1']] },
  { name: 'request with namespace, field selector with spec.nodename to filter out', requestedNamespace: 'ns2', fieldSelector: () => 'spec.nodeName!=bar1', input: [['foo1', 'ns1'], ['foo1', 'ns2'], ['foo3', 'ns2', 'bar1'], ['foo2', 'ns2', 'bar2']], expect: [['foo1', 'ns2'], ['foo2', 'ns2']] },
  { name: 'request without namespace, field selector with metadata.name', fieldSelector: () => 'metadata.name=foo1', input: [['foo1', 'ns1'], ['foo1', 'ns2'], ['foo2', 'ns1']], expect: [['foo1', 'ns1'], ['foo1', 'ns2']] },
  { name: 'request without namespace, field selector with metadata.name and metadata.namespace', fieldSelector: (p) => `metadata.name=foo1,metadata.namespace=${p}ns1`, input: [['foo1', 'ns1'], ['foo2', 'ns1'], ['foo1', 'ns2']], expect: [['foo1', 'ns1']] },
  { name: 'request without namespace, field selector with metadata.name, and with spec.nodeName to filter out watch', fieldSelector: () => 'spec.nodeName!=bar1,metadata.name=foo1', input: [['foo1', 'ns1'], ['foo2', 'ns1'], ['foo1', 'ns2', 'bar1'], ['foo2', 'ns2', 'bar1'], ['foo1', 'ns3', 'bar2'], ['foo2', 'ns3', 'bar2']], expect: [['foo1', 'ns1'], ['foo1', 'ns3']] },
  { name: 'request with namespace, with field selector metadata.name, metadata.namespace and spec.nodename', requestedNamespace: 'ns2', fieldSelector: (p) => `metadata.name=foo2,metadata.namespace=${p}ns2,spec.nodeName=bar1`, input: [['foo1', 'ns1'], ['foo2', 'ns1'], ['foo1', 'ns2'], ['foo2', 'ns2', 'bar1'], ['foo1', 'ns3', 'bar1'], ['foo2', 'ns3', 'bar1']], expect: [['foo2', 'ns2']] },
];

t.test('RunTestNamespaceScopedList: namespace scoping combined with metadata and spec.nodeName field selectors', (t) => {
  const { server } = newServer();
  nsCases.forEach((c, i) => {
    const p = `t${i}-`;
    const mine = new Set<string>();
    for (const [name, ns, node] of c.input) {
      ensureNamespace(server, p + ns);
      server.create(WIDGETS, widget(p + ns, name, node ? { nodeName: node } : {}));
      mine.add(`${p}${ns}/${name}`);
    }
    const list = server.list(WIDGETS, { namespace: c.requestedNamespace ? p + c.requestedNamespace : undefined, fieldSelector: c.fieldSelector?.(p) });
    t.same(names(list).filter((k) => mine.has(k)), c.expect.map(([name, ns]) => `${p}${ns}/${name}`), c.name);
  });
  t.end();
});

t.test('RunTestListPaging: a create between pages does not show up in later pages', (t) => {
  const { server } = newServer();
  namespace(server, 'paging');
  for (let i = 0; i < 4; i++) server.create(WIDGETS, widget('paging', `test-${i}`));
  const seen: string[] = [];
  let cont: string | undefined;
  let calls = 0;
  do {
    calls++;
    const page = server.list(WIDGETS, { limit: 1, continue: cont });
    seen.push(...page.items.map((o) => o.metadata.name as string));
    cont = page.metadata.continue;
    if (calls === 2) server.create(WIDGETS, widget('paging', 'test-5'));
  } while (cont);
  t.equal(calls, 4, 'four pages');
  t.same(seen, ['test-0', 'test-1', 'test-2', 'test-3'], 'consistent snapshot');
  t.end();
});

t.test('ListOptions validation (internalversion/validation) answers 422 ListOptions.meta.k8s.io', (t) => {
  const { server } = newServer();
  const cases: { name: string; opts: ListOptions; message: string }[] = [
    { name: 'match without resourceVersion', opts: { resourceVersionMatch: 'Exact' }, message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided' },
    { name: 'Exact with resourceVersion 0', opts: { resourceVersion: '0', resourceVersionMatch: 'Exact' }, message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"' },
    { name: 'unknown match', opts: { resourceVersion: '1', resourceVersionMatch: 'Sometimes' as 'Exact' }, message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Sometimes": supported values: "Exact", "NotOlderThan", ""' },
  ];
  for (const c of cases) t.match(statusOf(() => server.list(WIDGETS, c.opts)), { code: 422, reason: 'Invalid', message: c.message }, c.name);
  t.end();
});

t.test('selectors: unsupported field labels are 400; labels and pod fields select', (t) => {
  const { server } = newServer();
  server.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'default', labels: { app: 'x' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } });
  server.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'default', labels: { app: 'y' } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
  t.match(statusOf(() => server.list(WIDGETS, { fieldSelector: 'spec.color=red' })), { code: 400, reason: 'BadRequest', message: 'field label not supported: spec.color' }, 'unsupported field label');
  t.match(statusOf(() => server.list(PODS, { labelSelector: 'app in (x' })), { code: 400, reason: 'BadRequest' }, 'unparsable label selector');
  t.same(names(server.list(PODS, { labelSelector: 'app in (x,z)' })), ['default/a'], 'set-based label selector');
  t.same(names(server.list(PODS, { labelSelector: '!app' })), [], 'does-not-exist selector');
  t.same(names(server.list(PODS, { fieldSelector: 'spec.nodeName=' })), ['default/b'], 'missing field reads as empty');
  t.same(names(server.list(PODS, { fieldSelector: 'status.phase=Pending,spec.nodeName=n1' })), ['default/a'], 'pod status.phase and spec.nodeName');
  t.end();
});
