// `partition <component>`: the component's processes are cut off from the network until healed, as
// a node-level network cut or a deny-all NetworkPolicy on its pods would: their API requests time
// out and their watch streams break (the client notices when its read times out, then relists and
// backs off while the cut lasts), and on the data plane their pod IPs are unreachable both ways
// (the autoscaler cannot scrape or take activator stats, an activator cannot be reached or reach
// revision pods). The kubelet's probes are local to the node and still pass, so the pods stay
// Ready. For a Knative component the cut covers the pods that exist when it fires (a replacement
// pod created during the partition gets through); a Kubernetes component is one process (a
// partitioned kubelet stops renewing its node's Lease, so the node goes NotReady).

import type { FaultSpec } from '../../scenario/types.js';
import type { ActiveFault } from '../active-fault.js';
import type { FaultWorld } from '../fault-world.js';
import { describeTarget, isTargetProcess, resolveComponent, systemPods } from '../targets/component-target.js';

type PartitionSpec = FaultSpec & { family: 'partition' };

export function createPartition(world: FaultWorld, spec: PartitionSpec): ActiveFault {
  const target = resolveComponent(world, spec, spec.component);
  const { network } = world.cluster;
  const { http } = world.serving.system;
  let processes: string[] = [];
  let ips: string[] = [];
  return {
    fire: () => {
      processes = world.cluster.components().map((c) => c.name).filter((name) => isTargetProcess(target, name)).sort();
      ips = target.kind === 'knative' ? systemPods(world, target.app, { running: false }).map((p) => p.ip) : [];
      for (const name of processes) network.setPartitioned(name, true);
      for (const ip of ips) http.setBlocked(ip, true);
      const what = target.kind === 'knative' ? `${describeTarget(target)} processes ${processes.join(', ')}` : describeTarget(target);
      return `partitioned ${what} from the API server${ips.length > 0 ? ` and pod IPs ${ips.join(', ')} from their peers` : ''}`;
    },
    heal: () => {
      for (const name of processes) network.setPartitioned(name, false);
      for (const ip of ips) http.setBlocked(ip, false);
      return `healed the partition of ${describeTarget(target)}`;
    },
  };
}
