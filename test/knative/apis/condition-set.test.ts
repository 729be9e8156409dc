import t from 'tap';
import { ConditionManager, transitionTimeMs, type Condition } from '../../../src/knative/apis/condition-set.js';

const SET = { happy: 'Ready', dependents: ['ResourcesAvailable', 'ContainerHealthy'] };

function manager(status: { conditions?: Condition[] }, nowMs: number): ConditionManager {
  return new ConditionManager(SET, status, nowMs);
}

t.test('initialize sets Ready and every dependent Unknown, sorted by type', async (t) => {
  const status: { conditions?: Condition[] } = {};
  manager(status, 0).initialize();
  t.same(status.conditions?.map((c) => [c.type, c.status]), [['ContainerHealthy', 'Unknown'], ['Ready', 'Unknown'], ['ResourcesAvailable', 'Unknown']]);
});

t.test('Ready turns True only when every dependent is True (condition_set_test TestMarkTrue)', async (t) => {
  const status: { conditions?: Condition[] } = {};
  const m = manager(status, 0);
  m.initialize();
  m.markTrue('ResourcesAvailable');
  t.equal(m.isHappy(), false);
  m.markTrue('ContainerHealthy');
  t.equal(m.isHappy(), true);
});

t.test('a False dependent carries its reason to Ready; Unknown does not override a False dependent', async (t) => {
  const status: { conditions?: Condition[] } = {};
  const m = manager(status, 0);
  m.initialize();
  m.markFalse('ContainerHealthy', 'ExitCode1', 'boom');
  t.match(m.get('Ready'), { status: 'False', reason: 'ExitCode1', message: 'boom' });
  m.markUnknown('ResourcesAvailable', 'Deploying', '');
  t.match(m.get('Ready'), { status: 'False', reason: 'ExitCode1' }, 'failed conditions trump unknown ones');
  m.markTrue('ContainerHealthy');
  m.markUnknown('ResourcesAvailable', 'Deploying', 'waiting');
  t.match(m.get('Ready'), { status: 'Unknown', reason: 'Deploying', message: 'waiting' });
});

t.test('lastTransitionTime moves only when status, reason or message change, at one-second precision', async (t) => {
  const status: { conditions?: Condition[] } = {};
  manager(status, 1_500).markUnknown('ResourcesAvailable', 'Deploying');
  t.equal(transitionTimeMs(status.conditions!.find((c) => c.type === 'ResourcesAvailable')), 1_000);
  manager(status, 9_000).markUnknown('ResourcesAvailable', 'Deploying');
  t.equal(transitionTimeMs(status.conditions!.find((c) => c.type === 'ResourcesAvailable')), 1_000, 'unchanged');
  manager(status, 12_000).markUnknown('ResourcesAvailable', 'Other');
  t.equal(transitionTimeMs(status.conditions!.find((c) => c.type === 'ResourcesAvailable')), 12_000, 'reason changed');
});

t.test('conditions outside the set are Info and do not touch Ready', async (t) => {
  const status: { conditions?: Condition[] } = {};
  const m = manager(status, 0);
  m.initialize();
  m.markTrue('ResourcesAvailable');
  m.markTrue('ContainerHealthy');
  m.markFalse('Active', 'NoTraffic', 'scaled to zero');
  t.equal(m.isHappy(), true);
  t.equal(m.get('Active')?.severity, 'Info');
  m.clear('Active');
  t.equal(m.get('Active'), undefined);
});

t.test('markTrue recomputes Ready from the most recent unhappy dependent (condition_set.go recomputeHappiness)', async (t) => {
  const status: { conditions?: Condition[] } = {};
  manager(status, 0).initialize();
  manager(status, 1_000).markFalse('ResourcesAvailable', 'ProgressDeadlineExceeded', 'stuck');
  manager(status, 2_000).markUnknown('ContainerHealthy', 'Deploying', 'waiting');
  t.match(status.conditions!.find((c) => c.type === 'Ready'), { status: 'False', reason: 'ProgressDeadlineExceeded' });
  manager(status, 3_000).markTrue('ResourcesAvailable');
  t.match(status.conditions!.find((c) => c.type === 'Ready'), { status: 'Unknown', reason: 'Deploying', message: 'waiting' },
    'the failed dependent recovered: Ready follows the remaining Unknown one');
  const m = manager(status, 4_000);
  m.markTrue('ContainerHealthy');
  t.equal(m.isHappy(), true);
  m.markFalse('Ready', 'Manual', 'forced');
  m.markTrue('Active');
  t.equal(m.isHappy(), true, 'a non-dependent marked True also recomputes Ready');
});
