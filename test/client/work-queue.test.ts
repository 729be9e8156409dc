import t from 'tap';
import { RateLimiter } from '../../src/client/rate-limiter.js';
import { WorkQueue } from '../../src/client/work-queue.js';
import { Process, type Proc } from '../../src/sim/process.js';
import { Simulation } from '../../src/sim/simulation.js';

/** A worker process that records (time, key) for each key it takes and holds each for `holdMs`. */
function worker(sim: Simulation, q: WorkQueue, seen: [number, string][], holdMs: number): void {
  function* body(): Proc {
    while (true) {
      const key = (yield q.get()) as string | null;
      if (key === null) return;
      seen.push([sim.nowMs, key]);
      yield { description: 'hold', start: (s, r) => void s.schedule(holdMs, () => r.ok(undefined)) };
      q.done(key);
    }
  }
  new Process(sim, body(), { name: 'worker' }).start();
}

t.test('adding a key that is already queued does nothing (dirty set dedupe)', async (t) => {
  const sim = new Simulation({ seed: 0 });
  const q = new WorkQueue(sim, { name: 'q' });
  q.add('a');
  q.add('b');
  q.add('a');
  t.equal(q.length, 2);
  const seen: [number, string][] = [];
  worker(sim, q, seen, 10);
  sim.run({ untilMs: 100 });
  t.same(seen.map(([, k]) => k), ['a', 'b']);
});

t.test('a key added while it is processed is not given to a second worker; it comes back after done', async (t) => {
  const sim = new Simulation({ seed: 0 });
  const q = new WorkQueue(sim, { name: 'q' });
  const seen: [number, string][] = [];
  worker(sim, q, seen, 50);
  worker(sim, q, seen, 50);
  q.add('k');
  sim.schedule(10, () => { q.add('k'); q.add('k'); });
  sim.run({ untilMs: 500 });
  t.same(seen, [[0, 'k'], [50, 'k']], 'second pass starts only when the first is done, once');
});

t.test('addAfter keeps the earliest ready time for a key', async (t) => {
  const sim = new Simulation({ seed: 0 });
  const q = new WorkQueue(sim, { name: 'q' });
  const seen: [number, string][] = [];
  worker(sim, q, seen, 1);
  q.addAfter('x', 300);
  q.addAfter('x', 100);
  q.addAfter('x', 200);
  sim.run({ untilMs: 1000 });
  t.same(seen, [[100, 'x']]);
});

t.test('rate-limited requeues back off exponentially per key and forget resets them', async (t) => {
  const rl = new RateLimiter({ baseDelayMs: 5, maxDelayMs: 1000, qps: 1e9, burst: 1e9 });
  t.same([0, 1, 2, 3, 4].map(() => rl.when('a', 0)), [5, 10, 20, 40, 80]);
  t.equal(rl.numRequeues('a'), 5);
  t.equal(rl.when('b', 0), 5, 'other keys are independent');
  rl.forget('a');
  t.equal(rl.when('a', 0), 5);
  for (let i = 0; i < 20; i++) rl.when('c', 0);
  t.equal(rl.when('c', 0), 1000, 'capped at the maximum');
});

t.test('the overall token bucket spaces requeues once the burst is spent (10 qps, burst 100)', async (t) => {
  const rl = new RateLimiter();
  const delays = Array.from({ length: 102 }, (_, i) => rl.when(`k${i}`, 0));
  t.equal(delays[99], 5, 'within the burst only the per-item backoff applies');
  t.equal(delays[100], 100, 'first key past the burst waits one token (100 ms)');
  t.equal(delays[101], 200);
  t.equal(rl.when('late', 10_000), 5, 'the bucket refills with time');
});

t.test('shutDown wakes waiting workers with null and ignores later adds', async (t) => {
  const sim = new Simulation({ seed: 0 });
  const q = new WorkQueue(sim, { name: 'q' });
  let ended = false;
  function* body(): Proc {
    const key = yield q.get();
    ended = key === null;
  }
  new Process(sim, body(), { name: 'w' }).start();
  sim.schedule(5, () => q.shutDown());
  sim.run({ untilMs: 10 });
  t.equal(ended, true);
  q.add('x');
  t.equal(q.length, 0);
});
