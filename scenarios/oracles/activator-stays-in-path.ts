// knative/serving#12887 "Activator is removed from request path prematurely": a revision whose
// target-burst-capacity is -1 asks for the activator in its request path at all times. Its public
// Endpoints (the ServerlessService's public service, named like the revision, in the revision's
// namespace) must therefore only ever list activator pods, never the revision's own pods; a pod
// address there is the "direct exposure" of the issue, requests bypassing the activator's
// containerConcurrency throttling.
//
// Only revisions for which the run shows the activator standing in front of ready pods at some
// point (a sample with the ServerlessService in Proxy mode and a ready pod) are judged: that is the
// release honouring target-burst-capacity -1. A release without burst capacity (0.7) never keeps the
// activator in front of ready pods, and exposing the pods is its design, not this bug.
import type { History } from '../../src/scenario/history.js';

const TBC_KEYS = ['autoscaling.knative.dev/target-burst-capacity', 'autoscaling.knative.dev/targetBurstCapacity'];

interface Address { ip?: string; targetRef?: { kind?: string; namespace?: string; name?: string } }

export default function activatorStaysInPath(history: History): { reason: string; atMs: number; objects: string[] } | null {
  const alwaysProxied = new Set<string>();
  for (const e of history.objects) {
    if (e.kind !== 'Revision' || !e.apiVersion.startsWith('serving.knative.dev/')) continue;
    const annotations = (e.object.metadata.annotations ?? {}) as Record<string, string>;
    const key = TBC_KEYS.find((k) => Object.hasOwn(annotations, k));
    if (key !== undefined && Number(annotations[key]) === -1) alwaysProxied.add(`${e.namespace}/${e.name}`);
  }
  const honoured = new Set(history.series.filter((s) => s.sksMode === 'Proxy' && s.readyPods > 0).map((s) => `${s.namespace}/${s.revision}`));
  for (const e of history.objects) {
    if (e.kind !== 'Endpoints' || !honoured.has(`${e.namespace}/${e.name}`) || e.type === 'DELETED' || !alwaysProxied.has(`${e.namespace}/${e.name}`)) continue;
    const subsets = (e.object.subsets ?? []) as { addresses?: Address[] }[];
    const direct = subsets.flatMap((s) => s.addresses ?? []).filter((a) => a.targetRef?.kind === 'Pod' && a.targetRef.namespace === e.namespace);
    if (direct.length === 0) continue;
    return {
      reason: `public Endpoints ${e.namespace}/${e.name} listed the revision's own pod ${direct.map((a) => a.targetRef?.name ?? a.ip).join(', ')} at ${(e.atMs / 1000).toFixed(3)}s although Revision ${e.namespace}/${e.name} has target-burst-capacity -1 (activator always in the path)`,
      atMs: e.atMs,
      objects: [`Revision ${e.namespace}/${e.name}`, `Endpoints ${e.namespace}/${e.name}`],
    };
  }
  return null;
}
