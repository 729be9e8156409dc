// Service status transitions (knative/serving pkg/apis/serving/v1/service_lifecycle.go): the
// Service is Ready when its Configuration and its Route are; their status fields are copied up.

import type { KubeObject } from '../../apiserver/types.js';
import type { ConditionManager, Condition } from '../apis/condition-set.js';

function readyOf(obj: KubeObject): Condition | undefined {
  return (obj.status?.conditions as Condition[] | undefined)?.find((c) => c.type === 'Ready');
}

function mirror(m: ConditionManager, type: string, source: Condition | undefined): void {
  if (source === undefined) return;
  if (source.status === 'True') m.markTrue(type);
  else if (source.status === 'False') m.markFalse(type, source.reason ?? '', source.message ?? '');
  else m.markUnknown(type, source.reason ?? '', source.message ?? '');
}

function setOrDelete(status: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined || value === '') delete status[key];
  else status[key] = value;
}

/** PropagateConfigurationStatus: the latest created/ready revision names and ConfigurationsReady. */
export function propagateConfigurationStatus(service: KubeObject, m: ConditionManager, config: KubeObject): void {
  setOrDelete(service.status, 'latestReadyRevisionName', config.status?.latestReadyRevisionName);
  setOrDelete(service.status, 'latestCreatedRevisionName', config.status?.latestCreatedRevisionName);
  mirror(m, 'ConfigurationsReady', readyOf(config));
}

/** PropagateRouteStatus: url, address and traffic, and RoutesReady. */
export function propagateRouteStatus(service: KubeObject, m: ConditionManager, route: KubeObject): void {
  setOrDelete(service.status, 'url', route.status?.url);
  setOrDelete(service.status, 'address', route.status?.address);
  setOrDelete(service.status, 'traffic', route.status?.traffic);
  mirror(m, 'RoutesReady', readyOf(route));
}

export const SERVICE_REASONS = {
  configurationNotReconciled: ['OutOfDate', 'The Configuration is still working to reflect the latest desired specification.'],
  routeNotReconciled: ['OutOfDate', 'The Route is still working to reflect the latest desired specification.'],
  trafficNotMigrated: ['TrafficNotMigrated', 'Traffic is not yet migrated to the latest revision.'],
} as const;
