// `configmap-change {namespace, name, data}`: a person edits a ConfigMap (`kubectl edit`: a GET,
// then a merge PATCH of the changed data keys), writing as the `user` client. Components watching
// it (Knative's config stores: config-autoscaler, config-deployment, ...) pick the change up from
// their informers. The heal, when durationMs is given, edits it back once the first edit has
// answered: keys that had a value get it again, keys the edit added are removed (merge-patch null).
// A refused edit (no such ConfigMap) is recorded as a failed fault action, and then there is
// nothing to restore.

import type { KubeObject } from '../../apiserver/types.js';
import { CONFIGMAPS } from '../../kube/resources.js';
import type { FaultSpec } from '../../scenario/types.js';
import type { ActiveFault } from '../active-fault.js';
import { FaultSpecError } from '../fault-spec-error.js';
import type { FaultWorld } from '../fault-world.js';
import { UserSession } from '../targets/user-actions.js';

type ConfigMapChangeSpec = FaultSpec & { family: 'configmap-change' };

export function createConfigMapChange(world: FaultWorld, spec: ConfigMapChangeSpec): ActiveFault {
  const keys = Object.keys(spec.data).sort();
  if (keys.length === 0) throw new FaultSpecError(spec, 'data', 'changes no key');
  const where = `ConfigMap ${spec.namespace}/${spec.name}`;
  const opts = { namespace: spec.namespace, patchType: 'merge' } as const;
  const user = new UserSession(world, spec.id);
  /** The values before the edit (null: the key was absent), once the edit has been applied. */
  let previous: Record<string, string | null> | undefined;
  return {
    fire: () => {
      user.run([{
        what: `edit ${where}`,
        run: function* (client) {
          const current: KubeObject = yield* client.get(CONFIGMAPS, spec.name, { namespace: spec.namespace });
          const data: Record<string, string> = current.data ?? {};
          const before = Object.fromEntries(keys.map((k) => [k, Object.hasOwn(data, k) ? data[k] : null]));
          yield* client.patch(CONFIGMAPS, spec.name, { data: spec.data }, opts);
          previous = before;
        },
      }]);
      return `user edits ${where}: ${keys.map((k) => `${k}=${JSON.stringify(spec.data[k])}`).join(', ')}`;
    },
    heal: () => {
      user.run([{
        what: `restore ${where}`,
        run: function* (client) {
          if (previous === undefined) return;
          yield* client.patch(CONFIGMAPS, spec.name, { data: previous }, opts);
        },
      }]);
      return `user restores ${where}: ${keys.join(', ')} as before the edit`;
    },
  };
}
