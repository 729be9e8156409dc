// The labeler's metadata patches (knative/serving pkg/reconciler/labeler/accessors.go
// makeMetadataPatch, updateRouteAnnotation, markRoutingState): a merge patch that adds or removes
// the Route's name in the `serving.knative.dev/routes` annotation (a sorted comma-separated list;
// null deletes it when the last route goes) and, for Revisions, moves the routingState label to
// `active` when some route is listed or `reserve` when none is, stamping routingStateModified.

import type { KubeObject } from '../../apiserver/types.js';
import { formatSimTime } from '../../sim/time-format.js';
import { ANNOTATIONS, LABELS } from '../apis/serving-labels.js';
import { listAnnotation } from './service-resources.js';

export interface MetadataPatch {
  metadata: { labels?: Record<string, string | null>; annotations?: Record<string, string | null> };
}

function routeAnnotationDiff(obj: KubeObject, routeName: string, remove: boolean): Record<string, string | null> {
  const routes = listAnnotation(obj.metadata.annotations, ANNOTATIONS.routes);
  const has = routes.has(routeName);
  if (has && remove) {
    if (routes.size === 1) return { [ANNOTATIONS.routes]: null };
    routes.delete(routeName);
    return { [ANNOTATIONS.routes]: [...routes].sort().join(',') };
  }
  if (!has && !remove) {
    routes.add(routeName);
    return { [ANNOTATIONS.routes]: [...routes].sort().join(',') };
  }
  return {};
}

/** makeMetadataPatch; null when nothing would change. */
export function makeMetadataPatch(obj: KubeObject, options: { routeName: string; remove: boolean; routingState: boolean; nowMs: number }): MetadataPatch | null {
  const annotations = routeAnnotationDiff(obj, options.routeName, options.remove);
  const labels: Record<string, string> = {};
  if (options.routingState) {
    let hasRoute = (obj.metadata.annotations?.[ANNOTATIONS.routes] ?? '') !== '';
    if (Object.hasOwn(annotations, ANNOTATIONS.routes)) hasRoute = annotations[ANNOTATIONS.routes] !== null;
    const want = hasRoute ? 'active' : 'reserve';
    if (obj.metadata.labels?.[LABELS.routingState] !== want) {
      labels[LABELS.routingState] = want;
      annotations[ANNOTATIONS.routingStateModified] = formatSimTime(options.nowMs);
    }
  }
  const metadata: MetadataPatch['metadata'] = {};
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  return Object.keys(metadata).length > 0 ? { metadata } : null;
}
