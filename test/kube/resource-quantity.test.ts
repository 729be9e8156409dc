// Quantities and taint/toleration matching: the small pieces the scheduler, kubelet and eviction
// share, checked against upstream's documented semantics.
import t from 'tap';
import { formatBytes, formatMilli, intValue, milliValue, parseQuantity } from '../../src/kube/resource-quantity.js';
import { DEFAULT_TOLERATION_SECONDS, findUntoleratedTaint, noExecuteToleranceS, podTolerations, toleratesTaint } from '../../src/kube/taints.js';
import { goDuration } from '../../src/kube/go-duration.js';

t.test('quantities: CPU in millicores and memory in bytes, rounded up like MilliValue / Value', async (t) => {
  t.equal(milliValue('500m'), 500);
  t.equal(milliValue('1'), 1000);
  t.equal(milliValue('0.1'), 100, 'no float noise');
  t.equal(milliValue('1.5'), 1500);
  t.equal(milliValue(2), 2000);
  t.equal(milliValue('1u'), 1, 'rounded up');
  t.equal(intValue('256Mi'), 256 * 2 ** 20);
  t.equal(intValue('1Gi'), 2 ** 30);
  t.equal(intValue('1G'), 1e9);
  t.equal(intValue('1e3'), 1000);
  t.equal(intValue('110'), 110);
  t.equal(parseQuantity('2k'), 2000);
  t.throws(() => parseQuantity('12 apples'), RangeError);
  t.throws(() => parseQuantity('1gi'), RangeError, 'suffixes are case-sensitive');
  t.equal(formatMilli(4000), '4');
  t.equal(formatMilli(3500), '3500m');
  t.equal(formatBytes(16 * 2 ** 30), '16Gi');
  t.equal(formatBytes(1536 * 2 ** 20), '1536Mi');
  t.equal(formatBytes(1000), '1000');
});

t.test('tolerations: ToleratesTaint rules and the DefaultTolerationSeconds defaults', async (t) => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
  t.ok(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint));
  t.ok(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint), 'Exists, any effect');
  t.ok(toleratesTaint({ operator: 'Exists' }, taint), 'empty key with Exists tolerates everything');
  t.notOk(toleratesTaint({ key: 'dedicated', value: 'cpu' }, taint), 'value differs');
  t.notOk(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint), 'effect differs');
  t.equal(findUntoleratedTaint([taint, { key: 'x', effect: 'PreferNoSchedule' }], [], ['NoSchedule', 'NoExecute']), taint);
  t.equal(findUntoleratedTaint([{ key: 'x', effect: 'PreferNoSchedule' }], [], ['NoSchedule', 'NoExecute']), undefined, 'PreferNoSchedule does not filter');

  const plain = { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [] } };
  const defaults = podTolerations(plain);
  t.same(defaults.map((x) => [x.key, x.effect, x.tolerationSeconds]), [
    ['node.kubernetes.io/not-ready', 'NoExecute', DEFAULT_TOLERATION_SECONDS],
    ['node.kubernetes.io/unreachable', 'NoExecute', DEFAULT_TOLERATION_SECONDS],
  ]);
  const own = { ...plain, spec: { containers: [], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }] } };
  t.same(podTolerations(own).map((x) => x.tolerationSeconds), [5, DEFAULT_TOLERATION_SECONDS], 'a pod\'s own toleration is kept; only the missing one is added');
  const unreachable = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const }];
  t.equal(noExecuteToleranceS(unreachable, defaults), 300);
  t.equal(noExecuteToleranceS(unreachable, podTolerations(own)), 5);
  t.equal(noExecuteToleranceS([{ key: 'other', effect: 'NoExecute' }], defaults), 0, 'untolerated: evict now');
  t.equal(noExecuteToleranceS(unreachable, [{ operator: 'Exists' }]), Infinity, 'tolerated forever');
});

t.test('durations print as Go does', async (t) => {
  t.same([10_000, 20_000, 80_000, 160_000, 300_000, 500, 0, 3_723_000].map(goDuration), ['10s', '20s', '1m20s', '2m40s', '5m0s', '500ms', '0s', '1h2m3s']);
});
