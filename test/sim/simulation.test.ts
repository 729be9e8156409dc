import t from 'tap';
import { InvariantError } from '../../src/sim/invariant.js';
import { Simulation } from '../../src/sim/simulation.js';

/** A seeded workload that uses every kernel facility: timers, cancellation, decisions, ties, trace. */
function workload(seed: number | string, options: { breakTies?: boolean; replay?: number[] } = {}): Simulation {
  const sim = new Simulation({ seed, breakTies: options.breakTies, replay: options.replay });
  const delays = sim.choices('workload/delay');
  const coin = sim.choices('workload/coin');
  for (let actor = 0; actor < 20; actor++) {
    let hops = 0;
    const hop = (): void => {
      sim.record('hop', { actor, hops });
      if (++hops < 30) {
        const timer = sim.schedule(delays.between(0, 5), hop, `a${actor}`);
        if (coin.chance(0.05)) {
          sim.cancel(timer);
          sim.schedule(delays.between(10, 20), hop, `a${actor}`);
        }
      }
    };
    sim.schedule(actor % 3, hop, `a${actor}`);
  }
  sim.run({ untilMs: 10_000 });
  return sim;
}

t.test('the same seed gives the same trace hash; another seed gives another', async (t) => {
  const a = workload(1).traceHash();
  t.equal(workload(1).traceHash(), a);
  t.not(workload(2).traceHash(), a);
});

t.test('with tie-breaking on, the same seed still gives the same hash, and the order differs from FIFO', async (t) => {
  const fifo = workload(1);
  const raced = workload(1, { breakTies: true });
  t.equal(workload(1, { breakTies: true }).traceHash(), raced.traceHash());
  t.not(raced.traceHash(), fifo.traceHash());
  t.ok(raced.chooser.count > fifo.chooser.count, 'tie decisions were logged');
});

t.test('replaying the choice log of a raced run reproduces its trace hash exactly', async (t) => {
  const raced = workload('r', { breakTies: true });
  const hash = raced.traceHash();
  const replayed = workload('a different seed', { breakTies: true, replay: raced.chooser.log() });
  t.equal(replayed.traceHash(), hash);
  t.doesNotThrow(() => replayed.chooser.finish());
});

t.test('events due at the same millisecond run in scheduling order without tie-breaking', async (t) => {
  const sim = new Simulation({ seed: 0 });
  const order: string[] = [];
  for (const name of ['a', 'b', 'c']) sim.schedule(5, () => order.push(name));
  sim.schedule(1, () => sim.schedule(4, () => order.push('d')));
  sim.run();
  t.same(order, ['a', 'b', 'c', 'd']);
  t.equal(sim.nowMs, 5);
});

t.test('run stops at untilMs, at maxEvents, and on stop(); the clock lands on untilMs', async (t) => {
  const sim = new Simulation({ seed: 0 });
  let fired = 0;
  const tick = (): void => { fired++; sim.schedule(10, tick); };
  sim.schedule(0, tick);
  t.same(sim.run({ untilMs: 35 }), { eventsRun: 4, nowMs: 35, stoppedBy: 'untilMs' });
  t.equal(sim.run({ maxEvents: 2 }).stoppedBy, 'maxEvents');
  t.equal(sim.nowMs, 50);
  sim.schedule(1, () => sim.stop());
  t.equal(sim.run().stoppedBy, 'stop');
  t.equal(fired, 6, "the stop at 51 ran before the tick due at 60");
  const idle = new Simulation({ seed: 0 });
  t.same(idle.run(), { eventsRun: 0, nowMs: 0, stoppedBy: 'idle' });
  t.same(idle.advance(250), { eventsRun: 0, nowMs: 250, stoppedBy: 'untilMs' });
});

t.test('scheduling in the past or a fractional delay is an invariant violation', async (t) => {
  const sim = new Simulation({ seed: 0 });
  sim.advance(100);
  t.throws(() => sim.at(50, () => undefined), InvariantError);
  t.throws(() => sim.schedule(0.5, () => undefined), InvariantError);
  t.throws(() => sim.schedule(-1, () => undefined), InvariantError);
});

t.test('an exception in an event aborts the run and reaches the caller', async (t) => {
  const sim = new Simulation({ seed: 0 });
  sim.schedule(3, () => { throw new InvariantError('boom'); });
  t.throws(() => sim.run(), /boom/);
  t.equal(sim.nowMs, 3);
});

t.test('the trace keeps a tail and, on request, every line', async (t) => {
  const sim = new Simulation({ seed: 0, trace: { keepAll: true, tailLength: 4 } });
  for (let i = 0; i < 10; i++) sim.schedule(i, () => sim.record('x', { i }));
  sim.run();
  t.equal(sim.trace.lines().length, 10);
  t.same(sim.trace.tail().map((l) => l.fields.i), [6, 7, 8, 9]);
  t.throws(() => new Simulation({ seed: 0 }).trace.lines(), /keepAll/);
});

t.test('an object target runs its fire method in (time, seq) order with functions, and cancels like one', async (t) => {
  const sim = new Simulation({ seed: 0 });
  const order: string[] = [];
  class Target {
    constructor(readonly name: string) {}
    fire(): void {
      order.push(`${this.name}@${sim.nowMs}`);
    }
  }
  sim.schedule(5, new Target('a'));
  sim.schedule(5, () => order.push(`f@${sim.nowMs}`));
  const b = sim.schedule(5, new Target('b'));
  const c = sim.at(2, new Target('c'));
  sim.cancel(b);
  t.notOk(sim.isPending(b));
  t.ok(sim.isPending(c));
  sim.run();
  t.same(order, ['c@2', 'a@5', 'f@5']);
  t.notOk(sim.isPending(c), 'a target event that ran is no longer pending');
});
