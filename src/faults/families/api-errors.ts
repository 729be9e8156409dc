// `api-errors {component, verbs, kinds, code, probability}`: the API server answers the component's
// matching requests with a Status error, each matching request hit with `probability` (a decision of
// the chooser). The request is not applied; the refusal is seen by listeners as the server's answer
// (history writes with that code). The Status is what the API server sends for that code
// (k8s.io/apimachinery pkg/api/errors, k8s.io/apiserver):
//   403 Forbidden           NewForbidden (an authorizer or admission plugin refusing)
//   404 NotFound            NewNotFound for the requested object
//   409 Conflict            NewConflict with the optimistic-lock message, as an update racing another writer gets
//   429 TooManyRequests     the max-in-flight / priority-and-fairness filters' answer, Retry-After 1 s
//                           (pkg/endpoints/handlers/responsewriters/errors.go TooManyRequests)
//   500 InternalError       NewInternalError (e.g. a storage error)
//   503 ServiceUnavailable  NewServiceUnavailable (the server cannot serve the request now)
//   504 Timeout             NewTimeoutError from the request timeout filter (pkg/server/filters/timeout.go)

import {
  conflict, forbidden, internalError, notFound, serviceUnavailable, timeout, tooManyRequests,
} from '../../apiserver/api-error.js';
import type { Status } from '../../apiserver/types.js';
import type { RequestInfo, Verb } from '../../client/network.js';
import type { FaultSpec } from '../../scenario/types.js';
import type { ActiveFault } from '../active-fault.js';
import { FaultSpecError } from '../fault-spec-error.js';
import type { FaultWorld } from '../fault-world.js';
import { describeTarget, isTargetProcess, resolveComponent } from '../targets/component-target.js';
import { resolveKinds } from '../targets/resolve-kinds.js';

type ApiErrorsSpec = FaultSpec & { family: 'api-errors' };

const VERBS: readonly Verb[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

const STATUSES: Readonly<Record<number, (req: RequestInfo, fault: string) => Status>> = {
  403: (req, fault) => forbidden({ group: req.resource.group, resource: req.resource.resource }, req.name ?? '', `injected by fault ${fault}`).status,
  404: (req) => notFound({ group: req.resource.group, resource: req.resource.resource }, req.name ?? '').status,
  409: (req) => conflict({ group: req.resource.group, resource: req.resource.resource }, req.name ?? '').status,
  429: () => tooManyRequests('Too many requests, please try again later.', 1).status,
  500: (_req, fault) => internalError(`injected by fault ${fault}`).status,
  503: () => serviceUnavailable('the server is currently unable to handle the request').status,
  504: () => timeout('request did not complete within requested timeout - context deadline exceeded', 0).status,
};

export function createApiErrors(world: FaultWorld, spec: ApiErrorsSpec): ActiveFault {
  const target = resolveComponent(world, spec, spec.component);
  const kinds = resolveKinds(world, spec, spec.kinds);
  if (spec.verbs.length === 0) throw new FaultSpecError(spec, 'verbs', 'names no verb');
  spec.verbs.forEach((verb, i) => {
    if (!(VERBS as readonly string[]).includes(verb)) throw new FaultSpecError(spec, `verbs[${i}]`, `unknown verb ${JSON.stringify(verb)} (known: ${VERBS.join(', ')})`);
  });
  const statusFor = STATUSES[spec.code];
  if (statusFor === undefined) throw new FaultSpecError(spec, 'code', `no injected error with code ${spec.code} (known: ${Object.keys(STATUSES).join(', ')})`);
  if (!(spec.probability > 0 && spec.probability <= 1)) throw new FaultSpecError(spec, 'probability', `must be in (0, 1], got ${spec.probability}`);
  const verbs = new Set<string>(spec.verbs);
  let lift: (() => void) | undefined;
  const what = `${spec.verbs.join('/')} ${kinds.description} by ${describeTarget(target)}`;
  return {
    fire: () => {
      lift = world.cluster.network.addRequestFault({
        name: spec.id,
        match: (req) => isTargetProcess(target, req.component) && verbs.has(req.verb) && kinds.has(req.resource),
        probability: spec.probability,
        fault: { kind: 'error', status: (req) => statusFor(req, spec.id) },
      });
      return `the API server answers ${spec.probability < 1 ? `${spec.probability * 100}% of ` : ''}${what} with ${spec.code}`;
    },
    heal: () => {
      lift?.();
      return `${what} are served again`;
    },
  };
}
