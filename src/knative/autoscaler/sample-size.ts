// populationMeanSampleSize of knative/serving pkg/autoscaler/metrics/sample_size.go: how many of
// a revision's N ready pods the scraper samples. N when N <= 3, else ceil(N·X / (N + X − 1)) with
// X = 1.96² · 100 / 5² (95% confidence, margin of error 5, assumed variance 100).

const CRITICAL_VALUE_SQUARED = 1.96 * 1.96;
const MARGIN_OF_ERROR_SQUARED = 5 * 5;
const POPULATION_VARIANCE = 100;
/** The sample size an unbounded population would need. */
const UNBOUNDED_SAMPLE_SIZE = CRITICAL_VALUE_SQUARED * POPULATION_VARIANCE / MARGIN_OF_ERROR_SQUARED;

export function populationMeanSampleSize(population: number): number {
  if (population <= 3) return Math.max(population, 0);
  return Math.ceil(population * UNBOUNDED_SAMPLE_SIZE / (population + UNBOUNDED_SAMPLE_SIZE - 1));
}
