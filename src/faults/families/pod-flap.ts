// `pod-flap {pods, periodMs}`: until healed, the readiness probes of matching pods fail for periodMs,
// pass for periodMs, and so on (failing first), as an app that is intermittently overloaded or loses
// a dependency; the kubelet flips the pod's Ready condition after its failure and success
// thresholds, and Endpoints follow — so a period shorter than the probe's periodSeconds ×
// failureThreshold (30 s for Knative's queue-proxy probe) never makes the pod NotReady. With `pods.count` that many pods are picked through the chooser
// when the fault fires; without it every matching pod flaps, including pods created meanwhile.
// With `probe: liveness` the liveness probes fail instead (only containers that declare one, in
// Knative the user container): after failureThreshold failures the kubelet kills the container —
// its preStop hook, Knative's /wait-for-drain, runs first — and restarts it in the same pod.

import type { PodBehaviour } from '../../kube/pod-runtime.js';
import { readinessFlapBehaviour, type PodTarget } from '../../kube/pod-faults.js';
import type { FaultSpec } from '../../scenario/types.js';
import type { ActiveFault } from '../active-fault.js';
import { FaultSpecError } from '../fault-spec-error.js';
import type { FaultWorld } from '../fault-world.js';
import { pickSome } from '../targets/pick-some.js';
import { describeSelector, podsWithRunningUserContainer, podTargetOf } from '../targets/pod-selection.js';

type PodFlapSpec = FaultSpec & { family: 'pod-flap' };

export function createPodFlap(world: FaultWorld, spec: PodFlapSpec): ActiveFault {
  if (!(spec.periodMs > 0)) throw new FaultSpecError(spec, 'periodMs', 'must be a positive duration');
  const { count } = spec.pods;
  if (count !== undefined && !(Number.isInteger(count) && count >= 1)) throw new FaultSpecError(spec, 'pods.count', `must be a whole number ≥ 1, got ${count}`);
  const releases: (() => void)[] = [];
  const probe = spec.probe ?? 'readiness';
  let firedAtMs = 0;
  const flap = (target: PodTarget): PodBehaviour => readinessFlapBehaviour(target, { mode: 'alternate', periodMs: spec.periodMs, startMs: () => firedAtMs, probe });
  return {
    fire: () => {
      firedAtMs = world.cluster.sim.nowMs;
      if (count === undefined) {
        releases.push(world.kube.runtime.register(flap(podTargetOf(spec.pods)), { first: true }));
        return `${probe} of every pod in ${describeSelector(spec.pods)} flaps every ${spec.periodMs} ms`;
      }
      const picked = pickSome(world.cluster.sim.choices(`fault/${spec.id}/victims`), podsWithRunningUserContainer(world, spec.pods), count);
      for (const pod of picked) releases.push(world.kube.runtime.register(flap({ uid: pod.uid }), { first: true }));
      if (picked.length === 0) return `no running pod matches ${describeSelector(spec.pods)}`;
      return `${probe} of ${picked.map((p) => p.name).join(', ')} flaps every ${spec.periodMs} ms`;
    },
    heal: () => {
      for (const release of releases.splice(0)) release();
      return `${probe} probes answer normally again`;
    },
  };
}
