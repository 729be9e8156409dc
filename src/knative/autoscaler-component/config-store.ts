// The autoscaler's view of config-autoscaler and config-deployment (knative/serving
// pkg/reconciler/autoscaling/config/store.go over knative.dev/pkg configmap/informer
// InformedWatcher and configmap/store.go UntypedStore):
// - the ConfigMaps of the system namespace are watched through an informer; each version of a
//   watched one is parsed with the existing parsers and, when valid, stored and announced
//   (onChange: the KPA answers with a global resync of its PAs);
// - an invalid version keeps the last good config (UntypedStore.OnConfigChanged logs an error);
// - an invalid first version, or a watched ConfigMap missing once the informer has synced
//   (InformedWatcher.Start), is fatal: the autoscaler process exits (logger.Fatalf).
// Deleting a ConfigMap changes nothing (no defaults are registered for these two).

import type { KubeObject } from '../../apiserver/types.js';
import type { ComponentContext } from '../../client/component.js';
import { CONFIGMAPS } from '../../kube/resources.js';
import { sleep, type Proc } from '../../sim/process.js';
import { AUTOSCALER_CONFIG_NAME, parseAutoscalerConfig, type AutoscalerConfig } from '../config/autoscaler-config.js';
import { DEPLOYMENT_CONFIG_NAME, parseDeploymentConfig, type DeploymentConfig } from '../config/deployment-config.js';
import { isModelBug } from '../../sim/invariant.js';

export interface AutoscalerConfigs {
  readonly autoscaler: Readonly<AutoscalerConfig>;
  readonly deployment: Readonly<DeploymentConfig>;
}

export interface ConfigStoreOptions {
  namespace: string;
  /** A watched config was stored; `name` is the ConfigMap's. */
  onChange: (name: string) => void;
  /** Startup cannot go on: a watched ConfigMap is missing or its first version is invalid. */
  onFatal: (reason: string) => void;
}

const WATCHED = [AUTOSCALER_CONFIG_NAME, DEPLOYMENT_CONFIG_NAME] as const;
const SYNC_POLL_MS = 100;

export class ConfigStore {
  readonly #ctx: ComponentContext;
  readonly #options: ConfigStoreOptions;
  #autoscaler: Readonly<AutoscalerConfig> | undefined;
  #deployment: Readonly<DeploymentConfig> | undefined;

  constructor(ctx: ComponentContext, options: ConfigStoreOptions) {
    this.#ctx = ctx;
    this.#options = options;
    const informer = ctx.informer(CONFIGMAPS, { namespace: options.namespace });
    informer.addHandler({ add: (cm) => this.#onConfigMap(cm), update: (_old, cm) => this.#onConfigMap(cm) });
    ctx.spawn('config-watcher', this.#start(() => informer.hasSynced));
  }

  /** The frozen configuration a reconcile works with (config.FromContext), once both are loaded. */
  current(): AutoscalerConfigs | undefined {
    if (this.#autoscaler === undefined || this.#deployment === undefined) return undefined;
    return { autoscaler: this.#autoscaler, deployment: this.#deployment };
  }

  *#start(synced: () => boolean): Proc<void> {
    while (!synced()) yield* sleep(SYNC_POLL_MS);
    const missing = WATCHED.filter((name) => (name === AUTOSCALER_CONFIG_NAME ? this.#autoscaler : this.#deployment) === undefined);
    if (missing.length > 0) this.#options.onFatal(`configmap ${JSON.stringify(missing[0])} not found`);
  }

  #onConfigMap(cm: KubeObject): void {
    const name = cm.metadata.name;
    if (name !== AUTOSCALER_CONFIG_NAME && name !== DEPLOYMENT_CONFIG_NAME) return;
    const data = (cm.data ?? {}) as Record<string, string>;
    const had = name === AUTOSCALER_CONFIG_NAME ? this.#autoscaler !== undefined : this.#deployment !== undefined;
    try {
      if (name === AUTOSCALER_CONFIG_NAME) this.#autoscaler = Object.freeze(parseAutoscalerConfig(data));
      else this.#deployment = Object.freeze(parseDeploymentConfig(data));
    } catch (error) {
      if (!(error instanceof Error) || isModelBug(error)) throw error;
      this.#ctx.sim.record('autoscaler/config', { name, event: had ? 'rejected' : 'invalid-initial', rv: cm.metadata.resourceVersion, error: error.message });
      if (!had) this.#options.onFatal(`error initializing config ${JSON.stringify(name)}: ${error.message}`);
      return;
    }
    this.#ctx.sim.record('autoscaler/config', { name, event: 'stored', rv: cm.metadata.resourceVersion });
    this.#options.onChange(name);
  }
}
