import t from 'tap';
import { downsampleSteps, type StepPoint } from '../../src/report/downsample.js';

t.test('downsampleSteps drops repeated values without changing the step line', async (t) => {
  const points: StepPoint[] = [0, 1, 1, 1, 2, 2, undefined, undefined, 2].map((value, i) => ({ atMs: i * 1000, value }));
  t.same(downsampleSteps(points, 100), [
    { atMs: 0, value: 0 }, { atMs: 1000, value: 1 }, { atMs: 4000, value: 2 }, { atMs: 6000, value: undefined }, { atMs: 8000, value: 2 },
  ]);
});

t.test('downsampleSteps keeps a one-sample dip in a noisy series it must thin to the budget', async (t) => {
  const points: StepPoint[] = [];
  for (let i = 0; i < 20_000; i += 1) points.push({ atMs: i * 1000, value: i === 12_345 ? 0 : 3 + (i % 2) });
  const thinned = downsampleSteps(points, 600);
  t.ok(thinned.length <= 600, `${thinned.length} points`);
  t.ok(thinned.some((p) => p.value === 0 && p.atMs === 12_345_000), 'the dip survives');
  t.same(thinned.map((p) => p.atMs), [...thinned.map((p) => p.atMs)].sort((a, b) => a - b), 'still in time order');
  t.ok(thinned.some((p) => p.value === 4) && thinned.some((p) => p.value === 3), 'both ends of the noise band stay');
});

t.test('downsampleSteps keeps a gap (no value) inside a thinned bucket', async (t) => {
  const points: StepPoint[] = [];
  for (let i = 0; i < 5000; i += 1) points.push({ atMs: i, value: i === 2500 ? undefined : i % 7 });
  t.ok(downsampleSteps(points, 300).some((p) => p.value === undefined));
});
