import t from 'tap';
import { Process, perform, sleep, type Effect, type Proc, type ProcessOutcome } from '../../src/sim/process.js';
import { Simulation } from '../../src/sim/simulation.js';

/** An effect that completes after `delayMs` with `value`, or fails with `error`. */
function later<T>(delayMs: number, outcome: { value?: T; error?: Error }): Effect<T> {
  return {
    description: `later ${delayMs}`,
    start(sim, resume) {
      const timer = sim.schedule(delayMs, () => (outcome.error ? resume.fail(outcome.error) : resume.ok(outcome.value as T)));
      return () => sim.cancel(timer);
    },
  };
}

t.test('a process sleeps in virtual time and receives effect values in order', async (t) => {
  const sim = new Simulation({ seed: 0 });
  const seen: [number, string][] = [];
  function* body(): Proc<string> {
    yield* sleep(100);
    seen.push([sim.nowMs, 'woke']);
    const v = yield* perform(later(50, { value: 'hello' }));
    seen.push([sim.nowMs, v]);
    return 'done';
  }
  let outcome: ProcessOutcome<string> | undefined;
  new Process(sim, body(), { name: 'p', onExit: (o) => (outcome = o) }).start();
  sim.run();
  t.same(seen, [[100, 'woke'], [150, 'hello']]);
  t.same(outcome, { ok: true, value: 'done' });
});

t.test('a failed effect is thrown into the body, which can catch it', async (t) => {
  const sim = new Simulation({ seed: 0 });
  let caught = '';
  function* body(): Proc {
    try {
      yield* perform(later(5, { error: new Error('conflict') }));
    } catch (e) {
      caught = (e as Error).message;
    }
  }
  new Process(sim, body(), { name: 'p' }).start();
  sim.run();
  t.equal(caught, 'conflict');
});

t.test('killing a process between two steps drops it there: no later step, no finally, pending timer cancelled', async (t) => {
  const sim = new Simulation({ seed: 0 });
  const writes: number[] = [];
  let cleanedUp = false;
  function* body(): Proc {
    try {
      writes.push(1);
      yield* sleep(10);
      writes.push(2);
    } finally {
      cleanedUp = true;
    }
  }
  let outcome: ProcessOutcome<void> | undefined;
  const p = new Process(sim, body(), { name: 'p', onExit: (o) => (outcome = o) }).start();
  sim.schedule(5, () => p.kill());
  sim.run();
  t.same(writes, [1]);
  t.equal(cleanedUp, false);
  t.same(outcome, { ok: false, killed: true });
  t.equal(sim.pending, 0);
  t.equal(p.alive, false);
});

t.test('an uncaught error aborts the run when nobody handles the exit; onExit receives it otherwise', async (t) => {
  const sim = new Simulation({ seed: 0 });
  function* bad(): Proc {
    yield* sleep(1);
    throw new Error('bug in model');
  }
  new Process(sim, bad(), { name: 'bad' }).start();
  t.throws(() => sim.run(), /bug in model/);
  const sim2 = new Simulation({ seed: 0 });
  let error: unknown;
  new Process(sim2, bad(), { name: 'bad', onExit: (o) => { if (!o.ok && 'error' in o) error = o.error; } }).start();
  sim2.run();
  t.match(String(error), /bug in model/);
});

t.test('a late resume after a kill is ignored', async (t) => {
  const sim = new Simulation({ seed: 0 });
  let resumed = false;
  const leaky: Effect<number> = {
    description: 'leaky',
    start(s, resume) { s.schedule(10, () => resume.ok(1)); },
  };
  function* body(): Proc {
    yield* perform(leaky);
    resumed = true;
  }
  const p = new Process(sim, body(), { name: 'p' }).start();
  sim.schedule(5, () => p.kill());
  sim.run();
  t.equal(resumed, false);
});
