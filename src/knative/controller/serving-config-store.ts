// The controller's view of the knative-serving ConfigMaps it reads (knative.dev/pkg
// configmap/informed_watcher.go and each reconciler's config store, e.g. knative/serving
// pkg/reconciler/revision/config/store.go): an informer on the namespace's ConfigMaps parses each
// watched map on every add or update; a map that does not parse is ignored with an error line in
// the trace (upstream's store logs "Error updating ... config") and the last good value stays. A
// successful change calls the listeners registered for that map: the reconcilers that upstream
// resync globally on it. A map never seen yields its defaults; config-deployment, whose
// queue-sidecar-image has no default and which upstream requires, then uses a placeholder image.

import type { KubeObject } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import { CONFIGMAPS } from '../../kube/resources.js';
import { AUTOSCALER_CONFIG_NAME, DEFAULT_AUTOSCALER_CONFIG, parseAutoscalerConfig, type AutoscalerConfig } from '../config/autoscaler-config.js';
import { ConfigError } from '../config/config-error.js';
import { DEFAULT_DEPLOYMENT_CONFIG, DEPLOYMENT_CONFIG_NAME, parseDeploymentConfig, type DeploymentConfig } from '../config/deployment-config.js';
import { KNATIVE_NAMESPACE } from '../serving-system.js';
import { DEFAULT_DEFAULTS_CONFIG, DEFAULTS_CONFIG_NAME, parseDefaultsConfig, type DefaultsConfig } from './defaults-config.js';
import { DEFAULT_DOMAIN_CONFIG, DOMAIN_CONFIG_NAME, parseDomainConfig, type DomainConfig } from './domain-config.js';
import { DEFAULT_GC_CONFIG, GC_CONFIG_NAME, parseGcConfig, type GcConfig } from './gc-config.js';
import { DEFAULT_NETWORK_CONFIG, NETWORK_CONFIG_NAME, parseNetworkConfig, type NetworkConfig } from './network-config.js';

/** The queue-proxy image used while config-deployment has never been seen. */
export const PLACEHOLDER_QUEUE_SIDECAR_IMAGE = 'gcr.io/knative-releases/knative.dev/serving/cmd/queue:latest';

export interface ServingConfigs {
  autoscaler: AutoscalerConfig;
  deployment: DeploymentConfig;
  defaults: DefaultsConfig;
  domain: DomainConfig;
  network: NetworkConfig;
  gc: GcConfig;
}

type ConfigName = typeof AUTOSCALER_CONFIG_NAME | typeof DEPLOYMENT_CONFIG_NAME | typeof DEFAULTS_CONFIG_NAME
  | typeof DOMAIN_CONFIG_NAME | typeof NETWORK_CONFIG_NAME | typeof GC_CONFIG_NAME;

const PARSERS: Readonly<Record<ConfigName, { field: keyof ServingConfigs; parse: (data: Readonly<Record<string, string>>) => unknown }>> = {
  [AUTOSCALER_CONFIG_NAME]: { field: 'autoscaler', parse: parseAutoscalerConfig },
  [DEPLOYMENT_CONFIG_NAME]: { field: 'deployment', parse: parseDeploymentConfig },
  [DEFAULTS_CONFIG_NAME]: { field: 'defaults', parse: parseDefaultsConfig },
  [DOMAIN_CONFIG_NAME]: { field: 'domain', parse: parseDomainConfig },
  [NETWORK_CONFIG_NAME]: { field: 'network', parse: parseNetworkConfig },
  [GC_CONFIG_NAME]: { field: 'gc', parse: parseGcConfig },
};

function isWatched(name: string | undefined): name is ConfigName {
  return name !== undefined && Object.hasOwn(PARSERS, name);
}

export class ServingConfigStore {
  readonly #ctx: ComponentContext;
  readonly #configs: ServingConfigs = {
    autoscaler: DEFAULT_AUTOSCALER_CONFIG,
    deployment: { ...DEFAULT_DEPLOYMENT_CONFIG, queueSidecarImage: PLACEHOLDER_QUEUE_SIDECAR_IMAGE },
    defaults: DEFAULT_DEFAULTS_CONFIG,
    domain: DEFAULT_DOMAIN_CONFIG,
    network: DEFAULT_NETWORK_CONFIG,
    gc: DEFAULT_GC_CONFIG,
  };
  readonly #listeners: { names: readonly string[]; fn: () => void }[] = [];

  constructor(ctx: ComponentContext) {
    this.#ctx = ctx;
    ctx.informer(CONFIGMAPS, { namespace: KNATIVE_NAMESPACE }).addHandler({
      add: (cm) => this.#onConfigMap(cm),
      update: (_old, cm) => this.#onConfigMap(cm),
    });
  }

  /** The current configs (a snapshot: reconcilers read it once per reconcile, as config.FromContext). */
  get current(): Readonly<ServingConfigs> {
    return { ...this.#configs };
  }

  /** Calls `fn` after a successful change to any of the maps named. */
  onChange(names: readonly string[], fn: () => void): void {
    this.#listeners.push({ names, fn });
  }

  #onConfigMap(cm: KubeObject): void {
    const name = cm.metadata.name;
    if (!isWatched(name)) return;
    const { field, parse } = PARSERS[name];
    try {
      (this.#configs as unknown as Record<string, unknown>)[field] = parse((cm.data ?? {}) as Record<string, string>);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.#ctx.sim.record('config-error', { component: this.#ctx.component.name, configMap: name, key: e.key, error: e.message });
      return;
    }
    this.#ctx.sim.record('config', { component: this.#ctx.component.name, configMap: name, rv: cm.metadata.resourceVersion });
    for (const l of this.#listeners) if (l.names.includes(name)) l.fn();
  }
}
