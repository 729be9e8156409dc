// After k8s.io/kubernetes pkg/controller/controller_utils_test.go TestComputeHash and
// apimachinery pkg/util/rand/rand_test.go (SafeEncodeString), plus FNV-1a reference vectors.
import t from 'tap';
import { canonicalJson, computeHash, fnv1a32, safeEncodeString } from '../../src/kube/pod-template-hash.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

t.test('FNV-1a 32 matches the reference vectors', async (t) => {
  t.equal(fnv1a32(bytes('')), 0x811c9dc5);
  t.equal(fnv1a32(bytes('a')), 0xe40c292c);
  t.equal(fnv1a32(bytes('foobar')), 0xbf9cf968);
});

t.test('SafeEncodeString maps digits onto the consonant-and-digit alphabet', async (t) => {
  t.equal(safeEncodeString('0123456789'), '456789bcdf');
  t.equal(safeEncodeString('abc'), 'vwx', '97, 98, 99 mod 27 = 16, 17, 18');
});

t.test('TestComputeHash: different collision counts give different hashes', async (t) => {
  const template = {};
  t.not(computeHash(template, 1), computeHash(template, 2), 'simple');
  t.not(computeHash(template), computeHash(template, 2147483647), 'no count vs MaxInt32');
  t.not(computeHash(template), computeHash(template, 0), 'no count vs 0 (eight more bytes hashed)');
});

t.test('the hash depends on the template, not on key order, and has the upstream shape', async (t) => {
  const a = { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
  const b = { spec: { containers: [{ image: 'nginx:1', name: 'c' }] }, metadata: { labels: { tier: 'fe', app: 'web' } } };
  t.equal(canonicalJson(a), canonicalJson(b));
  t.equal(computeHash(a), computeHash(b));
  t.not(computeHash(a), computeHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }));
  t.match(computeHash(a), /^[4-9bcdf]{1,10}$/);
  t.equal(computeHash(a), computeHash(structuredClone(a)), 'stable across copies');
});
