// Bad fault specs are refused when the fault is made, naming the file, the line and the field; and
// which backends support which family.
import t from 'tap';
import { createFault } from '../../src/faults/create-fault.js';
import { FaultSpecError } from '../../src/faults/fault-spec-error.js';
import { faultSupport } from '../../src/faults/fault-support.js';
import { FAULT_FAMILIES, type FaultBody } from '../../src/scenario/types.js';
import { servingWorld } from '../knative/serving-harness.js';
import { faultSpec } from './fault-harness.js';

const COMPONENTS = 'controller, autoscaler, activator, ingress-gateway, kube-controller-manager, kube-scheduler, kubelet/node-1, kubelet/node-2, kubelet/node-3';

t.test('a bad fault spec is a FaultSpecError naming the file, line and field', async (t) => {
  const w = servingWorld({ seed: 1, phases: [] });
  const refused = (body: FaultBody): string => {
    try {
      createFault(w, faultSpec(body));
    } catch (e) {
      t.type(e, FaultSpecError);
      return (e as Error).message;
    }
    return 'accepted';
  };
  t.equal(refused({ family: 'crash', component: 'webhook' as never }), `test.yaml:3: faults[0].component: unknown component "webhook" (known: ${COMPONENTS})`);
  t.equal(refused({ family: 'partition', component: 'kubelet/node-9' }), `test.yaml:3: faults[0].component: unknown component "kubelet/node-9" (known: ${COMPONENTS})`);
  t.equal(refused({ family: 'drop-watch', component: 'controller', kinds: ['Revision', 'Revison'] }), 'test.yaml:3: faults[0].kinds[1]: unknown kind "Revison"');
  t.equal(refused({ family: 'delay-watch', component: 'controller', kinds: ['Revision'], delayMs: 0 }), 'test.yaml:3: faults[0].delayMs: must be a positive duration');
  t.equal(refused({ family: 'stale-view', component: 'autoscaler', lagMs: -1 }), 'test.yaml:3: faults[0].lagMs: must be a positive duration');
  t.equal(refused({ family: 'api-errors', component: 'controller', verbs: ['update', 'put'], kinds: ['Deployment'], code: 500, probability: 1 }),
    'test.yaml:3: faults[0].verbs[1]: unknown verb "put" (known: get, list, watch, create, update, patch, delete)');
  t.equal(refused({ family: 'api-errors', component: 'controller', verbs: ['update'], kinds: ['Deployment'], code: 418, probability: 1 }),
    'test.yaml:3: faults[0].code: no injected error with code 418 (known: 403, 404, 409, 429, 500, 503, 504)');
  t.equal(refused({ family: 'api-errors', component: 'controller', verbs: ['update'], kinds: ['Deployment'], code: 500, probability: 1.5 }),
    'test.yaml:3: faults[0].probability: must be in (0, 1], got 1.5');
  t.equal(refused({ family: 'pod-crash', pods: { namespace: 'default', count: 0 } }), 'test.yaml:3: faults[0].pods.count: must be a whole number ≥ 1, got 0');
  t.equal(refused({ family: 'pod-flap', pods: { namespace: 'default' }, periodMs: 0 }), 'test.yaml:3: faults[0].periodMs: must be a positive duration');
  t.equal(refused({ family: 'node-loss', node: 'node-7' }), 'test.yaml:3: faults[0].node: no node "node-7" (nodes: node-1, node-2, node-3)');
  t.equal(refused({ family: 'configmap-change', namespace: 'knative-serving', name: 'config-autoscaler', data: {} }), 'test.yaml:3: faults[0].data: changes no key');
  t.match(refused({ family: 'upgrade', to: '2.0' }), /^test\.yaml:3: faults\[0\]\.to: no profile for Knative release "2\.0"; known: 0\.7, 0\.8, /);
  t.equal(refused({ family: 'drop-watch', component: 'controller', kinds: ['ksvc', 'services.serving.knative.dev', 'Endpoints', 'pods'] }), 'accepted', 'kinds resolve as kubectl resolves them');
});

t.test('the simulator supports every family; real clusters only what the Kubernetes API (and on kind, Docker) can do', async (t) => {
  for (const family of FAULT_FAMILIES) t.equal(faultSupport(family, 'sim'), null, `${family} on sim`);
  for (const family of ['crash', 'restart', 'kill-leader', 'pod-fail-create', 'configmap-change', 'upgrade'] as const) {
    t.equal(faultSupport(family, 'kind'), null, `${family} on kind`);
    t.equal(faultSupport(family, 'cluster'), null, `${family} on cluster`);
  }
  for (const family of ['partition', 'delay-watch', 'drop-watch', 'stale-view', 'api-errors', 'pod-flap'] as const) {
    t.match(faultSupport(family, 'kind'), new RegExp(`^${family} is not supported on kind: needs the simulator`));
    t.match(faultSupport(family, 'cluster'), new RegExp(`^${family} is not supported on cluster: needs the simulator`));
  }
  t.equal(faultSupport('node-loss', 'kind'), null);
  t.equal(faultSupport('pod-crash', 'kind'), null);
  t.match(faultSupport('node-loss', 'cluster'), /^node-loss is not supported on cluster: needs the simulator or kind/);
  t.match(faultSupport('pod-crash', 'cluster'), /^pod-crash is not supported on cluster: needs the simulator or kind/);
});
