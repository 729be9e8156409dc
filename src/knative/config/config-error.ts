// A rejected ConfigMap: which key, which value, and upstream's message (knative/serving
// pkg/autoscaler/config/config.go, pkg/deployment/config.go; knative.dev/pkg configmap/parser).

export class ConfigError extends Error {
  /**
   * @param configMap the ConfigMap's name (config-autoscaler, config-deployment)
   * @param key the offending key (for cross-key rules, the key upstream's message names first)
   * @param value the offending value as read or as upstream prints it
   * @param message upstream's message
   */
  constructor(readonly configMap: string, readonly key: string, readonly value: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
