// The store's tables: keys handed out by ObjectStore.key are the objectKey strings, and for a stored
// object the very string the table was filled with (so lookups reuse its computed hash).
import t from 'tap';
import { registerBuiltinKinds } from '../../src/apiserver/builtin-kinds.js';
import { ObjectStore, ObjectTable, objectKey } from '../../src/apiserver/object-store.js';
import type { KubeObject } from '../../src/apiserver/types.js';

const registry = registerBuiltinKinds();
const pods = registry.require({ group: '', version: 'v1', resource: 'pods' });
const nodes = registry.require({ group: '', version: 'v1', resource: 'nodes' });
const pod = (namespace: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name } });

t.test('key equals objectKey for stored, absent, deleted and cluster-scoped objects, and is the stored string while stored', (t) => {
  const store = new ObjectStore();
  const stored = ['ns-a', 'p1'].join('/');
  store.table(pods).set(stored, pod('ns-a', 'p1'));
  const key = store.key(pods, 'ns-a', 'p1');
  t.equal(key, objectKey(pods, 'ns-a', 'p1'));
  t.equal(store.table(pods).storedKey('ns-a', 'p1'), stored, 'the stored key is found by namespace and name');
  t.equal(store.key(pods, 'ns-a', 'p2'), 'ns-a/p2', 'an absent object gets a built key');
  t.equal(store.key(pods, 'ns-b', 'p1'), 'ns-b/p1', 'same name in another namespace is another key');
  t.equal(store.key(pods, undefined, 'p1'), objectKey(pods, undefined, 'p1'), 'no namespace: the objectKey of an empty one');
  t.equal(store.key(nodes, undefined, 'node-1'), 'node-1', 'cluster-scoped: the name');
  store.table(pods).delete(stored);
  t.equal(store.table(pods).storedKey('ns-a', 'p1'), undefined, 'a deleted object is no longer interned');
  t.equal(store.key(pods, 'ns-a', 'p1'), 'ns-a/p1', 'and its key is built again');
  t.end();
});

t.test('a table built from entries (a historical snapshot) finds its keys by namespace and name', (t) => {
  const table = new ObjectTable(new Map([['ns-a/p1', pod('ns-a', 'p1')], ['node-1', pod('', 'node-1')]]));
  t.equal(table.storedKey('ns-a', 'p1'), 'ns-a/p1');
  t.equal(table.storedKey('', 'node-1'), undefined, 'keys without a namespace are not interned');
  t.same([...table.keysFrom('ns-a/', 'ns-a/')], ['ns-a/p1']);
  t.end();
});
