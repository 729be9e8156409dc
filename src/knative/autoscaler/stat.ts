// The metric sample a queue-proxy (or the activator) reports, as far as the autoscaler uses it
// (knative/serving pkg/autoscaler/metrics/stat.proto, and Stat.add / Stat.average of collector.go).

export interface Stat {
  /** The reporting pod; the scraper's combined stat is named SCRAPER_POD_NAME. */
  podName?: string;
  averageConcurrentRequests: number;
  /** Concurrency of requests that came through the activator (which reports them itself). */
  averageProxiedConcurrentRequests: number;
  requestCount: number;
  proxiedRequestCount: number;
  /** Seconds since the reporting process started. */
  processUptimeS?: number;
}

/** stats_scraper.go scraperPodName. */
export const SCRAPER_POD_NAME = 'service-scraper';

const FIELDS = ['averageConcurrentRequests', 'averageProxiedConcurrentRequests', 'requestCount', 'proxiedRequestCount'] as const;

/** emptyStat: what a scrape of zero pods returns; the collector records nothing for it. */
export function isEmptyStat(stat: Stat): boolean {
  return FIELDS.every((field) => stat[field] === 0)
    && (stat.podName === undefined || stat.podName === '')
    && (stat.processUptimeS === undefined || stat.processUptimeS === 0);
}

/** Σ of `stats` per field, then / sample × total (Stat.add, Stat.average), named after the scraper. */
export function extrapolateStats(stats: readonly Stat[], sample: number, total: number): Stat {
  const out: Stat = { podName: SCRAPER_POD_NAME, averageConcurrentRequests: 0, averageProxiedConcurrentRequests: 0, requestCount: 0, proxiedRequestCount: 0 };
  for (const stat of stats) for (const field of FIELDS) out[field] += stat[field];
  for (const field of FIELDS) out[field] = out[field] / sample * total;
  return out;
}
