// The gateway's KIngress controller, in the spirit of net-kourier's (knative-extensions/net-kourier
// pkg/reconciler/ingress): a KIngress of this gateway's class (any class when none is configured)
// is translated into routes and pushed to the gateway, which serves them after a configuration
// propagation delay drawn through the chooser (envoy's xDS push and listener update). Status, as
// knative/networking's IngressStatus conditions (NetworkConfigured, LoadBalancerReady → Ready):
// - each reconcile of a generation: observedGeneration, NetworkConfigured True, and
//   LoadBalancerReady Unknown ("Uninitialized") until this gateway serves that generation;
// - then LoadBalancerReady True with the public and private load balancers, so Ready True.
// A deleted KIngress's routes leave after the same delay.
// Simplification: net-kourier marks the load balancer ready once it has probed every gateway pod;
// here each gateway incarnation marks it when its own configuration holds the generation (with
// several gateways, the first one to load it does).

import { deepCopy } from '../../apiserver/deep-copy.js';
import type { KubeObject } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import type { Controller } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import type { Proc } from '../../sim/process.js';
import { ConditionManager } from '../apis/condition-set.js';
import { KINGRESSES } from '../apis/resources.js';
import { ANNOTATIONS } from '../apis/serving-labels.js';
import { GATEWAY_DOMAIN_INTERNAL } from './gateway-constants.js';
import type { GatewayConfig } from './gateway-config.js';

/** knative/networking ingress_lifecycle.go ingressCondSet. */
export const KINGRESS_CONDITIONS = Object.freeze({ happy: 'Ready', dependents: ['LoadBalancerReady', 'NetworkConfigured'] });

export interface PropagationDelay {
  minMs: number;
  maxMs: number;
}

export interface KIngressReconcilerOptions {
  ctx: ComponentContext;
  ingresses: Informer;
  config: GatewayConfig;
  propagation: PropagationDelay;
  /** Only KIngresses with this networking.knative.dev/ingress.class; undefined: all. */
  ingressClass?: string;
}

export function startKIngressReconciler(o: KIngressReconcilerOptions): Controller {
  const { ctx, ingresses, config } = o;
  const delays = ctx.sim.choices('ingress/config-propagation');
  const pending = new Map<string, number | 'delete'>();
  const propagate = (key: string, what: number | 'delete', apply: () => void): void => {
    if (pending.get(key) === what) return;
    pending.set(key, what);
    ctx.schedule(delays.between(o.propagation.minMs, o.propagation.maxMs), () => {
      if (pending.get(key) === what) pending.delete(key);
      apply();
      controller.enqueue(key);
    }, 'ingress-config-push');
  };
  const controller = ctx.controller({
    name: 'kingress',
    reconcile: function* (key: string): Proc<void> {
      const ing = ingresses.get(key);
      if (ing === undefined) {
        if (config.generationOf(key) !== undefined) propagate(key, 'delete', () => config.remove(key));
        return;
      }
      if (o.ingressClass !== undefined && ing.metadata.annotations?.[ANNOTATIONS.ingressClass] !== o.ingressClass) return;
      const generation = ing.metadata.generation ?? 0;
      const loaded = config.generationOf(key) === generation;
      if (!loaded) {
        propagate(key, generation, () => {
          const current = ingresses.get(key);
          if ((current?.metadata.generation ?? -1) === generation) config.apply(key, current!);
        });
      }
      yield* writeStatus(ctx, ing, loaded);
    },
  });
  const enqueue = (obj: KubeObject): void => controller.enqueue(`${obj.metadata.namespace}/${obj.metadata.name}`);
  ingresses.addHandler({ add: enqueue, update: (_old, obj) => enqueue(obj), delete: enqueue });
  return controller;
}

function* writeStatus(ctx: ComponentContext, ing: KubeObject, loaded: boolean): Proc<void> {
  const status = deepCopy((ing.status ?? {}) as Record<string, any>);
  const m = new ConditionManager(KINGRESS_CONDITIONS, status, ctx.sim.nowMs);
  m.initialize();
  m.markTrue('NetworkConfigured');
  if (loaded) {
    m.markTrue('LoadBalancerReady');
    status.publicLoadBalancer = { ingress: [{ domainInternal: GATEWAY_DOMAIN_INTERNAL }] };
    status.privateLoadBalancer = { ingress: [{ domainInternal: GATEWAY_DOMAIN_INTERNAL }] };
  } else {
    m.markUnknown('LoadBalancerReady', 'Uninitialized', 'Waiting for load balancer to be ready');
  }
  status.observedGeneration = ing.metadata.generation ?? 0;
  if (JSON.stringify(status) === JSON.stringify(ing.status ?? {})) return;
  yield* ctx.client.updateStatus(KINGRESSES, { ...ing, status });
}
