// After k8s.io/kubernetes pkg/controller/controller_utils_test.go TestControllerExpectations and
// TestUIDExpectations, with a virtual clock instead of a fake one.
import t from 'tap';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from '../../src/kube/controller-expectations.js';

function expectations(): { exp: ControllerExpectations; clock: { nowMs: number } } {
  const clock = { nowMs: 0 };
  return { exp: new ControllerExpectations({ nowMs: () => clock.nowMs }), clock };
}

t.test('TestControllerExpectations: satisfied once adds and dels are observed (even surpassed), or after the TTL', async (t) => {
  const { exp, clock } = expectations();
  const key = 'default/rc';
  t.ok(exp.satisfied(key), 'no record: sync');
  exp.setExpectations(key, 10, 30);
  for (let i = 0; i < 11; i++) exp.creationObserved(key);
  t.notOk(exp.satisfied(key), 'still waiting for deletions');
  for (let i = 0; i < 31; i++) exp.lowerExpectations(key, 0, 1);
  t.ok(exp.satisfied(key), 'expectations surpassed');
  t.same(exp.get(key), { add: -1, del: -1, timestampMs: 0 });
  exp.setExpectations(key, 1, 2);
  t.notOk(exp.satisfied(key));
  clock.nowMs = EXPECTATIONS_TIMEOUT_MS;
  t.notOk(exp.satisfied(key), 'not expired at exactly the TTL');
  clock.nowMs = EXPECTATIONS_TIMEOUT_MS + 1;
  t.ok(exp.satisfied(key), 'old expectations expire after the TTL');
  t.same(exp.get(key), { add: 1, del: 2, timestampMs: 0 }, 'expired, not cleared');
  exp.raiseExpectations(key, 1, 0);
  t.equal(exp.get(key)?.add, 2);
  exp.deleteExpectations(key);
  t.equal(exp.get(key), undefined);
  t.ok(exp.satisfied(key));
});

t.test('TestUIDExpectations: each expected deletion counts once, by pod key, and only for pods expected', async (t) => {
  const { exp } = expectations();
  exp.expectDeletions('default/rs', ['default/p1', 'default/p2']);
  t.notOk(exp.satisfied('default/rs'));
  exp.deletionObserved('default/rs', 'default/p1');
  exp.deletionObserved('default/rs', 'default/p1');
  exp.deletionObserved('default/rs', 'default/stranger');
  t.equal(exp.get('default/rs')?.del, 1, 'a repeated or unexpected deletion does not count');
  exp.deletionObserved('default/rs', 'default/p2');
  t.ok(exp.satisfied('default/rs'));
  exp.expectCreations('default/rs', 1);
  exp.deletionObserved('default/rs', 'default/p2');
  t.equal(exp.get('default/rs')?.del, 0, 'creations replace the record; the pod set is already drained');
  exp.deleteExpectations('default/rs');
  exp.deletionObserved('default/rs', 'default/p1');
  t.equal(exp.get('default/rs'), undefined, 'deleted expectations stay deleted');
});
