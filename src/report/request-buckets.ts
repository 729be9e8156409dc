// Requests per time bucket: how many completed in each status class (2xx, 5xx, timeout, ...) and the
// 99th percentile latency of those that completed in the bucket. Buckets are one second wide unless
// the run is long enough that more than `maxBuckets` would be needed; then they widen in whole seconds.

import { statusClass, type RequestOutcome } from '../dataplane/request.js';

export interface RequestBuckets {
  bucketMs: number;
  /** Status classes present, in a fixed order: 2xx, 3xx, 4xx, 5xx, timeout, then any other sorted. */
  classes: string[];
  /** counts[class][bucket]. */
  counts: Record<string, number[]>;
  /** p99 latency (nearest rank) of the bucket's requests; undefined for an empty bucket. */
  p99Ms: (number | undefined)[];
  total: number;
}

const CLASS_ORDER = ['2xx', '3xx', '4xx', '5xx', 'timeout'];

function classRank(cls: string): number {
  const i = CLASS_ORDER.indexOf(cls);
  return i === -1 ? CLASS_ORDER.length : i;
}

/** Nearest-rank percentile of ascending `sorted` (non-empty). */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function bucketRequests(requests: readonly RequestOutcome[], options: { endMs: number; maxBuckets: number }): RequestBuckets {
  let endMs = Math.max(1, options.endMs);
  for (const r of requests) if (r.doneMs + 1 > endMs) endMs = r.doneMs + 1;
  const bucketMs = Math.max(1, Math.ceil(endMs / options.maxBuckets / 1000)) * 1000;
  const n = Math.max(1, Math.ceil(endMs / bucketMs));
  const counts: Record<string, number[]> = {};
  const latencies: number[][] = Array.from({ length: n }, () => []);
  for (const r of requests) {
    const cls = statusClass(r);
    const b = Math.min(n - 1, Math.max(0, Math.floor(r.doneMs / bucketMs)));
    counts[cls] ??= new Array<number>(n).fill(0);
    counts[cls][b] += 1;
    latencies[b].push(r.latencyMs);
  }
  const classes = Object.keys(counts).sort((a, b) => classRank(a) - classRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const p99Ms = latencies.map((l) => (l.length === 0 ? undefined : percentile(l.sort((a, b) => a - b), 99)));
  return { bucketMs, classes, counts, p99Ms, total: requests.length };
}
