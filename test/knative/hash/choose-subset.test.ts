// Ports of knative/pkg hash/hash_test.go (examples, TestBuildHashes, TestChooseSubset,
// TestCollisionHandling, TestOverlay) against our chooseSubset, plus the FNV-1a vectors it rests on.
import t from 'tap';
import { buildHashes, chooseSubset, UNIVERSE } from '../../../src/knative/hash/choose-subset.js';
import { fnv64a, hash64Hex, hash64ModPow2 } from '../../../src/knative/hash/fnv64a.js';
import { compareGoStrings, sortGoStrings } from '../../../src/knative/hash/go-string-order.js';
import { Prng } from '../../../src/sim/prng.js';

t.test('fnv64a matches the published FNV-1a 64 vectors', async (t) => {
  t.equal(hash64Hex(fnv64a('')), 'cbf29ce484222325');
  t.equal(hash64Hex(fnv64a('a')), 'af63dc4c8601ec8c');
  t.equal(hash64Hex(fnv64a('foobar')), '85944171f73967e8');
});

t.test('hash64Hex drops leading zeros like strconv.FormatUint', async (t) => {
  t.equal(hash64Hex({ hi: 0, lo: 0xab }), 'ab');
  t.equal(hash64Hex({ hi: 1, lo: 0xab }), '1000000ab');
});

t.test('ExampleChooseSubset_selectOne: task3 for my-key1, task2 for something/another-key', async (t) => {
  const tasks = ['task1', 'task2', 'task3'];
  t.same(chooseSubset(tasks, 1, 'my-key1'), ['task3']);
  t.same(chooseSubset(tasks, 1, 'something/another-key'), ['task2']);
});

t.test('ExampleChooseSubset_selectMany: [task3 task4]', async (t) => {
  t.same(chooseSubset(['task1', 'task2', 'task3', 'task4', 'task5'], 2, 'my-key1'), ['task3', 'task4']);
});

t.test('TestChooseSubset table', async (t) => {
  const planets = ['sun', 'moon', 'mars', 'mercury'];
  const rows: { name: string; target: string; n: number; want: string[] }[] = [
    { name: 'return all', target: 'a target!', n: 4, want: ['mars', 'mercury', 'moon', 'sun'] },
    { name: 'subset 1', target: 'a target!', n: 2, want: ['mercury', 'moon'] },
    { name: 'subset 2', target: 'something else entirely', n: 2, want: ['mars', 'mercury'] },
    { name: 'select 3', target: 'something else entirely', n: 3, want: ['mars', 'mercury', 'sun'] },
  ];
  for (const row of rows) t.same(chooseSubset(planets, row.n, row.target), row.want, row.name);
});

t.test('TestBuildHashes: deterministic and the pool is sorted', async (t) => {
  const set = ['a', 'b', 'c', 'e', 'f'];
  const h1 = buildHashes(set, 'a target to remember');
  const h2 = buildHashes(set, 'a target to remember');
  t.same([...h1.nameLookup], [...h2.nameLookup]);
  t.same(h1.hashPool, h2.hashPool);
  t.same(h1.hashPool, [...h1.hashPool].sort((a, b) => a - b));
  t.ok(h1.start >= 0 && h1.start < UNIVERSE && h1.step >= 0 && h1.step < UNIVERSE);
});

t.test('TestCollisionHandling: colliding keys both land in the ring', async (t) => {
  const key1 = 'b08006d4-81f9-42ee-808b-ea18a39cbd83';
  const key2 = 'c9dc8df4-8c8d-4077-8750-6d2c2113a23b';
  const target = 'e68a64e1-19d8-4855-9ffa-04f49223a059';
  t.equal(hash64ModPow2(fnv64a(key1 + target), UNIVERSE), hash64ModPow2(fnv64a(key2 + target), UNIVERSE), 'baseline: they collide');
  const hd = buildHashes([key1, key2], target);
  t.equal(hd.nameLookup.size, 2);
  t.same([...hd.nameLookup.values()].sort(), [key1, key2]);
});

t.test('chained collisions: a member re-hashed twice keeps every earlier hex suffix (vectors from upstream hash.go run under Go)', async (t) => {
  const members = Array.from({ length: 12 }, (_, i) => `10.89.0.${i + 1}`);
  t.same(chooseSubset(members, 1, 'rev-32'), ['10.89.0.9']);
  t.same(chooseSubset(members, 3, 'rev-32'), ['10.89.0.1', '10.89.0.7', '10.89.0.9']);
  t.same(chooseSubset(members, 6, 'rev-32'), ['10.89.0.1', '10.89.0.11', '10.89.0.12', '10.89.0.2', '10.89.0.7', '10.89.0.9']);
  t.same(chooseSubset(members, 11, 'rev-32').length, 11);
  t.notOk(chooseSubset(members, 11, 'rev-32').includes('10.89.0.10'));
  t.equal(buildHashes(members, 'rev-32').nameLookup.size, 12);
});

t.test('TestOverlay: selection frequencies stay within 20% of uniform', async (t) => {
  const prng = new Prng('overlay');
  const id = (): string => Array.from({ length: 4 }, () => prng.int(0x1_0000_0000).toString(16).padStart(8, '0')).join('-');
  const from = Array.from({ length: 50 }, id);
  const samples = 2000;
  const want = (samples * 10) / 50;
  const freqs = new Map<string, number>(from.map((f) => [f, 0]));
  for (let i = 0; i < samples; i++) for (const k of chooseSubset(from, 10, id())) freqs.set(k, freqs.get(k)! + 1);
  for (const [k, v] of freqs) t.ok(Math.abs(v - want) <= want / 5, `${k}: ${v} vs ${want}`);
});

t.test('n = 0 chooses nothing; duplicates count once', async (t) => {
  t.same(chooseSubset(['a', 'b'], 0, 'x'), []);
  t.same(chooseSubset(['b', 'a', 'a'], 5, 'x'), ['a', 'b']);
});

t.test('Go string order is code point order, not UTF-16 order', async (t) => {
  const astral = '\u{1F600}';
  const high = '\uFFFD';
  t.ok(compareGoStrings(high, astral) < 0, 'U+FFFD sorts before U+1F600 in Go');
  t.ok(high > astral, 'JavaScript disagrees');
  t.same(sortGoStrings(['b', 'ab', 'a']), ['a', 'ab', 'b']);
  t.equal(compareGoStrings('x', 'x'), 0);
});
