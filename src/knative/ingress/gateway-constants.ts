// Names and addresses of the simulated ingress gateway (a stand-in for net-kourier's gateway and
// controller): its Deployment's pods and Service `ingress-gateway` in knative-serving, listening on
// port 80; the load-balancer host names it reports in KIngress status; the address external clients
// send from.

import { KNATIVE_NAMESPACE } from '../serving-system.js';

export const GATEWAY_SERVICE = Object.freeze({ namespace: KNATIVE_NAMESPACE, name: 'ingress-gateway' });
export const GATEWAY_HTTP_PORT = 80;
/** status.publicLoadBalancer / privateLoadBalancer ingress[0].domainInternal (one gateway serves both). */
export const GATEWAY_DOMAIN_INTERNAL = `${GATEWAY_SERVICE.name}.${GATEWAY_SERVICE.namespace}.svc.cluster.local`;
/** Where workload requests come from (TEST-NET-2, outside every pod CIDR). */
export const EXTERNAL_CLIENT_IP = '198.51.100.1';
