// The revision garbage collector: knative/serving pkg/reconciler/gc/gc_test.go (TestCollectMin,
// TestCollectMax) on the collection decision, config-gc parsing (pkg/gc/config_test.go), and the
// reconciler deleting a stale revision through the API server.
import t from 'tap';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { formatSimTime } from '../../../src/sim/time-format.js';
import { CONFIGURATIONS, REVISIONS } from '../../../src/knative/apis/resources.js';
import { ANNOTATIONS, LABELS } from '../../../src/knative/apis/serving-labels.js';
import { DEFAULT_GC_CONFIG, GC_DISABLED, parseGcConfig, type GcConfig } from '../../../src/knative/controller/gc-config.js';
import { revisionsToCollect } from '../../../src/knative/controller/revision-gc-reconciler.js';
import { addReconcilers, find, newHarness, NS, patchStatus, run, trace } from './controller-fixtures.js';
import { revision } from './revision-fixtures.js';

const MIN = 60_000;
const NOW = 60 * MIN;
const OLD = NOW - 11 * MIN;
const OLDER = NOW - 12 * MIN;
const OLDEST = NOW - 13 * MIN;

function rev(name: string, state: 'active' | 'reserve' | 'pending' | '', o: { modifiedMs?: number; createdMs?: number; preserve?: boolean } = {}): KubeObject {
  const r = revision(name, { routingState: state === '' ? undefined : state });
  if (state === '') delete r.metadata.labels![LABELS.routingState];
  delete r.metadata.annotations![ANNOTATIONS.routingStateModified];
  if (o.modifiedMs !== undefined) r.metadata.annotations![ANNOTATIONS.routingStateModified] = formatSimTime(o.modifiedMs);
  if (o.preserve) r.metadata.annotations!['serving.knative.dev/no-gc'] = 'true';
  r.metadata.creationTimestamp = formatSimTime(o.createdMs ?? 0);
  return r;
}

const cfg = (latestReady?: string): KubeObject => ({ apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', metadata: { name: 'cfg' }, status: { latestReadyRevisionName: latestReady } });
const names = (revs: KubeObject[]): string[] => revs.map((r) => r.metadata.name!);

t.test('TestCollectMin: stale reserve revisions go, oldest first, keeping min-non-active-revisions', async (t) => {
  const c: GcConfig = { retainSinceCreateTimeMs: 5 * MIN, retainSinceLastActiveTimeMs: 5 * MIN, minNonActiveRevisions: 1, maxNonActiveRevisions: GC_DISABLED };
  const cases: [string, KubeObject, KubeObject[], string[]][] = [
    ['too few revisions', cfg('5556'), [rev('5556', 'active', { createdMs: OLD })], []],
    ['delete oldest, keep one recent, one active', cfg('5556'), [rev('5554', 'reserve', { modifiedMs: OLDEST }), rev('5555', 'reserve', { modifiedMs: OLDER }), rev('5556', 'active', { modifiedMs: OLD })], ['5554']],
    ['no latest ready, one active', cfg(), [rev('5554', 'reserve', { modifiedMs: OLDEST }), rev('5555', 'reserve', { modifiedMs: OLDER }), rev('5556', 'active', { modifiedMs: OLD })], ['5554']],
    ['keep oldest when none reserved', cfg('5556'), [rev('5554', 'pending', { createdMs: OLDEST }), rev('5555', '', { createdMs: OLDER }), rev('5556', 'active', { createdMs: OLD })], []],
    ['none stale', cfg(), [rev('5554', 'reserve', { modifiedMs: NOW }), rev('5555', 'reserve', { modifiedMs: NOW }), rev('5556', 'reserve', { modifiedMs: NOW })], []],
    ['keep oldest because of the preserve annotation', cfg(), [rev('5554', 'reserve', { modifiedMs: OLDEST, preserve: true }), rev('5555', 'reserve', { modifiedMs: OLDER }), rev('5556', 'reserve', { modifiedMs: OLD })], ['5555']],
  ];
  for (const [name, config, revs, want] of cases) t.same(names(revisionsToCollect(c, config, revs, NOW)), want, name);
});

t.test('TestCollectMax: over max-non-active-revisions the oldest non-active go even when fresh', async (t) => {
  const c: GcConfig = { retainSinceCreateTimeMs: 60 * MIN, retainSinceLastActiveTimeMs: 60 * MIN, minNonActiveRevisions: 1, maxNonActiveRevisions: 2 };
  const cases: [string, KubeObject[], string[]][] = [
    ['at max', [rev('5554', 'reserve', { modifiedMs: OLDER }), rev('5555', 'reserve', { modifiedMs: OLDER }), rev('5556', 'active', { modifiedMs: OLD })], []],
    ['delete oldest, keep three max', [rev('5553', 'reserve', { modifiedMs: OLDEST }), rev('5554', 'reserve', { modifiedMs: OLDER }), rev('5555', 'reserve', { modifiedMs: OLDER }), rev('5556', 'active', { modifiedMs: OLD })], ['5553']],
    ['over max, all active', ['5553', '5554', '5555', '5556'].map((n) => rev(n, 'active')), []],
  ];
  for (const [name, revs, want] of cases) t.same(names(revisionsToCollect(c, cfg('5556'), revs, NOW)), want, name);
});

t.test('config-gc: defaults, disabled bounds, and the min <= max rule', async (t) => {
  t.same(parseGcConfig({}), DEFAULT_GC_CONFIG);
  t.same(parseGcConfig({ 'retain-since-create-time': 'Disabled', 'max-non-active-revisions': 'disabled', 'retain-since-last-active-time': '1h' }),
    { ...DEFAULT_GC_CONFIG, retainSinceCreateTimeMs: GC_DISABLED, retainSinceLastActiveTimeMs: 3_600_000, maxNonActiveRevisions: GC_DISABLED });
  t.throws(() => parseGcConfig({ 'min-non-active-revisions': '5', 'max-non-active-revisions': '2' }), { message: /must be <= max-non-active-revisions\(2\)/ });
  t.throws(() => parseGcConfig({ 'retain-since-create-time': '-1h' }), { message: /must be non-negative/ });
  t.throws(() => parseGcConfig({ 'max-non-active-revisions': '-3' }), { name: 'ConfigError' });
});

t.test('the GC reconciler deletes a stale reserve revision through the API server and keeps the latest ready one', async (t) => {
  const h = newHarness({ config: { 'config-gc': { 'retain-since-create-time': '1m', 'retain-since-last-active-time': '1m', 'min-non-active-revisions': '0' } } });
  addReconcilers(h, ['gc']);
  const config = h.cluster.api.create(CONFIGURATIONS, { apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', metadata: { name: 'cfg', namespace: NS }, spec: { template: { spec: { containers: [{ image: 'x' }] } } } });
  patchStatus(h, CONFIGURATIONS, 'cfg', { latestReadyRevisionName: 'cfg-00002' });
  for (const [name, state] of [['cfg-00001', 'reserve'], ['cfg-00002', 'reserve']] as const) {
    const r = revision(name, { routingState: state });
    r.metadata.annotations![ANNOTATIONS.routingStateModified] = formatSimTime(0);
    r.metadata.ownerReferences = [{ apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', name: 'cfg', uid: config.metadata.uid!, controller: true }];
    h.cluster.api.create(REVISIONS, r);
  }
  run(h, 3_000);
  t.ok(find(h, REVISIONS, 'cfg-00001'), 'not stale yet');
  run(h, 2 * MIN);
  patchStatus(h, CONFIGURATIONS, 'cfg', { latestReadyRevisionName: 'cfg-00002', observedGeneration: 1 });
  run(h, 3_000);
  t.equal(find(h, REVISIONS, 'cfg-00001'), undefined, 'the stale reserve revision is gone');
  t.ok(find(h, REVISIONS, 'cfg-00002'), 'the latest ready one is kept even in reserve');
  t.same(trace(h, 'api', { verb: 'delete', res: 'revisions' }).map((l) => l.fields.name), ['cfg-00001']);
});
