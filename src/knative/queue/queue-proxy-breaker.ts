// The queue-proxy's breaker parameters (knative/serving pkg/queue/sharedmain/main.go buildBreaker):
// none when containerConcurrency is 0 (no limit); otherwise CC executing and 10·CC waiting, so a pod
// holds at most 11·CC requests and turns the rest away with 503 (pkg/queue/handler.go).

import type { BreakerOptions } from './breaker.js';

export function queueProxyBreakerOptions(containerConcurrency: number): BreakerOptions | undefined {
  if (containerConcurrency < 1) return undefined;
  return {
    queueDepth: 10 * containerConcurrency,
    maxConcurrency: containerConcurrency,
    initialCapacity: containerConcurrency,
  };
}
