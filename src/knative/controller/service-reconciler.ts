// The Service reconciler (knative/serving pkg/reconciler/service/service.go, controller.go): it
// creates or clobbers the Configuration and the Route named after the Service, then reflects their
// status: ConfigurationsReady from the Configuration once it has observed its generation (else
// OutOfDate), RoutesReady likewise from the Route, and RoutesReady Unknown (TrafficNotMigrated)
// while the Route's status traffic is not yet its spec traffic with the Configuration resolved to
// its latest ready revision. A BYO revision name held by a conflicting Revision stops it with
// RevisionNameTaken. It is enqueued by its Services and by the Configurations and Routes it controls.

import { deepCopy } from '../../apiserver/deep-copy.js';
import type { KubeObject } from '../../apiserver/types.js';
import type { Informer } from '../../client/informer.js';
import type { Proc } from '../../sim/process.js';
import { CONFIGURATIONS, KSERVICES, REVISIONS, ROUTES } from '../apis/resources.js';
import { LABELS } from '../apis/serving-labels.js';
import { conditionsOf } from '../reconciler/generated-reconciler.js';
import { controllerKey, isControlledBy } from './owner-refs.js';
import { cached, startReconciler, type ReconcilerHost, type StartedReconciler } from './reconciler-host.js';
import { semanticEqual } from './semantic-equal.js';
import { makeConfiguration, makeRoute } from './service-resources.js';
import { propagateConfigurationStatus, propagateRouteStatus, SERVICE_REASONS } from './service-status.js';
import { SERVICE_CONDITIONS } from './serving-conditions.js';
import { defaultConfigurationSpec, defaultRouteSpec, defaultServiceSpec } from './webhook-defaults.js';

export function setupServiceController(host: ReconcilerHost): StartedReconciler {
  const { ctx, configs } = host;
  const configurations = ctx.informer(CONFIGURATIONS);
  const routes = ctx.informer(ROUTES);
  const revisions = ctx.informer(REVISIONS);
  const conditions = (svc: KubeObject) => conditionsOf(ctx.sim, SERVICE_CONDITIONS, svc);

  function* childOf(kind: 'Configuration' | 'Route', service: KubeObject): Proc<KubeObject> {
    const informer = kind === 'Configuration' ? configurations : routes;
    const res = kind === 'Configuration' ? CONFIGURATIONS : ROUTES;
    const existing = cached(informer, service.metadata.namespace, service.metadata.name!);
    const desired = kind === 'Configuration' ? makeConfiguration(service, existing) : makeRoute(service);
    if (existing === undefined) return yield* ctx.client.create(res, desired);
    if (!isControlledBy(existing, service)) {
      const which = kind === 'Configuration' ? 'ConfigurationsReady' : 'RoutesReady';
      conditions(service).markFalse(which, 'NotOwned', `There is an existing ${kind} "${existing.metadata.name}" that we do not own.`);
      throw new Error(`service: "${service.metadata.name}" does not own ${kind.toLowerCase()}: "${existing.metadata.name}"`);
    }
    // Upstream deep-copies the child; only its spec (defaulted here) and metadata's top level (labels
    // and annotations replaced below) are written, so the rest stays the cache's frozen object (the
    // API server copies what it is sent).
    const have: KubeObject = { ...existing, metadata: { ...existing.metadata } };
    if (existing.spec !== undefined) have.spec = deepCopy(existing.spec);
    if (kind === 'Configuration') defaultConfigurationSpec((have.spec ??= {}), configs.current.defaults, have.metadata.name!);
    else defaultRouteSpec((have.spec ??= {}), { withDefaultConfiguration: false });
    const same = semanticEqual(desired.spec, have.spec) && semanticEqual(desired.metadata.labels, have.metadata.labels)
      && semanticEqual(desired.metadata.annotations, have.metadata.annotations);
    if (same) return existing;
    have.spec = desired.spec;
    have.metadata.labels = desired.metadata.labels;
    have.metadata.annotations = desired.metadata.annotations;
    return yield* ctx.client.update(res, have);
  }

  function* reconcileKind(service: KubeObject): Proc<void> {
    const config = yield* childOf('Configuration', service);
    const byoName: string | undefined = config.spec?.template?.metadata?.name;
    if (config.metadata.generation !== config.status?.observedGeneration) {
      conditions(service).markUnknown('ConfigurationsReady', ...SERVICE_REASONS.configurationNotReconciled);
      if (byoName) return;
    } else {
      propagateConfigurationStatus(service, conditions(service), config);
    }
    if (byoName && revisionNameTaken(revisions, config, byoName)) {
      conditions(service).markFalse('RoutesReady', 'RevisionNameTaken', `The revision name "${byoName}" is taken by a conflicting Revision, so traffic will not be migrated`);
      return;
    }
    const route = yield* childOf('Route', service);
    if (route.metadata.generation !== route.status?.observedGeneration) {
      conditions(service).markUnknown('RoutesReady', ...SERVICE_REASONS.routeNotReconciled);
    } else {
      propagateRouteStatus(service, conditions(service), route);
    }
    if (!routeHasMigrated(service, config, route)) conditions(service).markUnknown('RoutesReady', ...SERVICE_REASONS.trafficNotMigrated);
  }

  const started = startReconciler(host, {
    reconcilerPackage: 'service',
    resource: KSERVICES,
    conditions: SERVICE_CONDITIONS,
    setDefaults: (svc) => defaultServiceSpec((svc.spec ??= {}), configs.current.defaults, svc.metadata.name!),
    reconcileKind,
  });
  const enqueueOwner = (obj: KubeObject): void => {
    const key = controllerKey(obj, 'serving.knative.dev', 'Service');
    if (key !== undefined) started.queue.enqueue(key);
  };
  for (const informer of [configurations, routes]) {
    informer.addHandler({ add: enqueueOwner, update: (_o, n) => enqueueOwner(n), delete: enqueueOwner });
  }
  return started;
}

/** CheckNameAvailability: the named Revision exists and is not this Configuration's. */
function revisionNameTaken(revisions: Informer, config: KubeObject, name: string): boolean {
  const rev = cached(revisions, config.metadata.namespace, name);
  if (rev === undefined) return false;
  if (!isControlledBy(rev, config)) return true;
  if (rev.metadata.labels?.[LABELS.configurationGeneration] === String(config.metadata.generation)) return false;
  return !semanticEqual(config.spec?.template?.spec, rev.spec);
}

/** checkRoutesNotReady, inverted: true unless RoutesReady is True and the traffic has not migrated. */
function routeHasMigrated(service: KubeObject, config: KubeObject, route: KubeObject): boolean {
  const routesReady = (service.status?.conditions ?? []).find((c: { type: string }) => c.type === 'RoutesReady');
  if (routesReady?.status !== 'True') return true;
  const want: Record<string, unknown>[] = deepCopy(route.spec?.traffic ?? []);
  const got: Record<string, unknown>[] = deepCopy(route.status?.traffic ?? []);
  if (want.length !== got.length) return false;
  for (const t of want) {
    if (t.configurationName === config.metadata.name) {
      t.revisionName = config.status?.latestReadyRevisionName;
      delete t.configurationName;
    }
  }
  const strip = (ts: Record<string, unknown>[]) => ts.map(({ url: _u, latestRevision: _l, ...rest }) => rest);
  return semanticEqual(strip(got), strip(want));
}
