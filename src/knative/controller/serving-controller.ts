// The `controller` deployment of Knative Serving (knative/serving cmd/controller/main.go): one
// process running the Service, Configuration, labeler, Route, Revision, ServerlessService and
// revision-GC reconcilers, each a separate controller with its own work queue and its own
// leader-election Lease (`controller.knative.dev.serving.pkg.reconciler.<pkg>.reconciler.00-of-01`
// in knative-serving, knative/pkg's 60s/40s/10s), all reading shared informer caches and the
// knative-serving ConfigMaps, and writing through the API server. Started by the pod launcher when
// a controller pod's container starts; a crash of the pod loses everything, a replica that is not
// leader keeps its caches warm and reconciles nothing. Not run here: domain mappings, namespace
// certificates and the image-cache reconcilers.

import type { ComponentContext } from '../../client/component.js';
import type { KnativeComponentEnv } from '../serving-system.js';
import { setupConfigurationController } from './configuration-reconciler.js';
import { setupLabeler } from './labeler-reconciler.js';
import type { ReconcilerHost } from './reconciler-host.js';
import { setupRevisionGc } from './revision-gc-reconciler.js';
import { setupRevisionController } from './revision-reconciler.js';
import { setupRouteController } from './route-reconciler.js';
import { ServingConfigStore } from './serving-config-store.js';
import { setupServiceController } from './service-reconciler.js';
import { setupServerlessServiceController } from './sks-reconciler.js';

/** The component name the Leases are prefixed with (the deployment's name). */
export const CONTROLLER_COMPONENT = 'controller';

export function setupServingController(ctx: ComponentContext, env: KnativeComponentEnv): void {
  const host: ReconcilerHost = {
    ctx,
    configs: new ServingConfigStore(ctx),
    system: env.system,
    profile: env.profile,
    identity: env.pod.name,
    component: CONTROLLER_COMPONENT,
  };
  setupConfigurationController(host);
  setupRevisionController(host);
  setupRouteController(host);
  setupLabeler(host);
  setupServiceController(host);
  setupServerlessServiceController(host);
  setupRevisionGc(host);
  ctx.sim.record('knative-controller', { event: 'setup', pod: env.pod.name, ip: env.pod.ip, release: env.profile.release.name });
}
