// Scaling a Deployment that is not rolling out, or is paused, or is scaled in the middle of a
// rollout (k8s.io/kubernetes pkg/controller/deployment/sync.go scale): as a pure plan.
// - One active ReplicaSet (or none: the newest) takes the whole of spec.replicas.
// - A saturated new ReplicaSet: every old one goes to 0.
// - Otherwise, for RollingUpdate, the difference between spec.replicas + maxSurge and the replicas
//   of the active ReplicaSets is shared out in proportion to each one's size against the
//   max-replicas annotation it was last scaled with (GetProportion), largest first (newest first
//   among equals when adding, oldest first when removing); the rounding leftover goes to the first.
//   Every active ReplicaSet is written, also when only its replicas annotations change.

import type { KubeObject } from '../apiserver/types.js';
import { findActiveOrLatest, getProportion, getReplicaCountForReplicaSets, isSaturated } from './deployment-util.js';
import { bySizeNewer, bySizeOlder, filterActiveReplicaSets } from './replicaset-order.js';
import { specReplicas } from './replicaset-status.js';
import { isRollingUpdate, maxSurge } from './rolling-fenceposts.js';

export interface ProportionalStep {
  rs: KubeObject;
  replicas: number;
  /**
   * 'up' / 'down' / '' : written as scaleReplicaSet does (also for annotations alone);
   * undefined: as scaleReplicaSetAndRecordEvent does (only when the size changes).
   */
  operation?: string;
}

/** The writes `scale` would make, in order. Sorts `oldRSs` newest first, as upstream does. */
export function planScale(d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[]): ProportionalStep[] {
  const replicas = specReplicas(d);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest !== undefined) {
    return specReplicas(activeOrLatest) === replicas ? [] : [{ rs: activeOrLatest, replicas }];
  }
  if (isSaturated(d, newRS)) return filterActiveReplicaSets(oldRSs).map((rs) => ({ rs, replicas: 0 }));
  if (!isRollingUpdate(d)) return [];
  const allRSs = filterActiveReplicaSets([...oldRSs, newRS]);
  const allowedSize = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowedSize - getReplicaCountForReplicaSets(allRSs);
  let operation = '';
  if (toAdd > 0) {
    allRSs.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    allRSs.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = allRSs.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const proportion = getProportion(rs, d, toAdd, added);
    added += proportion;
    return specReplicas(rs) + proportion;
  });
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
  return allRSs.map((rs, i) => ({ rs, replicas: sizes[i], operation }));
}
