// Which backend can inject which fault family. The simulator does every family (src/faults). A real
// cluster is perturbed only from outside Knative, through the Kubernetes API — and on kind also
// through Docker, which runs the nodes — so families that need to stand between a component and the
// API server, or inside a process, are refused up front, naming the backend (DESIGN.md, real-cluster
// backends).
//
// | family           | sim | kind                                         | cluster                                   |
// |------------------|-----|----------------------------------------------|-------------------------------------------|
// | crash            | yes | yes: force-delete one pod (grace 0)          | yes: same                                 |
// | restart          | yes | yes: delete the component's pods             | yes: same                                 |
// | kill-leader      | yes | yes: read the Leases, force-delete the holder| yes: same                                 |
// | partition        | yes | no: needs a proxy or NetworkPolicy enforcement on the API server path | no: same    |
// | delay-watch      | yes | no: needs a proxy between component and API server | no: same                            |
// | drop-watch       | yes | no: same                                     | no: same                                  |
// | stale-view       | yes | no: same                                     | no: same                                  |
// | api-errors       | yes | no: same                                     | no: same                                  |
// | pod-crash        | yes | yes: stop the container with crictl on its node (docker exec) | no: no node access, and kubectl exec needs a shell in the image |
// | pod-flap         | yes | no: probe answers come from the user's app   | no: same                                  |
// | pod-fail-create  | yes | yes: a pod webhook (failurePolicy Fail) with no endpoints | yes: same                    |
// | node-loss        | yes | yes: docker stop the node's container        | no: needs the machine's provider          |
// | configmap-change | yes | yes: kubectl patch                           | yes: same                                 |
// | upgrade          | yes | yes: apply the pinned release's manifests    | yes: same                                 |
//
// A real crash differs from the simulator's in one way: the pod is replaced (new name and IP), not
// restarted in place. Faults on the Kubernetes components (kube-controller-manager, kube-scheduler,
// kubelets) are possible on kind (its control-plane node is a container) and not on a managed
// cluster; the runner checks the component, this table the family.

import type { FaultFamily } from '../scenario/types.js';

export type Backend = 'sim' | 'kind' | 'cluster';

const PROXY = 'needs the simulator: it stands between the component and the API server, which a real-cluster backend cannot do without a proxy in that path';

const UNSUPPORTED: Readonly<Record<FaultFamily, Partial<Record<Exclude<Backend, 'sim'>, string>>>> = {
  'crash': {},
  'restart': {},
  'kill-leader': {},
  'partition': { kind: PROXY, cluster: PROXY },
  'delay-watch': { kind: PROXY, cluster: PROXY },
  'drop-watch': { kind: PROXY, cluster: PROXY },
  'stale-view': { kind: PROXY, cluster: PROXY },
  'api-errors': { kind: PROXY, cluster: PROXY },
  'pod-crash': { cluster: 'needs the simulator or kind: killing a user container takes node access (crictl), and kubectl exec needs a shell in the image' },
  'pod-flap': {
    kind: 'needs the simulator: readiness answers come from the user\'s app, which a real cluster cannot make fail',
    cluster: 'needs the simulator: readiness answers come from the user\'s app, which a real cluster cannot make fail',
  },
  'pod-fail-create': {},
  'node-loss': { cluster: 'needs the simulator or kind: stopping a node takes its machine\'s provider' },
  'configmap-change': {},
  'upgrade': {},
};

/** null when `backend` can inject `family`, else why not. */
export function faultSupport(family: FaultFamily, backend: Backend): string | null {
  if (backend === 'sim') return null;
  const why = UNSUPPORTED[family][backend];
  return why === undefined ? null : `${family} is not supported on ${backend}: ${why}`;
}
