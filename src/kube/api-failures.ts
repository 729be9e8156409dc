// How the workload controllers read API failures (k8s.io/apimachinery pkg/api/errors
// HasStatusCause; pkg/util/errors NewAggregate).

import type { Status } from '../apiserver/types.js';
import { errorMessage } from './replicaset-status.js';

/** apierrors.HasStatusCause(err, NamespaceTerminating): creates in a namespace being deleted. */
export function isNamespaceTerminating(error: unknown): boolean {
  const status = (error as { status?: Status } | undefined)?.status;
  return status?.details?.causes?.some((c) => c.type === 'NamespaceTerminating') ?? false;
}

/** utilerrors.NewAggregate: one error as is, several joined into one message. */
export function aggregate(errors: readonly unknown[]): unknown {
  if (errors.length === 1) return errors[0];
  return new Error(`[${errors.map(errorMessage).join(', ')}]`);
}
