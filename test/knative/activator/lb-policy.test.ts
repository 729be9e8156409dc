// Ports of knative/serving pkg/activator/net/lb_policy_test.go (TestRandomChoice_TwoTrackersDistribution,
// TestRandomChoice2, TestFirstAvailable, TestRoundRobin) and the CC switch of
// throttler_test.go TestInfiniteBreakerCreation, with randomness injected as `choose`.
import t from 'tap';
import { InfiniteBreaker } from '../../../src/knative/activator/infinite-breaker.js';
import {
  firstAvailable, powerOfTwoChoices, revisionThrottlerParts, RoundRobinPolicy, type Choose,
} from '../../../src/knative/activator/lb-policy.js';
import { PodTracker } from '../../../src/knative/activator/pod-tracker.js';
import { Breaker } from '../../../src/knative/queue/breaker.js';
import { Prng } from '../../../src/sim/prng.js';

function makeTrackers(num: number, cc: number): PodTracker[] {
  return Array.from({ length: num }, (_, i) => new PodTracker({ dest: String(i), containerConcurrency: cc }));
}

/** A chooser that replays fixed answers, and records the bounds it was asked for. */
function scripted(answers: number[]): { choose: Choose; asked: number[] } {
  const asked: number[] = [];
  return { asked, choose: (n) => { asked.push(n); return answers.shift() ?? 0; } };
}

t.test('TestRandomChoice_TwoTrackersDistribution: both trackers get requests', async (t) => {
  const prng = new Prng('p2c');
  const policy = powerOfTwoChoices((n) => prng.int(n));
  const trackers = makeTrackers(2, 0);
  const counts = new Map<string, number>();
  for (let i = 0; i < 100; i++) {
    const pick = policy(trackers)!;
    pick.release();
    counts.set(pick.tracker.dest, (counts.get(pick.tracker.dest) ?? 0) + 1);
  }
  t.ok((counts.get('0') ?? 0) > 0);
  t.ok((counts.get('1') ?? 0) > 0);
  t.equal((counts.get('0') ?? 0) + (counts.get('1') ?? 0), 100);
});

t.test('TestRandomChoice2 / 1 tracker: always that one, weight counts picks, release undoes', async (t) => {
  const { choose, asked } = scripted([]);
  const policy = powerOfTwoChoices(choose);
  const trackers = makeTrackers(1, 0);
  const first = policy(trackers)!;
  t.equal(first.tracker, trackers[0]);
  t.equal(first.tracker.weight, 1);
  const second = policy(trackers)!;
  t.equal(second.tracker.weight, 2);
  second.release();
  t.equal(trackers[0].weight, 1);
  t.same(asked, [], 'no randomness for a single tracker');
});

t.test('TestRandomChoice2 / 2 trackers: the lighter one wins; a release makes it win again', async (t) => {
  const { choose, asked } = scripted([1]);
  const policy = powerOfTwoChoices(choose);
  const trackers = makeTrackers(2, 0);
  const first = policy(trackers)!;
  t.equal(first.tracker.weight, 1);
  const second = policy(trackers)!;
  t.not(second.tracker, first.tracker, 'must return a different one');
  t.equal(second.tracker.weight, 1);
  second.release();
  const third = policy(trackers)!;
  t.equal(third.tracker, second.tracker, 'should return the same one');
  t.equal(third.tracker.weight, 1);
  t.same(asked, [2], 'only the first, tied, pick flipped a coin');
});

t.test('TestRandomChoice2 / 3 trackers: picks stay at weight 1 while a lighter tracker exists', async (t) => {
  const { choose, asked } = scripted([0, 0, 1, 2, 0, 0, 0, 0, 0]);
  const policy = powerOfTwoChoices(choose);
  const trackers = makeTrackers(3, 0);
  const a = policy(trackers)!;
  t.equal(a.tracker.weight, 1);
  const b = policy(trackers)!;
  t.equal(b.tracker.weight, 1);
  b.release();
  const c = policy(trackers)!;
  t.equal(c.tracker.weight, 1);
  t.same(asked.slice(0, 2), [3, 2], 'two distinct indices: choose(l) then choose(l − 1)');
});

t.test('power of two choices: the second index skips the first', async (t) => {
  const trackers = makeTrackers(4, 0);
  trackers[1].increaseWeight();
  const pick = powerOfTwoChoices(scripted([1, 1]).choose)(trackers)!;
  t.equal(pick.tracker.dest, '2', 'r1 = 1, r2 = 1 → 2; tracker 2 is lighter');
  t.equal(powerOfTwoChoices(scripted([]).choose)([]), undefined, 'no trackers, no pick (upstream panics)');
});

t.test('TestFirstAvailable / 1 tracker, 1 slot: the second pick finds nothing', async (t) => {
  const trackers = makeTrackers(1, 1);
  t.equal(firstAvailable(trackers)?.tracker, trackers[0]);
  t.equal(firstAvailable(trackers), undefined);
});

t.test('TestFirstAvailable / 2 trackers, 1 slot: first then second', async (t) => {
  const trackers = [new PodTracker({ dest: 'down-by-the-river', containerConcurrency: 1 }), new PodTracker({ dest: 'heart-of-gold', containerConcurrency: 1 })];
  t.equal(firstAvailable(trackers)?.tracker.dest, 'down-by-the-river');
  const second = firstAvailable(trackers)!;
  t.equal(second.tracker.dest, 'heart-of-gold');
  second.release();
  t.equal(trackers[1].inFlight, 0, 'release frees the reservation');
});

t.test('TestRoundRobin / with cc=1', async (t) => {
  const rr = new RoundRobinPolicy();
  const trackers = makeTrackers(3, 1);
  t.equal(rr.pick(trackers)?.tracker, trackers[0]);
  t.equal(rr.pick(trackers)?.tracker, trackers[1]);
  t.equal(rr.pick(trackers.slice(0, 1)), undefined, 'shorter list: cursor resets to 0, which is occupied');
  const third = rr.pick(trackers)!;
  t.equal(third.tracker, trackers[2]);
  t.equal(rr.pick(trackers), undefined);
  third.release();
  t.equal(rr.pick(trackers)?.tracker, trackers[2], 'the released one comes back');
});

t.test('TestRoundRobin / with cc=2', async (t) => {
  const rr = new RoundRobinPolicy();
  const trackers = makeTrackers(3, 2);
  const picks = [
    rr.pick(trackers), rr.pick(trackers), rr.pick(trackers.slice(0, 1)),
    rr.pick(trackers), rr.pick(trackers), rr.pick(trackers),
  ].map((p) => p?.tracker.dest);
  t.same(picks, ['0', '1', '0', '1', '2', '2']);
  t.equal(rr.cursor, 3);
});

t.test('TestInfiniteBreakerCreation and the CC switch: 0 → infinite + p2c, 1–3 → first available, > 3 → round robin', async (t) => {
  const choose: Choose = () => 0;
  const zero = revisionThrottlerParts<string>({ containerConcurrency: 0, choose });
  t.ok(zero.breaker instanceof InfiniteBreaker);
  t.equal(zero.policyName, 'power-of-two-choices');
  for (const cc of [1, 3]) {
    const parts = revisionThrottlerParts<string>({ containerConcurrency: cc, choose });
    t.ok(parts.breaker instanceof Breaker);
    t.equal(parts.policyName, 'first-available');
    t.equal(parts.breaker.capacity, 0, 'the revision breaker starts closed');
  }
  t.equal(revisionThrottlerParts<string>({ containerConcurrency: 4, choose }).policyName, 'round-robin');
});

t.test('pod trackers: CC slots each, none without CC', async (t) => {
  const cc2 = new PodTracker({ dest: 'a', containerConcurrency: 2 });
  t.equal(cc2.capacity, 2);
  t.ok(cc2.reserve() && cc2.reserve());
  t.notOk(cc2.reserve());
  const cc0 = new PodTracker({ dest: 'b', containerConcurrency: 0 });
  t.equal(cc0.capacity, 1);
  t.ok(cc0.reserve() && cc0.reserve() && cc0.reserve());
});
