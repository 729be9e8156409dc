// A demonstration controller on the client runtime: it mirrors every ConfigMap labelled
// `sleeveless.dev/mirror=true` into a Secret `<name>-mirror` owned by the ConfigMap, then marks the
// ConfigMap with the annotation `sleeveless.dev/mirrored-to`. Two writes per reconcile, so a crash
// can land between them. Written the client-go way: handlers only enqueue keys, the reconcile is
// level-based and reads the informer caches, retries are the queue's business.

import { isAlreadyExists, isNotFound } from '../apiserver/api-error.js';
import { deepEqual } from '../apiserver/deep-copy.js';
import type { KubeObject, ResourceId } from '../apiserver/types.js';
import type { ComponentContext } from '../client/component.js';
import { objectKey, splitKey } from '../client/informer.js';
import type { LeaderElector } from '../client/leader-elector.js';
import type { Proc } from '../sim/process.js';

export const CONFIGMAPS: ResourceId = { group: '', version: 'v1', resource: 'configmaps' };
export const SECRETS: ResourceId = { group: '', version: 'v1', resource: 'secrets' };
export const MIRROR_LABEL = 'sleeveless.dev/mirror';
export const MIRRORED_TO = 'sleeveless.dev/mirrored-to';

export interface MirrorOptions {
  /** Run leader election on this Lease (in kube-system); only the leader reconciles. */
  leaderElection?: { identity: string };
  /** Informer resync period (0: none). */
  resyncPeriodMs?: number;
}

function desiredSecret(cm: KubeObject): KubeObject {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries((cm.data ?? {}) as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1))) {
    data[k] = Buffer.from(v, 'utf8').toString('base64');
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `${cm.metadata.name}-mirror`,
      namespace: cm.metadata.namespace,
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: cm.metadata.name!, uid: cm.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    type: 'Opaque',
    data,
  };
}

/** Builds the mirror controller in a component. */
export function setupMirrorController(ctx: ComponentContext, options: MirrorOptions = {}): void {
  const selector = `${MIRROR_LABEL}=true`;
  const configMaps = ctx.informer(CONFIGMAPS, { labelSelector: selector, resyncPeriodMs: options.resyncPeriodMs });
  const secrets = ctx.informer(SECRETS);
  let elector: LeaderElector | undefined;

  function* reconcile(key: string): Proc<void> {
    const cm = configMaps.get(key);
    if (cm === undefined) return; // deleted: the garbage collector removes the Secret it owns
    const want = desiredSecret(cm);
    const have = secrets.get(objectKey(want));
    if (have === undefined) {
      try {
        yield* ctx.client.create(SECRETS, want);
      } catch (e) {
        if (!isAlreadyExists(e)) throw e; // our cache was behind; the next pass updates it
      }
    } else if (!deepEqual(have.data, want.data)) {
      yield* ctx.client.update(SECRETS, { ...have, data: want.data });
    }
    if (cm.metadata.annotations?.[MIRRORED_TO] !== want.metadata.name) {
      const { namespace, name } = splitKey(key);
      try {
        yield* ctx.client.patch(CONFIGMAPS, name, { metadata: { annotations: { [MIRRORED_TO]: want.metadata.name } } }, { namespace, patchType: 'merge' });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  const controller = ctx.controller({
    name: 'mirror',
    reconcile,
    shouldReconcile: () => elector === undefined || elector.isLeader,
  });
  configMaps.addHandler({
    add: (cm) => controller.enqueue(objectKey(cm)),
    update: (_old, cm) => controller.enqueue(objectKey(cm)),
  });
  // Adds too (k8s.io/sample-controller controller.go registers handleObject for AddFunc, UpdateFunc
  // and DeleteFunc of the owned kind): when the Secret cache was behind, the reconcile's create got
  // AlreadyExists and left the Secret as it was; the Secret's arrival in the cache must bring the
  // owner back, or an edit made meanwhile never reaches it.
  secrets.addHandler({
    add: (s) => enqueueOwner(s),
    update: (_old, s) => enqueueOwner(s),
    delete: (s) => enqueueOwner(s),
  });
  function enqueueOwner(secret: KubeObject): void {
    const owner = secret.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'ConfigMap');
    if (owner) controller.enqueue(`${secret.metadata.namespace}/${owner.name}`);
  }

  if (options.leaderElection) {
    elector = ctx.leaderElector({
      name: 'mirror-controller',
      namespace: 'kube-system',
      identity: options.leaderElection.identity,
      // Knative's Promote: a new leader reconciles every key it knows.
      onStartedLeading: () => { for (const key of configMaps.keys()) controller.enqueue(key); },
    });
  }
}
