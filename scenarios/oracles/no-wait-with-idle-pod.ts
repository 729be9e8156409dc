// For scenarios/serving-11532.yaml: its load is a closed loop of as many users as the revision has
// request slots (2 users; 2 pods pinned by min-scale = max-scale, containerConcurrency 1), each
// request taking 500 ms in the app. Every request can then be served the moment it arrives, so a
// request that took longer than its service time plus the hops (ingress → activator → queue-proxy
// → app and back, well under 250 ms in the simulated network) waited for a pod while the other pod
// had nothing to do: the activators' subsets, not the capacity, held it back.
import type { History } from '../../src/scenario/history.js';

const SERVICE_MS = 500;
const HOPS_SLACK_MS = 250;
/** The revision is up with both pods well before the load starts; requests before this are not judged. */
const JUDGE_FROM_MS = 60_000;

export default function noWaitWithIdlePod(history: History): { reason: string; atMs: number; objects: string[] } | null {
  const waited = history.requests.filter((r) => r.arrivalMs >= JUDGE_FROM_MS && r.status === 200 && r.latencyMs > SERVICE_MS + HOPS_SLACK_MS);
  if (waited.length === 0) return null;
  const first = waited.reduce((a, b) => (b.doneMs < a.doneMs ? b : a));
  return {
    reason: `${waited.length} requests waited for a pod although the load never exceeded the revision's free slots; the first arrived at ${first.arrivalMs} ms, went through activator ${first.activator ?? '?'} to pod ${first.pod ?? '?'} and took ${first.latencyMs} ms (service time ${SERVICE_MS} ms)`,
    atMs: first.doneMs,
    objects: [`Revision default/${first.revision ?? 'hello-00001'}`],
  };
}
