import t from 'tap';
import { Simulation } from '../../src/sim/simulation.js';
import { TimerSet } from '../../src/sim/timer-set.js';

t.test('cancelAll stops every pending timer of the owner, and only those', async (t) => {
  const sim = new Simulation({ seed: 1 });
  const mine = new TimerSet(sim);
  const ran: string[] = [];
  mine.schedule(10, () => ran.push('early'), 'early');
  mine.schedule(100, () => ran.push('late'), 'late');
  sim.schedule(100, () => ran.push('someone else'), 'other');
  sim.run({ untilMs: 50 });
  t.equal(mine.pending, 1, 'the early timer ran; the late one is pending');
  mine.cancelAll();
  t.equal(mine.pending, 0);
  sim.run();
  t.same(ran, ['early', 'someone else']);
});

t.test('cancel stops one timer; cancelling it twice, or one that ran, is harmless', async (t) => {
  const sim = new Simulation({ seed: 1 });
  const timers = new TimerSet(sim);
  const ran: number[] = [];
  const a = timers.schedule(5, () => ran.push(1), 'a');
  const b = timers.schedule(5, () => ran.push(2), 'b');
  timers.cancel(a);
  timers.cancel(a);
  sim.run();
  timers.cancel(b);
  timers.cancel(undefined);
  t.same(ran, [2]);
  t.equal(timers.pending, 0);
});

t.test('the sweep drops timers that ran or were cancelled and keeps pending ones: a crash after 10,000 short timers still cancels the long one', async (t) => {
  const sim = new Simulation({ seed: 1 });
  const timers = new TimerSet(sim);
  let longRan = false;
  timers.schedule(1_000_000, () => void (longRan = true), 'long');
  let ran = 0;
  for (let i = 0; i < 10_000; i++) {
    const timer = timers.schedule(1, () => void ran++, 'short');
    if (i % 2 === 0) timers.cancel(timer);
    sim.run({ untilMs: sim.nowMs + 1 });
  }
  t.equal(ran, 5_000);
  t.equal(timers.pending, 1);
  timers.cancelAll();
  sim.run();
  t.equal(longRan, false);
});
