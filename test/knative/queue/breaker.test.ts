// Ports of knative/serving pkg/queue/breaker_test.go against our event-driven Breaker. Upstream's
// requestor goroutines become waiter tokens: `request()` is tryAcquire, `processSuccessfully` is a
// release of the oldest holder, `expectFailure` is a 'rejected' answer or a cancelled waiter.
import t from 'tap';
import { Breaker, MAX_BREAKER_CAPACITY } from '../../../src/knative/queue/breaker.js';
import { queueProxyBreakerOptions } from '../../../src/knative/queue/queue-proxy-breaker.js';

const oneByOne = { queueDepth: 1, maxConcurrency: 1, initialCapacity: 1 };

t.test('TestBreakerInvalidConstructor: every bad parameter throws', async (t) => {
  const rows = [
    { name: 'QueueDepth = 0', options: { queueDepth: 0, maxConcurrency: 1, initialCapacity: 1 } },
    { name: 'MaxConcurrency negative', options: { queueDepth: 1, maxConcurrency: -1, initialCapacity: 1 } },
    { name: 'InitialCapacity negative', options: { queueDepth: 1, maxConcurrency: 1, initialCapacity: -1 } },
    { name: 'InitialCapacity out-of-bounds', options: { queueDepth: 1, maxConcurrency: 5, initialCapacity: 6 } },
  ];
  for (const row of rows) t.throws(() => new Breaker(row.options), RangeError, row.name);
});

t.test('TestBreakerReserveOverload: a second reservation fails until the first is released', async (t) => {
  const b = new Breaker(oneByOne);
  t.ok(b.reserve(), 'Reserve1');
  t.notOk(b.reserve(), 'Reserve2 must fail');
  t.equal(b.release(), undefined);
  t.ok(b.reserve(), 'Reserve again');
  b.release();
  t.equal(b.inFlight, 0);
});

t.test('TestBreakerOverloadMixed: a request in flight blocks Reserve until it finishes', async (t) => {
  const b = new Breaker<string>(oneByOne);
  t.equal(b.tryAcquire('r1'), 'granted');
  t.notOk(b.reserve(), 'Reserve while at capacity');
  b.release();
  t.ok(b.reserve(), 'Reserve after the request finished');
  b.release();
});

t.test('TestBreakerOverload: the third request is rejected, the first two succeed', async (t) => {
  const b = new Breaker<string>(oneByOne);
  t.equal(b.tryAcquire('r1'), 'granted');
  t.equal(b.tryAcquire('r2'), 'queued');
  t.equal(b.tryAcquire('r3'), 'rejected');
  t.equal(b.release(), 'r2', 'finishing r1 admits r2');
  t.equal(b.release(), undefined);
  t.equal(b.slotsTaken, 0);
});

t.test('TestBreakerQueueing: capacity 0 queues; UpdateConcurrency(1) lets them through one at a time', async (t) => {
  const b = new Breaker<string>({ queueDepth: 1, maxConcurrency: 1, initialCapacity: 0 });
  t.equal(b.tryAcquire('r1'), 'queued');
  t.equal(b.tryAcquire('r2'), 'queued');
  t.same(b.updateConcurrency(1), ['r1']);
  t.equal(b.release(), 'r2');
  t.equal(b.release(), undefined);
});

t.test('TestBreakerNoOverload: at capacity, each completion makes room for exactly one more', async (t) => {
  const b = new Breaker<string>(oneByOne);
  t.equal(b.tryAcquire('r1'), 'granted');
  t.equal(b.tryAcquire('r2'), 'queued');
  t.equal(b.release(), 'r2');
  t.equal(b.tryAcquire('r3'), 'queued');
  t.equal(b.release(), 'r3');
  t.equal(b.tryAcquire('r4'), 'queued');
  t.equal(b.release(), 'r4');
  t.equal(b.release(), undefined);
  t.equal(b.slotsTaken, 0);
});

t.test('TestBreakerCancel: cancelled waiters leave; the breaker stays consistently at capacity', async (t) => {
  const b = new Breaker<string>({ queueDepth: 1, maxConcurrency: 1, initialCapacity: 0 });
  t.equal(b.tryAcquire('ctx1'), 'queued');
  t.ok(b.cancel('ctx1'), 'ctx1 ends while waiting');
  t.equal(b.tryAcquire('ctx2'), 'queued');
  t.ok(b.cancel('ctx2'));
  t.equal(b.pending, 0, 'cancelled waiters freed their slots');
  t.same(b.updateConcurrency(1), []);
  t.equal(b.tryAcquire('r1'), 'granted');
  t.equal(b.tryAcquire('r2'), 'queued');
  t.equal(b.tryAcquire('r3'), 'rejected');
  t.equal(b.tryAcquire('ctx3'), 'rejected');
  t.notOk(b.cancel('ctx3'), 'a rejected request is not waiting');
  t.equal(b.release(), 'r2');
  t.equal(b.release(), undefined);
});

t.test('TestBreakerUpdateConcurrency: capacity follows updates both ways', async (t) => {
  const b = new Breaker({ queueDepth: 1, maxConcurrency: 1, initialCapacity: 0 });
  b.updateConcurrency(1);
  t.equal(b.capacity, 1);
  b.updateConcurrency(0);
  t.equal(b.capacity, 0);
  t.throws(() => b.updateConcurrency(-1), RangeError);
});

t.test('TestSemaphoreAcquireHasNoCapacity / NonBlockingHasNoCapacity: capacity 0 admits nobody', async (t) => {
  const b = new Breaker<string>({ queueDepth: 10, maxConcurrency: 1, initialCapacity: 0 });
  t.equal(b.tryAcquire('w'), 'queued');
  t.notOk(b.reserve());
  t.equal(b.inFlight, 0);
});

t.test('TestSemaphoreAcquireHasCapacity: one unit of capacity admits exactly one waiter', async (t) => {
  const b = new Breaker<string>({ queueDepth: 10, maxConcurrency: 1, initialCapacity: 0 });
  b.tryAcquire('w1');
  b.tryAcquire('w2');
  t.same(b.updateConcurrency(1), ['w1']);
  t.equal(b.pending, 1);
});

t.test('TestSemaphoreRelease: a release without an acquire throws', async (t) => {
  const b = new Breaker<string>({ queueDepth: 1, maxConcurrency: 1, initialCapacity: 1 });
  t.equal(b.tryAcquire('w'), 'granted');
  t.doesNotThrow(() => b.release());
  t.throws(() => b.release(), /not paired/);
});

t.test('TestSemaphoreUpdateCapacity: raising capacity while one is held', async (t) => {
  const b = new Breaker<string>({ queueDepth: 10, maxConcurrency: 3, initialCapacity: 1 });
  t.equal(b.capacity, 1);
  t.equal(b.tryAcquire('w'), 'granted');
  b.updateConcurrency(3);
  t.equal(b.capacity, 3);
  t.equal(b.inFlight, 1);
});

t.test('lowering capacity below in-flight admits nobody until in-flight drops below it', async (t) => {
  const b = new Breaker<string>({ queueDepth: 10, maxConcurrency: 3, initialCapacity: 3 });
  for (const w of ['a', 'b', 'c']) t.equal(b.tryAcquire(w), 'granted');
  t.equal(b.tryAcquire('d'), 'queued');
  t.same(b.updateConcurrency(1), []);
  t.equal(b.release(), undefined, '2 in flight, capacity 1');
  t.equal(b.release(), undefined, '1 in flight, capacity 1');
  t.equal(b.release(), 'd', '0 in flight: d gets the slot');
});

t.test('waiters are admitted first in, first out (our modelling choice)', async (t) => {
  const b = new Breaker<number>({ queueDepth: 10, maxConcurrency: 10, initialCapacity: 0 });
  for (let i = 0; i < 5; i++) b.tryAcquire(i);
  b.cancel(2);
  t.same(b.updateConcurrency(3), [0, 1, 3]);
  t.equal(b.release(), 4);
});

t.test('queue-proxy breaker: none for CC 0, else 11·CC admitted and the rest rejected', async (t) => {
  t.equal(queueProxyBreakerOptions(0), undefined);
  const options = queueProxyBreakerOptions(2)!;
  t.same(options, { queueDepth: 20, maxConcurrency: 2, initialCapacity: 2 });
  const b = new Breaker<number>(options);
  const answers = Array.from({ length: 23 }, (_, i) => b.tryAcquire(i));
  t.same(answers.filter((a) => a === 'granted').length, 2);
  t.same(answers.filter((a) => a === 'queued').length, 20);
  t.same(answers.slice(22), ['rejected']);
});

t.test('the activator revision breaker (queue 10000, max MaxInt32) never fills in practice', async (t) => {
  const b = new Breaker<number>({ queueDepth: 10_000, maxConcurrency: MAX_BREAKER_CAPACITY, initialCapacity: 0 });
  const answers = Array.from({ length: 10_001 }, (_, i) => b.tryAcquire(i));
  t.notOk(answers.includes('rejected'));
  t.equal(b.pending, 10_001);
});
