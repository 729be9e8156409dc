import t from 'tap';
import { DeadlineLane, type DeadlineHolder } from '../../../src/knative/runtime/deadline-lane.js';
import { Simulation } from '../../../src/sim/simulation.js';
import { TimerSet } from '../../../src/sim/timer-set.js';

class Held implements DeadlineHolder {
  answered = false;
  expiredAtMs: number | undefined;
  constructor(readonly sim: Simulation, readonly name: string, readonly log: string[]) {}
  get awaitingDeadline(): boolean {
    return !this.answered && this.expiredAtMs === undefined;
  }
  deadlinePassed(): void {
    this.expiredAtMs = this.sim.nowMs;
    this.log.push(`${this.name}@${this.sim.nowMs}`);
  }
}

function setup(timeoutMs: number): { sim: Simulation; timers: TimerSet; lane: DeadlineLane<Held>; log: string[]; hold: (name: string) => Held } {
  const sim = new Simulation({ seed: 1 });
  const timers = new TimerSet(sim);
  const lane = new DeadlineLane<Held>({
    timeoutMs, label: 'test-timeout', nowMs: () => sim.nowMs,
    schedule: (delayMs, run, label) => timers.schedule(delayMs, run, label), isPending: (timer) => sim.isPending(timer),
  });
  const log: string[] = [];
  const hold = (name: string): Held => {
    const h = new Held(sim, name, log);
    lane.add(h);
    return h;
  };
  return { sim, timers, lane, log, hold };
}

t.test('each request still waiting times out exactly timeoutMs after it was added, in arrival order', async (t) => {
  const { sim, log, hold } = setup(100);
  hold('a');
  sim.advance(10);
  const b = hold('b');
  hold('c');
  sim.advance(30);
  hold('d');
  sim.advance(5);
  b.answered = true;
  sim.run();
  t.same(log, ['a@100', 'c@110', 'd@140'], 'b was answered; the others expire at their own deadlines');
});

t.test('answered requests cost no timer event each: the lane arms one timer at a time', async (t) => {
  const { sim, hold, lane } = setup(300_000);
  const startEvents = sim.eventsRun;
  for (let i = 0; i < 1000; i++) {
    hold(`r${i}`).answered = true;
    sim.advance(20);
  }
  t.ok(sim.eventsRun - startEvents <= 1, `at most the one lane timer ran (${sim.eventsRun - startEvents})`);
  t.ok(sim.pending <= 1, 'one timer armed');
  t.ok(lane.size <= 1, `finished requests were dropped (${lane.size} left)`);
});

t.test('a sweep keeps the requests still waiting, behind a long-lived head', async (t) => {
  const { sim, hold, lane, log } = setup(1000);
  hold('head');
  const keep: Held[] = [];
  for (let i = 0; i < 500; i++) {
    const h = hold(`r${i}`);
    if (i % 50 === 0) keep.push(h);
    else h.answered = true;
  }
  t.ok(lane.size < 200, `swept (${lane.size} left)`);
  sim.run();
  t.same(log, ['head@1000', ...keep.map((h) => `${h.name}@1000`)]);
});

t.test('a request added while expiring (a retry) gets its own deadline, and the lane re-arms', async (t) => {
  const { sim, lane, log, hold } = setup(50);
  const first = hold('first');
  const orig = first.deadlinePassed.bind(first);
  first.deadlinePassed = () => {
    orig();
    const again = new Held(sim, 'again', log);
    lane.add(again);
  };
  sim.run();
  t.same(log, ['first@50', 'again@100']);
});

t.test('after the owner cancelled its timers (a crash), a new request arms the lane again', async (t) => {
  const { sim, timers, log, hold } = setup(50);
  hold('lost');
  sim.advance(10);
  timers.cancelAll();
  sim.advance(100);
  t.same(log, [], 'the cancelled timer never ran');
  hold('next');
  sim.run();
  t.same(log, ['lost@110', 'next@160'], 'the lane runs again: the old request, overdue, goes first');
});

t.test('a timeout that is not a non-negative integer is refused', async (t) => {
  t.throws(() => setup(1.5), /non-negative integer/);
});
