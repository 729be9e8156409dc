// populationMeanSampleSize, ported from knative/serving pkg/autoscaler/metrics/sample_size_test.go
// TestPopulationMeanSampleSize (every row), plus the boundary at N = 3.
import t from 'tap';
import { populationMeanSampleSize } from '../../../src/knative/autoscaler/sample-size.js';

t.test('TestPopulationMeanSampleSize', async (t) => {
  const rows: [number, number][] = [[0, 0], [1, 1], [2, 2], [5, 4], [10, 7], [100, 14], [1000, 16]];
  for (const [population, want] of rows) t.equal(populationMeanSampleSize(population), want, `N=${population}`);
});

t.test('everyone is sampled up to 3 pods; 4 pods need 4 samples', async (t) => {
  t.equal(populationMeanSampleSize(3), 3);
  t.equal(populationMeanSampleSize(4), 4);
  t.equal(populationMeanSampleSize(25), 10);
  t.equal(populationMeanSampleSize(30), 11);
});
