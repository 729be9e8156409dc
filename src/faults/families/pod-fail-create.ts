// `pod-fail-create {namespace, message}`: until healed, every pod creation in the namespace is
// refused as by a validating or mutating admission webhook on pods whose call fails while its
// failurePolicy is Fail: the API server answers 500 InternalError, `failed calling webhook "<name>":
// <message>` (k8s.io/apiserver pkg/admission/plugin/webhook/validating/dispatcher.go and
// mutating/dispatcher.go wrap the call error, pkg/util/webhook/error.go ErrCallingWebhook, in
// apierrors.NewInternalError). A webhook that answers and denies would give 400 or its own code
// instead; the fault models the common outage: the webhook's backend is gone. The ReplicaSet controller records FailedCreate and sets its
// ReplicaFailure condition, which the Deployment copies; Knative's revision reconciler sees the
// Deployment's failure.

import { internalError } from '../../apiserver/api-error.js';
import { refusePodCreation } from '../../kube/pod-faults.js';
import type { FaultSpec } from '../../scenario/types.js';
import type { ActiveFault } from '../active-fault.js';
import { FaultSpecError } from '../fault-spec-error.js';
import type { FaultWorld } from '../fault-world.js';

type PodFailCreateSpec = FaultSpec & { family: 'pod-fail-create' };

export function createPodFailCreate(world: FaultWorld, spec: PodFailCreateSpec): ActiveFault {
  if (spec.namespace === '') throw new FaultSpecError(spec, 'namespace', 'is empty');
  const webhook = `${spec.id}.faults.sleeveless.dev`;
  const status = internalError(`failed calling webhook ${JSON.stringify(webhook)}: ${spec.message}`).status;
  let lift: (() => void) | undefined;
  return {
    fire: () => {
      lift = refusePodCreation(world.cluster, { name: spec.id, namespace: spec.namespace, status });
      return `pod creation in ${spec.namespace} fails: webhook ${webhook} (failurePolicy Fail) cannot be called`;
    },
    heal: () => {
      lift?.();
      return `pod creation in ${spec.namespace} works again`;
    },
  };
}
