// The ServerlessService reconciler (knative/serving pkg/reconciler/serverlessservice/
// serverlessservice.go, controller.go), run by the controller for the SKSes the KPA creates. In
// order: the private Service (selector from the scale target's Deployment), the public Service,
// then the public Endpoints: Serve copies the private Endpoints' subsets, Proxy a ChooseSubset of
// the activator-service Endpoints of size numActivators; no ready private address forces Proxy and
// no activator address forces Serve (kpa/sks-endpoints.ts decides). Status: ServiceName,
// PrivateServiceName, EndpointsPopulated (Ready), ActivatorEndpointsPopulated (whose transition
// time is ProxyFor). It is enqueued by its SKSes, by the private Endpoints (their
// serverlessservice label), by the Services it controls, and globally by any change of the
// activator's Endpoints.

import { notFound } from '../../apiserver/api-error.js';
import type { KubeObject } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import type { Informer } from '../../client/informer.js';
import { DEPLOYMENTS, ENDPOINTS, SERVICES } from '../../kube/resources.js';
import type { Proc } from '../../sim/process.js';
import { SERVERLESSSERVICES } from '../apis/resources.js';
import { LABELS } from '../apis/serving-labels.js';
import type { ConditionManager } from '../apis/condition-set.js';
import { decidePublicEndpoints, type PublicEndpointsDecision } from '../kpa/sks-endpoints.js';
import type { SksMode } from '../kpa/pa-types.js';
import { KNATIVE_NAMESPACE } from '../serving-system.js';
import { conditionsOf } from '../reconciler/generated-reconciler.js';
import { controllerKey, isControlledBy } from './owner-refs.js';
import { cached, startReconciler, type ReconcilerHost, type StartedReconciler } from './reconciler-host.js';
import { semanticEqual } from './semantic-equal.js';
import { SKS_CONDITIONS } from './serving-conditions.js';
import { makePrivateService, makePrivateServiceSpec, makePublicEndpoints, makePublicService, makePublicServicePorts, privateServiceName, sksProtocol } from './sks-services.js';

export const ACTIVATOR_SERVICE_NAME = 'activator-service';
const ENDPOINTS_MESSAGE = 'K8s Service is not ready';

/** The three phases of ReconcileKind (serverlessservice.go). */
class ServerlessServiceReconciler {
  readonly #ctx: ComponentContext;
  readonly services: Informer;
  readonly endpoints: Informer;
  readonly #deployments: Informer;

  constructor(ctx: ComponentContext) {
    this.#ctx = ctx;
    this.services = ctx.informer(SERVICES);
    this.endpoints = ctx.informer(ENDPOINTS);
    this.#deployments = ctx.informer(DEPLOYMENTS);
  }

  *reconcileKind(sks: KubeObject): Proc<void> {
    yield* this.#reconcileService(sks, 'Private');
    yield* this.#reconcileService(sks, 'Public');
    yield* this.#reconcilePublicEndpoints(sks);
  }

  #conditions(sks: KubeObject): ConditionManager {
    return conditionsOf(this.#ctx.sim, SKS_CONDITIONS, sks);
  }

  #notReady(sks: KubeObject, reason: string): void {
    this.#conditions(sks).markUnknown('EndpointsPopulated', reason, ENDPOINTS_MESSAGE);
  }

  #notOwned(sks: KubeObject, kind: string, name: string): Error {
    this.#conditions(sks).markFalse('EndpointsPopulated', 'NotOwned', `Resource ${name} of type ${kind} is not owned by SKS`);
    return new Error(`SKS: ${sks.metadata.name} does not own ${kind}: ${name}`);
  }

  /** getSelector: the scale target's selector (the revision Deployment's matchLabels). */
  #selector(sks: KubeObject): Record<string, string> {
    const ref = sks.spec?.objectRef ?? {};
    const deployment = ref.kind === 'Deployment' ? cached(this.#deployments, sks.metadata.namespace, ref.name) : undefined;
    if (deployment === undefined) throw notFound({ group: 'apps', resource: 'deployments' }, ref.name ?? '');
    return deployment.spec?.selector?.matchLabels ?? {};
  }

  *#reconcileService(sks: KubeObject, which: 'Private' | 'Public'): Proc<void> {
    const name = which === 'Private' ? privateServiceName(sks.metadata.name!) : sks.metadata.name!;
    const existing = cached(this.services, sks.metadata.namespace, name);
    if (existing === undefined) {
      this.#notReady(sks, which === 'Private' ? 'CreatingPrivateService' : 'CreatingPublicService');
      yield* this.#ctx.client.create(SERVICES, which === 'Private' ? makePrivateService(sks, this.#selector(sks)) : makePublicService(sks));
    } else if (!isControlledBy(existing, sks)) {
      throw this.#notOwned(sks, 'Service', name);
    } else {
      // The cached Service with a fresh spec: only top-level spec fields are replaced, and the frozen
      // rest is only read (by the compare, and by the API server, which copies its input).
      const want: KubeObject = { ...existing, spec: { ...existing.spec } };
      if (which === 'Private') Object.assign(want.spec, makePrivateServiceSpec(sks, this.#selector(sks)));
      else {
        want.spec.ports = makePublicServicePorts(sks);
        delete want.spec.selector;
      }
      if (!semanticEqual(existing.spec, want.spec)) {
        if (which === 'Private') this.#notReady(sks, 'UpdatingPrivateService');
        yield* this.#ctx.client.update(SERVICES, want);
      }
    }
    if (which === 'Private') sks.status.privateServiceName = name;
    else sks.status.serviceName = name;
  }

  #decide(sks: KubeObject): PublicEndpointsDecision {
    const activator = cached(this.endpoints, KNATIVE_NAMESPACE, ACTIVATOR_SERVICE_NAME);
    if (activator === undefined) throw notFound({ group: '', resource: 'endpoints' }, ACTIVATOR_SERVICE_NAME);
    const privateEps = cached(this.endpoints, sks.metadata.namespace, sks.status.privateServiceName);
    if (privateEps === undefined) throw notFound({ group: '', resource: 'endpoints' }, sks.status.privateServiceName);
    return decidePublicEndpoints({
      sksName: sks.metadata.name!, specMode: (sks.spec?.mode ?? 'Serve') as SksMode, numActivators: sks.spec?.numActivators ?? 0,
      protocol: sksProtocol(sks), privateSubsets: privateEps.subsets, activatorSubsets: activator.subsets,
    });
  }

  *#reconcilePublicEndpoints(sks: KubeObject): Proc<void> {
    const decision = this.#decide(sks);
    const existing = cached(this.endpoints, sks.metadata.namespace, sks.metadata.name!);
    if (existing === undefined) {
      this.#notReady(sks, 'CreatingPublicEndpoints');
      yield* this.#ctx.client.create(ENDPOINTS, makePublicEndpoints(sks, decision.subsets));
    } else if (!isControlledBy(existing, sks)) {
      throw this.#notOwned(sks, 'Endpoints', sks.metadata.name!);
    } else if (!semanticEqual(decision.subsets, existing.subsets)) {
      const want: KubeObject = { ...existing };
      if (decision.subsets === undefined) delete want.subsets;
      else want.subsets = decision.subsets;
      yield* this.#ctx.client.update(ENDPOINTS, want);
    }
    const populated = decision.endpointsPopulated;
    if (populated.status === 'True') this.#conditions(sks).markTrue('EndpointsPopulated');
    else this.#conditions(sks).markUnknown('EndpointsPopulated', populated.reason ?? '', populated.message ?? '');
    const { status, reason, message } = decision.activatorEndpointsPopulated;
    this.#conditions(sks).set({ type: 'ActivatorEndpointsPopulated', status, reason, message });
  }
}

export function setupServerlessServiceController(host: ReconcilerHost): StartedReconciler {
  const reconciler = new ServerlessServiceReconciler(host.ctx);
  const started = startReconciler(host, {
    reconcilerPackage: 'serverlessservice', resource: SERVERLESSSERVICES, conditions: SKS_CONDITIONS,
    reconcileKind: (sks) => reconciler.reconcileKind(sks),
  });
  const onEndpoints = (eps: KubeObject): void => {
    const { namespace, name, labels } = eps.metadata;
    if (namespace === KNATIVE_NAMESPACE && name === ACTIVATOR_SERVICE_NAME) started.queue.globalResync();
    const owner = labels?.[LABELS.sks];
    if (owner !== undefined && labels?.[LABELS.serviceType] === 'Private') started.queue.enqueue(`${namespace}/${owner}`);
  };
  reconciler.endpoints.addHandler({ add: onEndpoints, update: (_o, n) => onEndpoints(n), delete: onEndpoints });
  const enqueueOwner = (obj: KubeObject): void => {
    const key = controllerKey(obj, 'networking.internal.knative.dev', 'ServerlessService');
    if (key !== undefined) started.queue.enqueue(key);
  };
  reconciler.services.addHandler({ add: enqueueOwner, update: (_o, n) => enqueueOwner(n), delete: enqueueOwner });
  return started;
}
