// The ingress: a gateway and KIngress controller in the spirit of net-kourier, and the workload's
// entry point.
export { setupIngressGateway, DEFAULT_CONFIG_PROPAGATION, DEFAULT_GATEWAY_DRAIN_MS, type IngressGateway, type IngressGatewayOptions } from './setup-ingress-gateway.js';
export { IngressClient, sendThroughIngress } from './send-through-ingress.js';
export { IngressRouter, splitFor, upstreamAddresses, type IngressRouterOptions, type Routing } from './ingress-router.js';
export { GatewayConfig, type IngressPath, type IngressSplit, type RouteMatch } from './gateway-config.js';
export { startKIngressReconciler, KINGRESS_CONDITIONS, type KIngressReconcilerOptions, type PropagationDelay } from './kingress-reconciler.js';
export { GATEWAY_SERVICE, GATEWAY_HTTP_PORT, GATEWAY_DOMAIN_INTERNAL, EXTERNAL_CLIENT_IP } from './gateway-constants.js';
export { recordOnce, outcomeOf, type RequestLedger } from './request-ledger.js';
