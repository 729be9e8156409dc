// Makes a scenario's fault ready to act on a simulated world. Everything about the spec that can be
// wrong (an unknown component, kind, verb, node, release, error code) is checked here, before the
// run starts, and reported with the file and field (FaultSpecError); firing and healing then only
// act. Every family stays inside what Kubernetes and Knative claim to tolerate (DESIGN.md §7): a
// process crash or restart, a lost leader, a network partition, late or withheld watch events, a
// lagging cache, API errors, failing or flapping pods, refused pod creation, a lost node, a
// configuration edit, an upgrade. Each family's file says how it does it.

import type { FaultSpec } from '../scenario/types.js';
import type { ActiveFault } from './active-fault.js';
import { createApiErrors } from './families/api-errors.js';
import { createConfigMapChange } from './families/configmap-change.js';
import { createCrash } from './families/crash.js';
import { createKillLeader } from './families/kill-leader.js';
import { createNodeLoss } from './families/node-loss.js';
import { createPartition } from './families/partition.js';
import { createPodCrash } from './families/pod-crash.js';
import { createPodFailCreate } from './families/pod-fail-create.js';
import { createPodFlap } from './families/pod-flap.js';
import { createRestart } from './families/restart.js';
import { createUpgrade } from './families/upgrade.js';
import { createWatchFault } from './families/watch-faults.js';
import type { FaultWorld } from './fault-world.js';

export function createFault(world: FaultWorld, spec: FaultSpec): ActiveFault {
  switch (spec.family) {
    case 'crash': return createCrash(world, spec);
    case 'restart': return createRestart(world, spec);
    case 'kill-leader': return createKillLeader(world, spec);
    case 'partition': return createPartition(world, spec);
    case 'delay-watch':
    case 'drop-watch':
    case 'stale-view': return createWatchFault(world, spec);
    case 'api-errors': return createApiErrors(world, spec);
    case 'pod-crash': return createPodCrash(world, spec);
    case 'pod-flap': return createPodFlap(world, spec);
    case 'pod-fail-create': return createPodFailCreate(world, spec);
    case 'node-loss': return createNodeLoss(world, spec);
    case 'configmap-change': return createConfigMapChange(world, spec);
    case 'upgrade': return createUpgrade(world, spec);
  }
}
