// The Route reconciler (knative/serving pkg/reconciler/route/route.go, reconcile_resources.go,
// controller.go): it resolves the traffic (traffic-config.ts), sets the URL and the cluster-local
// address, reports AllTrafficAssigned with the resolved status traffic (or the bad target), marks
// CertificateProvisioned True/TLSNotEnabled, creates or updates the KIngress (ingress-resources.ts)
// and reflects its Ready condition in IngressReady once the KIngress has observed its generation.
// It is enqueued by its Routes, the KIngresses they control, and — through the reference tracker —
// the Configurations and Revisions they reference; config-network and config-domain changes resync
// every Route. Not modelled: the placeholder K8s Service `<route>` (ExternalName to the ingress),
// certificates and TLS, gradual rollouts.

import type { KubeObject } from '../../apiserver/types.js';
import { deepCopy } from '../../apiserver/deep-copy.js';
import { objectKey, type Informer } from '../../client/informer.js';
import type { Proc } from '../../sim/process.js';
import type { ConditionManager } from '../apis/condition-set.js';
import { CONFIGURATIONS, KINGRESSES, REVISIONS, ROUTES } from '../apis/resources.js';
import { ANNOTATIONS } from '../apis/serving-labels.js';
import { CLUSTER_DOMAIN, DOMAIN_CONFIG_NAME } from './domain-config.js';
import { makeIngress } from './ingress-resources.js';
import { conditionsOf } from '../reconciler/generated-reconciler.js';
import { NETWORK_CONFIG_NAME } from './network-config.js';
import { controllerKey } from './owner-refs.js';
import { cached, startReconciler, type ReconcilerHost, type StartedReconciler } from './reconciler-host.js';
import { ReferenceTracker } from './reference-tracker.js';
import { DomainNameError, domainNameFromTemplate, hostnameFromTemplate, routeVisibility, type IngressVisibility, type RouteDomainConfigs } from './route-domains.js';
import { EXTERNAL_DOMAIN_TLS_NOT_ENABLED, markIngressNotConfigured, markTlsNotEnabled, propagateIngressStatus } from './route-status.js';
import { semanticEqual } from './semantic-equal.js';
import { ROUTE_CONDITIONS } from './serving-conditions.js';
import { buildTrafficConfiguration, type TrafficConfig } from './traffic-config.js';
import { defaultRouteSpec } from './webhook-defaults.js';

const INGRESS_CLASS_ALT = 'networking.knative.dev/ingress-class';

function urlFor(configs: RouteDomainConfigs, route: KubeObject, tag: string, visibility: IngressVisibility | undefined): string {
  const clusterLocal = visibility === 'ClusterLocal';
  const host = domainNameFromTemplate(configs, route, hostnameFromTemplate(configs, route.metadata.name!, tag), clusterLocal);
  return `${clusterLocal ? 'http' : configs.network.defaultExternalScheme}://${host}`;
}

/** GetRevisionTrafficTargets with no rollout in progress. */
function statusTraffic(configs: RouteDomainConfigs, route: KubeObject, traffic: TrafficConfig, visibility: Map<string, IngressVisibility>): unknown[] {
  return traffic.revisionTargets.map((t) => {
    const entry: Record<string, unknown> = {};
    if (t.tag !== '') entry.tag = t.tag;
    entry.revisionName = t.revisionName;
    entry.latestRevision = t.latestRevision;
    entry.percent = t.percent;
    if (t.tag !== '') entry.url = urlFor(configs, route, t.tag, visibility.get(t.tag));
    return entry;
  });
}

type Resolved = { traffic: TrafficConfig; visibility: Map<string, IngressVisibility> };

/** ReconcileKind of route.go with configureTraffic and reconcileIngress. */
class RouteReconciler {
  readonly #host: ReconcilerHost;
  readonly #tracker: ReferenceTracker;
  readonly listers: { configurations: Informer; revisions: Informer };
  readonly ingresses: Informer;

  constructor(host: ReconcilerHost, tracker: ReferenceTracker) {
    this.#host = host;
    this.#tracker = tracker;
    this.listers = { configurations: host.ctx.informer(CONFIGURATIONS), revisions: host.ctx.informer(REVISIONS) };
    this.ingresses = host.ctx.informer(KINGRESSES);
  }

  *reconcileKind(route: KubeObject): Proc<void> {
    const { domain, network } = this.#host.configs.current;
    const rdc: RouteDomainConfigs = { domain, network };
    if (route.metadata.generation !== route.status?.observedGeneration) markIngressNotConfigured(this.#conditions(route));
    let resolved: Resolved | undefined;
    try {
      resolved = this.#configureTraffic(rdc, route);
    } catch (e) {
      if (e instanceof DomainNameError) this.#conditions(route).markFalse('AllTrafficAssigned', 'ErrorConfig', e.message);
      throw e;
    }
    if (resolved === undefined) return;
    route.status.address = { url: `http://${route.metadata.name}.${route.metadata.namespace}.svc.${CLUSTER_DOMAIN}` };
    markTlsNotEnabled(this.#conditions(route), EXTERNAL_DOMAIN_TLS_NOT_ENABLED);
    const ingress = yield* this.#reconcileIngress(rdc, route, resolved);
    if (ingress.metadata.generation !== ingress.status?.observedGeneration) markIngressNotConfigured(this.#conditions(route));
    else propagateIngressStatus(this.#conditions(route), ingress);
  }

  #conditions(route: KubeObject): ConditionManager {
    return conditionsOf(this.#host.ctx.sim, ROUTE_CONDITIONS, route);
  }

  /** configureTraffic: undefined when a target is bad (already marked). */
  #configureTraffic(rdc: RouteDomainConfigs, route: KubeObject): Resolved | undefined {
    // Before #10638 (fbbbb98dc9, traffic.go) the splits name the Revision's status.serviceName.
    const { config: traffic, error } = buildTrafficConfiguration(this.listers, route, { serviceNameFromStatus: !this.#host.profile.has('pr-10638') });
    const visibility = routeVisibility(rdc, route);
    route.status.url = urlFor(rdc, route, '', visibility.get(''));
    const key = objectKey(route);
    const ns = route.metadata.namespace!;
    for (const m of traffic.missing) this.#tracker.track({ kind: m.kind, namespace: ns, name: m.name }, key);
    for (const name of traffic.configurations.keys()) this.#tracker.track({ kind: 'Configuration', namespace: ns, name }, key);
    for (const name of traffic.revisions.keys()) this.#tracker.track({ kind: 'Revision', namespace: ns, name }, key);
    if (error !== undefined) {
      error.mark(this.#conditions(route));
      return undefined;
    }
    route.status.traffic = statusTraffic(rdc, route, traffic, visibility);
    this.#conditions(route).markTrue('AllTrafficAssigned');
    return { traffic, visibility };
  }

  *#reconcileIngress(rdc: RouteDomainConfigs, route: KubeObject, resolved: Resolved): Proc<KubeObject> {
    const { client } = this.#host.ctx;
    const ingressClass = route.metadata.annotations?.[ANNOTATIONS.ingressClass] || route.metadata.annotations?.[INGRESS_CLASS_ALT] || rdc.network.defaultIngressClass;
    const desired = makeIngress({ configs: rdc, route, ingressClass, ...resolved });
    const existing = cached(this.ingresses, route.metadata.namespace, route.metadata.name!);
    if (existing === undefined) return yield* client.create(KINGRESSES, desired);
    if (semanticEqual(existing.spec, desired.spec) && semanticEqual(existing.metadata.annotations, desired.metadata.annotations)
      && semanticEqual(existing.metadata.labels, desired.metadata.labels)) return existing;
    const next = deepCopy(existing);
    next.spec = desired.spec;
    next.metadata.annotations = desired.metadata.annotations;
    next.metadata.labels = desired.metadata.labels;
    return yield* client.update(KINGRESSES, next);
  }
}

export function setupRouteController(host: ReconcilerHost): StartedReconciler {
  const tracker = new ReferenceTracker((key) => started.queue.enqueue(key));
  const reconciler = new RouteReconciler(host, tracker);
  const started = startReconciler(host, {
    reconcilerPackage: 'route',
    resource: ROUTES,
    conditions: ROUTE_CONDITIONS,
    setDefaults: (route) => defaultRouteSpec((route.spec ??= {}), { withDefaultConfiguration: false }),
    reconcileKind: (route) => reconciler.reconcileKind(route),
  });
  started.informer.addHandler({ delete: (route) => tracker.onDeleted(route) });
  for (const [kind, informer] of [['Configuration', reconciler.listers.configurations], ['Revision', reconciler.listers.revisions]] as const) {
    const changed = (obj: KubeObject): void => tracker.onChanged(kind, obj);
    informer.addHandler({ add: changed, update: (_o, n) => changed(n), delete: changed });
  }
  const enqueueOwner = (obj: KubeObject): void => {
    const key = controllerKey(obj, 'serving.knative.dev', 'Route');
    if (key !== undefined) started.queue.enqueue(key);
  };
  reconciler.ingresses.addHandler({ add: enqueueOwner, update: (_o, n) => enqueueOwner(n), delete: enqueueOwner });
  host.configs.onChange([NETWORK_CONFIG_NAME, DOMAIN_CONFIG_NAME], () => started.queue.globalResync());
  return started;
}
