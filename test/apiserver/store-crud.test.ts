// Create, get, update and delete semantics, ported from k8s.io/apiserver
// pkg/storage/testing/store_tests.go (RunTestCreate, RunTestCreateWithKeyExist, RunTestGet,
// RunTestUnconditionalDelete, RunTestConditionalDelete, RunTestGuaranteedUpdateWithConflict) and
// pkg/registry/generic/registry/store_test.go (TestStoreCreateWithRetryNameGenerate,
// TestNoOpUpdates), run against the whole ApiServer.
import t from 'tap';
import { ApiServer } from '../../src/apiserver/api-server.js';
import { GENERATED_NAME_ALPHABET } from '../../src/apiserver/identity-source.js';
import type { KubeObject, Status } from '../../src/apiserver/types.js';
import { Prng } from '../../src/sim/prng.js';
import { KSERVICES, WIDGETS, edit, kservice, namespace, newServer, statusOf, testRegistry, widget } from './fixtures.js';

t.test('RunTestCreate: create stores the object with a resourceVersion; a body with a resourceVersion is refused', (t) => {
  const { server } = newServer();
  namespace(server, 'test-ns');
  const cases: { name: string; input: KubeObject; expect?: Partial<Status> }[] = [
    { name: 'successful create', input: widget('test-ns', 'foo') },
    {
      name: 'create with ResourceVersion set', input: widget('test-ns', 'bar', {}, { resourceVersion: '1' }),
      expect: { code: 500, reason: 'Unknown', message: 'resourceVersion should not be set on objects to be created' },
    },
  ];
  for (const c of cases) {
    t.match(statusOf(() => server.get(WIDGETS, c.input.metadata.name as string, { namespace: 'test-ns' })), { code: 404 }, `${c.name}: absent before`);
    if (c.expect) {
      t.match(statusOf(() => server.create(WIDGETS, c.input)), c.expect, `${c.name}: refused`);
      continue;
    }
    const out = server.create(WIDGETS, c.input);
    t.equal(out.metadata.name, c.input.metadata.name, `${c.name}: name kept`);
    t.ok(out.metadata.resourceVersion, `${c.name}: resourceVersion set`);
    t.equal(out.metadata.resourceVersion, String(server.resourceVersion), `${c.name}: resourceVersion is the global counter`);
    t.equal(server.get(WIDGETS, 'foo', { namespace: 'test-ns' }), out, `${c.name}: get returns the stored object`);
  }
  t.end();
});

t.test('RunTestCreateWithKeyExist: creating an existing name is 409 AlreadyExists', (t) => {
  const { server } = newServer();
  namespace(server, 'test-ns');
  server.create(WIDGETS, widget('test-ns', 'foo'));
  t.match(statusOf(() => server.create(WIDGETS, widget('test-ns', 'foo'))), {
    code: 409, reason: 'AlreadyExists', message: 'widgets.example.sleeveless.dev "foo" already exists',
    details: { name: 'foo', group: 'example.sleeveless.dev', kind: 'widgets' },
  });
  t.end();
});

t.test('RunTestGet: get by resourceVersion is not-older-than; too high is 504; missing is 404', (t) => {
  const { server } = newServer();
  namespace(server, 'test-ns');
  const created = server.create(WIDGETS, widget('test-ns', 'foo'));
  const updated = server.update(WIDGETS, { ...edit(created), metadata: { ...edit(created.metadata), annotations: { 'test-annotation': '1' } } });
  const last = server.create(WIDGETS, widget('test-ns', 'bar'));
  const cases: { name: string; key: string; rv?: string; expect?: KubeObject; status?: Partial<Status> }[] = [
    { name: 'get existing', key: 'foo', expect: updated },
    { name: 'resource version 0', key: 'foo', rv: '0', expect: updated },
    { name: 'object created resource version', key: 'foo', rv: created.metadata.resourceVersion, expect: updated },
    { name: 'current object resource version, match=NotOlderThan', key: 'foo', rv: updated.metadata.resourceVersion, expect: updated },
    { name: 'latest resource version', key: 'foo', rv: last.metadata.resourceVersion, expect: updated },
    { name: 'too high resource version', key: 'foo', rv: '9223372036854775807', status: { code: 504, reason: 'Timeout', details: { causes: [{ type: 'ResourceVersionTooLarge' }] } } },
    { name: 'get non-existing', key: 'non-existing', status: { code: 404, reason: 'NotFound', message: 'widgets.example.sleeveless.dev "non-existing" not found' } },
    { name: 'unparsable resource version', key: 'foo', rv: 'abc', status: { code: 400, reason: 'BadRequest' } },
  ];
  for (const c of cases) {
    if (c.status) t.match(statusOf(() => server.get(WIDGETS, c.key, { namespace: 'test-ns', resourceVersion: c.rv })), c.status, c.name);
    else t.equal(server.get(WIDGETS, c.key, { namespace: 'test-ns', resourceVersion: c.rv }), c.expect, c.name);
  }
  t.end();
});

t.test('RunTestUnconditionalDelete: delete removes the object and its DELETED event carries a new resourceVersion', (t) => {
  const { server } = newServer();
  namespace(server, 'test-ns');
  const stored = server.create(WIDGETS, widget('test-ns', 'foo'));
  const deleted: KubeObject[] = [];
  server.onCommit((ev) => { if (ev.type === 'DELETED') deleted.push(ev.object); });
  const cases = [
    { name: 'existing key', key: 'foo', notFound: false },
    { name: 'non-existing key', key: 'non-existing', notFound: true },
  ];
  for (const c of cases) {
    if (c.notFound) {
      t.match(statusOf(() => server.delete(WIDGETS, c.key, { namespace: 'test-ns' })), { code: 404 }, c.name);
      continue;
    }
    const result = server.delete(WIDGETS, c.key, { namespace: 'test-ns' });
    t.match(result, { kind: 'Status', status: 'Success', details: { name: 'foo', kind: 'widgets', uid: stored.metadata.uid } }, `${c.name}: Success Status`);
    t.equal(deleted.length, 1, `${c.name}: one DELETED commit`);
    t.not(deleted[0].metadata.resourceVersion, stored.metadata.resourceVersion, `${c.name}: deleted object has a new RV`);
    t.same({ ...deleted[0], metadata: { ...deleted[0].metadata, resourceVersion: stored.metadata.resourceVersion } }, stored, `${c.name}: otherwise the stored object`);
    t.match(statusOf(() => server.get(WIDGETS, 'foo', { namespace: 'test-ns' })), { code: 404 }, `${c.name}: gone`);
  }
  t.end();
});

t.test('RunTestConditionalDelete: uid and resourceVersion preconditions must match, else 409', (t) => {
  const { server } = newServer();
  namespace(server, 'test-ns');
  const cases = [
    { name: 'UID match', pre: (o: KubeObject) => ({ uid: o.metadata.uid }), conflict: false },
    { name: 'UID mismatch', pre: () => ({ uid: 'B' }), conflict: true },
    { name: 'ResourceVersion match', pre: (o: KubeObject) => ({ resourceVersion: o.metadata.resourceVersion }), conflict: false },
    { name: 'ResourceVersion mismatch', pre: () => ({ resourceVersion: '1' }), conflict: true },
  ];
  for (const c of cases) {
    const stored = server.create(WIDGETS, widget('test-ns', 'foo'));
    const status = statusOf(() => server.delete(WIDGETS, 'foo', { namespace: 'test-ns', preconditions: c.pre(stored) }));
    if (c.conflict) {
      t.match(status, { code: 409, reason: 'Conflict', message: /^Operation cannot be fulfilled on Widget\.example\.sleeveless\.dev "foo": the (UID|ResourceVersion) in the precondition/ }, c.name);
      server.delete(WIDGETS, 'foo', { namespace: 'test-ns' });
    } else {
      t.equal(status, undefined, `${c.name}: deleted`);
      t.match(statusOf(() => server.get(WIDGETS, 'foo', { namespace: 'test-ns' })), { code: 404 }, `${c.name}: gone`);
    }
  }
  t.end();
});

t.test('RunTestGuaranteedUpdateWithConflict: a write from a stale read is 409; re-reading and retrying succeeds', (t) => {
  const { server } = newServer();
  namespace(server, 'test-ns');
  const read = server.create(WIDGETS, widget('test-ns', 'foo', { n: 0 }));
  const first = server.update(WIDGETS, { ...edit(read), spec: { n: 1 } });
  t.not(first.metadata.resourceVersion, read.metadata.resourceVersion, 'first writer bumps the RV');
  t.match(statusOf(() => server.update(WIDGETS, { ...edit(read), spec: { n: 2 } })), {
    code: 409, reason: 'Conflict',
    message: 'Operation cannot be fulfilled on widgets.example.sleeveless.dev "foo": the object has been modified; please apply your changes to the latest version and try again',
  }, 'second writer from the stale read conflicts');
  const reread = server.get(WIDGETS, 'foo', { namespace: 'test-ns' });
  const second = server.update(WIDGETS, { ...edit(reread), spec: { n: reread.spec.n + 1 } });
  t.equal(second.spec.n, 2, 'retry from a fresh read applies on top of the first write');
  t.end();
});

t.test('update without resourceVersion: unconditional where allowed, 422 for custom resources (store.go Update)', (t) => {
  const { server } = newServer();
  namespace(server, 'test-ns');
  server.create(WIDGETS, widget('test-ns', 'foo', { n: 0 }));
  const out = server.update(WIDGETS, widget('test-ns', 'foo', { n: 1 }));
  t.equal(out.spec.n, 1, 'widget (AllowUnconditionalUpdate) updated');
  server.create(KSERVICES, kservice('test-ns', 'ks'));
  t.match(statusOf(() => server.update(KSERVICES, kservice('test-ns', 'ks', { traffic: [] }))), {
    code: 422, reason: 'Invalid',
    message: 'services.serving.knative.dev "ks" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update',
  }, 'ksvc (custom resource) refused');
  t.match(statusOf(() => server.update(WIDGETS, widget('test-ns', 'missing'))), { code: 404, reason: 'NotFound' }, 'update of a missing object is 404');
  t.end();
});

/** A Prng whose generated-name draws count 0, 1, 2, ... like upstream's sequentialNameGenerator. */
class SequentialNamePrng extends Prng {
  #nameIndex = 0;
  #digit = 0;

  constructor() {
    super('sequential-names');
  }

  reset(): void {
    this.#nameIndex = 0;
    this.#digit = 0;
  }

  override int(n: number): number {
    if (n !== GENERATED_NAME_ALPHABET.length) return super.int(n);
    const value = Math.floor(this.#nameIndex / n ** (4 - this.#digit)) % n;
    if (++this.#digit === 5) {
      this.#digit = 0;
      this.#nameIndex++;
    }
    return value;
  }
}

const sequentialName = (i: number): string => {
  let suffix = '';
  for (let d = 4; d >= 0; d--) suffix += GENERATED_NAME_ALPHABET[Math.floor(i / 27 ** d) % 27];
  return `prefix-${suffix}`;
};

t.test('TestStoreCreateWithRetryNameGenerate: generateName retries up to 8 clashes, then 409 AlreadyExists', (t) => {
  const random = new SequentialNamePrng();
  const server = new ApiServer({ nowMs: () => 0, random }, { registry: testRegistry() });
  namespace(server, 'test');
  for (let i = 0; i < 7; i++) server.create(WIDGETS, widget('test', sequentialName(i)));
  random.reset();
  const generated = server.create(WIDGETS, { ...widget('test', ''), metadata: { generateName: 'prefix-', namespace: 'test' } });
  t.equal(generated.metadata.name, sequentialName(7), 'the 8th attempt gets the first free name');
  random.reset();
  t.match(statusOf(() => server.create(WIDGETS, { ...widget('test', ''), metadata: { generateName: 'prefix-', namespace: 'test' } })), {
    code: 409, reason: 'AlreadyExists',
    message: `widgets.example.sleeveless.dev "${sequentialName(7)}" already exists, the server was not able to generate a unique name for the object`,
  }, '8 clashing attempts are not enough');
  t.end();
});

t.test('generateName: prefix cut to 58 characters plus 5 from the upstream alphabet', (t) => {
  const { server } = newServer();
  namespace(server, 'test');
  const long = 'a'.repeat(70);
  const out = server.create(WIDGETS, { ...widget('test', ''), metadata: { generateName: long, namespace: 'test' } });
  t.match(out.metadata.name, new RegExp(`^a{58}[${GENERATED_NAME_ALPHABET}]{5}$`), 'shape of the generated name');
  t.end();
});

t.test('TestNoOpUpdates: an update that changes nothing is not written and keeps the resourceVersion', (t) => {
  const { server } = newServer();
  const make = (): KubeObject => widget('default', 'foo', { nodeName: 'machine' }, { labels: { prepare_create: 'true' } });
  const created = server.create(WIDGETS, make());
  let commits = 0;
  server.onCommit(() => { commits++; });
  const updated = server.update(WIDGETS, make());
  t.equal(updated, created, 'no-op update returns the stored object');
  t.equal(server.get(WIDGETS, 'foo', { namespace: 'default' }).metadata.resourceVersion, created.metadata.resourceVersion, 'RV unchanged');
  t.equal(commits, 0, 'nothing committed');
  t.end();
});

t.test('stored objects are frozen and shared; the caller’s object is never kept', (t) => {
  const { server } = newServer();
  const input = widget('default', 'foo', { n: 1 });
  const out = server.create(WIDGETS, input);
  t.ok(Object.isFrozen(out) && Object.isFrozen(out.metadata) && Object.isFrozen(out.spec), 'deep-frozen');
  t.equal(input.metadata.uid, undefined, 'input not mutated');
  (input.spec as { n: number }).n = 2;
  t.equal(server.get(WIDGETS, 'foo', { namespace: 'default' }).spec.n, 1, 'later edits of the input do not reach the store');
  t.equal(server.list(WIDGETS, { namespace: 'default' }).items[0], out, 'list shares the stored object');
  t.end();
});
