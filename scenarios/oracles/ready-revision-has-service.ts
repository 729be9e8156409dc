// ready-revision-has-service: a Revision reports Ready only once it can be served. When a Revision
// first turns Ready=True, the Configuration makes it its latest ready revision and the Route sends
// it traffic through the Kubernetes Service it serves behind: the one its status.serviceName names
// (Knative before v0.21, where the Route took the backend from that field; since, the Service named
// after the Revision). That Service must exist at that moment; a Revision that is Ready with an
// empty or missing service sends the Route's traffic nowhere (net-istio fails the KIngress,
// "Ingress reconciliation failed"; net-kourier drops the split) while the ksvc heads for Ready.
//
// knative/serving#8971: with initial scale 0 the KPA of 0.17 marked ScaleTargetInitialized in its
// first status, written before the ServerlessService had its public Service, so the Revision turned
// Ready with an empty service name.
//
// Read from the history: Services (core v1) added and deleted, and every Revision version.
import type { History } from '../../src/scenario/history.js';

interface Violation { reason: string; atMs: number; objects: string[] }

interface Condition { type: string; status: string }

function format(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

export default function readyRevisionHasService(history: History): Violation | null {
  const services = new Set<string>();
  const judged = new Set<string>();
  for (const e of history.objects) {
    if (e.kind === 'Service' && e.apiVersion === 'v1') {
      const key = `${e.namespace}/${e.name}`;
      if (e.type === 'DELETED') services.delete(key);
      else services.add(key);
      continue;
    }
    if (e.kind !== 'Revision' || !e.apiVersion.startsWith('serving.knative.dev/') || e.type === 'DELETED') continue;
    const key = `${e.namespace}/${e.name}`;
    if (judged.has(key)) continue;
    const status = (e.object.status ?? {}) as { conditions?: Condition[]; serviceName?: string; observedGeneration?: number };
    const ready = status.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && status.observedGeneration === e.object.metadata.generation;
    if (!ready) continue;
    judged.add(key);
    const serviceName = status.serviceName ?? e.name;
    if (serviceName !== '' && services.has(`${e.namespace}/${serviceName}`)) continue;
    const what = serviceName === '' ? 'with an empty status.serviceName' : `while its Service ${e.namespace}/${serviceName} did not exist`;
    return {
      reason: `Revision ${key} turned Ready at ${format(e.atMs)} ${what}: the Route sends its traffic to a backend that cannot serve`,
      atMs: e.atMs,
      objects: [`Revision ${key}`],
    };
  }
  return null;
}
