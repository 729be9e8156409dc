// Kinds named in a fault (`Revision`, `PodAutoscaler`, `Deployment`, `Endpoints`, `Pod`, ...) resolved
// to the resources the API server serves, as kubectl resolves a name: kind, plural, singular or
// short name, case-insensitive, optionally group-qualified. A bare name the core group and Knative
// share resolves as kubectl does, to the first registered (`Service` is the core Service); write
// `ksvc` or `services.serving.knative.dev` for the Knative Service.

import { formatGroupResource } from '../../apiserver/api-error.js';
import type { ResourceType } from '../../apiserver/registry.js';
import type { ResourceId } from '../../apiserver/types.js';
import type { FaultCommon } from '../../scenario/types.js';
import { FaultSpecError } from '../fault-spec-error.js';
import type { FaultWorld } from '../fault-world.js';

export interface KindSet {
  /** `deployments.apps, revisions.serving.knative.dev` */
  readonly description: string;
  has(resource: Pick<ResourceId, 'group' | 'resource'>): boolean;
}

export function resolveKinds(world: FaultWorld, spec: Pick<FaultCommon, 'source'>, kinds: readonly string[], field = 'kinds'): KindSet {
  if (kinds.length === 0) throw new FaultSpecError(spec, field, 'names no kind');
  const types: ResourceType[] = kinds.map((kind, i) => {
    const type = world.cluster.api.registry.byName(kind);
    if (type === undefined) throw new FaultSpecError(spec, `${field}[${i}]`, `unknown kind ${JSON.stringify(kind)}`);
    return type;
  });
  const keys = new Set(types.map((t) => `${t.group}/${t.plural}`));
  return {
    description: [...new Set(types.map((t) => formatGroupResource({ group: t.group, resource: t.plural })))].join(', '),
    has: (res) => keys.has(`${res.group}/${res.resource}`),
  };
}
