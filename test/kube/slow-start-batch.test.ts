// Ported table: k8s.io/kubernetes pkg/controller/replicaset/replica_set_test.go TestSlowStartBatch,
// run as simulated processes (each call takes 10 ms of virtual time, so batches show in the clock).
import t from 'tap';
import { slowStartBatch, type SlowStartResult } from '../../src/kube/slow-start-batch.js';
import { sleep, type Proc } from '../../src/sim/process.js';
import { Simulation } from '../../src/sim/simulation.js';
import { runProcess } from '../client/fixtures.js';

const fakeError = new Error('fake error');

function runBatch(count: number, callLimit: number): { result?: SlowStartResult; calls: number; startsMs: number[] } {
  const sim = new Simulation({ seed: 1 });
  const record = { calls: 0, startsMs: [] as number[] };
  const fn = function* (): Proc<void> {
    record.calls++;
    record.startsMs.push(sim.nowMs);
    const fail = record.calls > callLimit;
    yield* sleep(10);
    if (fail) throw fakeError;
  };
  const handle = runProcess(sim, slowStartBatch(count, 1, fn));
  sim.run();
  return { result: handle.value, ...record };
}

t.test('TestSlowStartBatch', async (t) => {
  const cases = [
    { name: 'callLimit = 0 (all fail)', count: 10, callLimit: 0, successes: 0, error: fakeError, calls: 1 },
    { name: 'callLimit = count (all succeed)', count: 10, callLimit: 10, successes: 10, error: undefined, calls: 10 },
    { name: 'callLimit < count (some succeed)', count: 10, callLimit: 5, successes: 5, error: fakeError, calls: 7 },
  ];
  for (const c of cases) {
    const got = runBatch(c.count, c.callLimit);
    t.equal(got.result?.successes, c.successes, `${c.name}: successes`);
    t.equal(got.result?.error, c.error, `${c.name}: error`);
    t.equal(got.calls, c.calls, `${c.name}: calls`);
  }
});

t.test('batches of 1, 2, 4 then the remaining 3 run one after another, each batch concurrently', async (t) => {
  const { startsMs } = runBatch(10, 10);
  const perBatch = new Map<number, number>();
  for (const ms of startsMs) perBatch.set(ms, (perBatch.get(ms) ?? 0) + 1);
  t.same([...perBatch.entries()], [[0, 1], [10, 2], [20, 4], [30, 3]]);
});

t.test('count 0 makes no call', async (t) => {
  const got = runBatch(0, 0);
  t.same(got.result, { successes: 0 });
  t.equal(got.calls, 0);
});
