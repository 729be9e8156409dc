// Faults on what a component's informers see, all through the network's watch-delivery hook (every
// watch event passes it on its way to a client):
// - `delay-watch {component, kinds, delayMs}`: events of those kinds reach the component delayMs
//   late; the stream is ordered, so everything behind a delayed event waits too;
// - `drop-watch {component, kinds}`: events of those kinds are withheld until healed; then the
//   component gets each object's latest state it has not yet seen (Sieve's unobserved-state
//   perturbation, inside the watch contract: intermediate states are lost, final ones never are),
//   and a relist in between (a restart, a 410) reads the current state anyway;
// - `stale-view {component, lagMs}`: every event reaches the component lagMs late: its informer
//   caches trail the API server by lagMs, as behind an API server whose watch cache lags etcd. A
//   relist reads the server's current state (lists are not served from a lagging cache here, so a
//   restart does not travel back in time).
// The rules match the component's processes by name at each delivery, so a Knative component's
// pods created while the fault lasts are affected too.

import type { DeliveryFaultRule } from '../../client/network.js';
import type { FaultSpec } from '../../scenario/types.js';
import type { ActiveFault } from '../active-fault.js';
import type { FaultWorld } from '../fault-world.js';
import { describeTarget, isTargetProcess, resolveComponent } from '../targets/component-target.js';
import { resolveKinds } from '../targets/resolve-kinds.js';
import { FaultSpecError } from '../fault-spec-error.js';

type WatchSpec = FaultSpec & { family: 'delay-watch' | 'drop-watch' | 'stale-view' };

export function createWatchFault(world: FaultWorld, spec: WatchSpec): ActiveFault {
  const target = resolveComponent(world, spec, spec.component);
  const who = describeTarget(target);
  let rule: DeliveryFaultRule;
  let what: string;
  if (spec.family === 'stale-view') {
    if (!(spec.lagMs > 0)) throw new FaultSpecError(spec, 'lagMs', 'must be a positive duration');
    rule = { name: spec.id, match: (d) => isTargetProcess(target, d.component), fault: { kind: 'delay', extraMs: spec.lagMs } };
    what = `${who}'s informers trail the API server by ${spec.lagMs} ms`;
  } else {
    const kinds = resolveKinds(world, spec, spec.kinds);
    const match: DeliveryFaultRule['match'] = (d) => isTargetProcess(target, d.component) && kinds.has(d.resource);
    if (spec.family === 'delay-watch') {
      if (!(spec.delayMs > 0)) throw new FaultSpecError(spec, 'delayMs', 'must be a positive duration');
      rule = { name: spec.id, match, fault: { kind: 'delay', extraMs: spec.delayMs } };
      what = `watch events of ${kinds.description} reach ${who} ${spec.delayMs} ms late`;
    } else {
      rule = { name: spec.id, match, fault: { kind: 'drop' } };
      what = `watch events of ${kinds.description} are withheld from ${who}`;
    }
  }
  let lift: (() => void) | undefined;
  return {
    fire: () => {
      lift = world.cluster.network.addDeliveryFault(rule);
      return what;
    },
    heal: () => {
      lift?.();
      return spec.family === 'drop-watch' ? `released the withheld watch events to ${who} (latest state of each object)` : `${who}'s watch events are on time again`;
    },
  };
}
