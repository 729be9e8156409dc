// `pod-crash {pods}`: the user container of `count` (default 1) matching pods exits with code 1,
// the victims picked through the chooser among the matching pods whose user container runs. The
// kubelet restarts it in the same pod (restartCount + 1; CrashLoopBackOff on repeats), the pod is
// NotReady meanwhile, and Knative's queue-proxy sees its app gone. With durationMs the container
// crashes again at every start until healed (as an app failing at start-up does), so the kubelet's
// back-off holds it down; the heal lets the next restart stay up.

import { crashLoopBehaviour } from '../../kube/pod-faults.js';
import type { FaultSpec } from '../../scenario/types.js';
import type { ActiveFault } from '../active-fault.js';
import { FaultSpecError } from '../fault-spec-error.js';
import type { FaultWorld } from '../fault-world.js';
import { pickSome } from '../targets/pick-some.js';
import { describeSelector, podsWithRunningUserContainer } from '../targets/pod-selection.js';

type PodCrashSpec = FaultSpec & { family: 'pod-crash' };

export function createPodCrash(world: FaultWorld, spec: PodCrashSpec): ActiveFault {
  const count = spec.pods.count ?? 1;
  if (!(Number.isInteger(count) && count >= 1)) throw new FaultSpecError(spec, 'pods.count', `must be a whole number ≥ 1, got ${count}`);
  const holdDown = spec.durationMs !== undefined;
  const releases: (() => void)[] = [];
  let victims: string[] = [];
  return {
    fire: () => {
      const candidates = podsWithRunningUserContainer(world, spec.pods);
      const picked = pickSome(world.cluster.sim.choices(`fault/${spec.id}/victims`), candidates, count);
      for (const pod of picked) {
        if (holdDown) {
          releases.push(world.kube.runtime.register(crashLoopBehaviour({ uid: pod.uid, container: pod.container }, { crashAfterMs: 0, exitCode: 1 }), { first: true }));
        }
        world.kube.runtime.exitContainer(pod.uid, pod.container, { exitCode: 1 });
      }
      victims = picked.map((p) => p.name);
      if (picked.length === 0) return `no pod with a running user container matches ${describeSelector(spec.pods)}`;
      const what = picked.map((p) => `${p.name}/${p.container} on ${p.nodeName} (restart ${p.restartCount})`).join(', ');
      const short = picked.length < count ? ` (only ${picked.length} of ${count} matched)` : '';
      return `crashed ${what}${short}${holdDown ? '; they crash again at every start until healed' : ''}`;
    },
    heal: () => {
      for (const release of releases.splice(0)) release();
      return victims.length === 0 ? 'nothing was crashed' : `${victims.join(', ')} may start again (at the kubelet's next back-off restart)`;
    },
  };
}
