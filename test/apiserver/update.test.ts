// Updates, generation, status and scale subresources and validation. Generation rules are ported
// from k8s.io/kubernetes test/integration/apiserver/apidefinitions/generation_test.go
// (TestGenerationManagement: 1 on create, unchanged by status writes, increasing on spec writes,
// 0 for the exempt kinds); status handling from the strategies in pkg/registry/apps/deployment,
// pkg/registry/core/pod and apiextensions customresource/status_strategy.go; scale from
// pkg/registry/apps/deployment/storage ScaleREST; validation from pkg/apis/apps/validation.
import t from 'tap';
import type { KubeObject, ResourceId } from '../../src/apiserver/types.js';
import {
  CONFIGMAPS, DEPLOYMENTS, KSERVICES, NAMESPACES, NODES, PODS, REPLICASETS, REVISIONS, SERVICES, WIDGETS,
  deployment, edit, kservice, newServer, pod, statusOf, widget,
} from './fixtures.js';

const PODAUTOSCALERS: ResourceId = { group: 'autoscaling.internal.knative.dev', version: 'v1alpha1', resource: 'podautoscalers' };
const SKS: ResourceId = { group: 'networking.internal.knative.dev', version: 'v1alpha1', resource: 'serverlessservices' };

interface GenerationRow {
  name: string;
  res: ResourceId;
  make: () => KubeObject;
  mutatedSpec: Record<string, unknown>;
  exempt: boolean;
}

const cr = (apiVersion: string, kind: string) => (): KubeObject => ({ apiVersion, kind, metadata: { name: 'gen', namespace: 'default' }, spec: { a: 1 } });

const generationRows: GenerationRow[] = [
  { name: 'deployments.v1.apps', res: DEPLOYMENTS, make: () => deployment('default', 'gen'), mutatedSpec: { spec: { replicas: 5 } }, exempt: false },
  { name: 'replicasets.v1.apps', res: REPLICASETS, make: () => ({ ...deployment('default', 'gen'), kind: 'ReplicaSet' }), mutatedSpec: { spec: { replicas: 5 } }, exempt: false },
  { name: 'services.v1.serving.knative.dev', res: KSERVICES, make: () => kservice('default', 'gen'), mutatedSpec: { spec: { traffic: [{ percent: 100, latestRevision: true }] } }, exempt: false },
  { name: 'revisions.v1.serving.knative.dev', res: REVISIONS, make: cr('serving.knative.dev/v1', 'Revision'), mutatedSpec: { spec: { a: 2 } }, exempt: false },
  { name: 'podautoscalers.v1alpha1.autoscaling.internal.knative.dev', res: PODAUTOSCALERS, make: cr('autoscaling.internal.knative.dev/v1alpha1', 'PodAutoscaler'), mutatedSpec: { spec: { a: 2 } }, exempt: false },
  { name: 'serverlessservices.v1alpha1.networking.internal.knative.dev', res: SKS, make: cr('networking.internal.knative.dev/v1alpha1', 'ServerlessService'), mutatedSpec: { spec: { a: 2 } }, exempt: false },
  { name: 'services.v1 (exempt)', res: SERVICES, make: () => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'gen', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }), mutatedSpec: { spec: { sessionAffinity: 'ClientIP' } }, exempt: true },
  { name: 'namespaces.v1 (exempt)', res: NAMESPACES, make: () => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gen' } }), mutatedSpec: { metadata: { labels: { a: 'b' } } }, exempt: true },
  { name: 'nodes.v1 (exempt)', res: NODES, make: () => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'gen' }, spec: {} }), mutatedSpec: { spec: { unschedulable: true } }, exempt: true },
  { name: 'pods.v1 (exempt in the Kubernetes 1.33 model)', res: PODS, make: () => pod('default', 'gen'), mutatedSpec: { spec: { activeDeadlineSeconds: 30 } }, exempt: true },
];

t.test('TestGenerationManagement: generation starts at 1, ignores status writes, increases on spec writes (0 for exempt kinds)', (t) => {
  const { server } = newServer();
  for (const row of generationRows) {
    const created = server.create(row.res, row.make());
    const ns = created.metadata.namespace;
    t.equal(created.metadata.generation ?? 0, row.exempt ? 0 : 1, `${row.name}: generation on create`);
    const afterStatus = server.update(row.res, { ...edit(created), status: { observedGeneration: 1, note: 'changed' } }, { namespace: ns, subresource: 'status' });
    t.equal(afterStatus.metadata.generation, created.metadata.generation, `${row.name}: status write keeps generation`);
    t.match(afterStatus.status, { note: 'changed' }, `${row.name}: status written`);
    const result = server.patch(row.res, 'gen', row.mutatedSpec, { namespace: ns, patchType: 'merge' });
    if (row.exempt) t.equal(result.metadata.generation ?? 0, 0, `${row.name}: still 0 after a spec change`);
    else t.ok((result.metadata.generation ?? 0) > (afterStatus.metadata.generation ?? 0), `${row.name}: spec change increases generation`);
  }
  t.end();
});

t.test('generation rules by kind: Deployment counts annotations, ReplicaSet only spec, CRs anything outside metadata and status', (t) => {
  const { server } = newServer();
  const d = server.create(DEPLOYMENTS, deployment('default', 'd'));
  const dAnnotated = server.patch(DEPLOYMENTS, 'd', { metadata: { annotations: { a: '1' } } }, { namespace: 'default', patchType: 'merge' });
  t.equal(dAnnotated.metadata.generation, (d.metadata.generation ?? 0) + 1, 'Deployment: annotation change bumps (deployment/strategy.go)');
  const dLabelled = server.patch(DEPLOYMENTS, 'd', { metadata: { labels: { a: '1' } } }, { namespace: 'default', patchType: 'merge' });
  t.equal(dLabelled.metadata.generation, dAnnotated.metadata.generation, 'Deployment: label change does not');
  const rs = server.create(REPLICASETS, { ...deployment('default', 'rs'), kind: 'ReplicaSet' });
  const rsAnnotated = server.patch(REPLICASETS, 'rs', { metadata: { annotations: { a: '1' } } }, { namespace: 'default', patchType: 'merge' });
  t.equal(rsAnnotated.metadata.generation, rs.metadata.generation, 'ReplicaSet: annotation change does not bump');
  const ks = server.create(KSERVICES, kservice('default', 'ks'));
  const ksLabelled = server.patch(KSERVICES, 'ks', { metadata: { labels: { a: '1' } } }, { namespace: 'default', patchType: 'merge' });
  t.equal(ksLabelled.metadata.generation, ks.metadata.generation, 'CR: metadata change does not bump');
  const ksStatus = server.patch(KSERVICES, 'ks', { status: { observedGeneration: 1 } }, { namespace: 'default', patchType: 'merge' });
  t.equal(ksStatus.status, undefined, 'CR: status through the main resource is dropped');
  t.equal(ksStatus.metadata.resourceVersion, ksLabelled.metadata.resourceVersion, 'and the write is a no-op');
  t.end();
});

t.test('status subresource: main writes keep status; /status keeps what the kind’s status strategy resets', (t) => {
  const { server } = newServer();
  const d = server.create(DEPLOYMENTS, deployment('default', 'd', {}, { labels: { tier: 'web' } }));
  t.equal(d.status, undefined, 'create drops status');
  const withStatus = server.update(DEPLOYMENTS, { ...edit(d), status: { replicas: 1 } }, { subresource: 'status' });
  const mainWrite = server.update(DEPLOYMENTS, { ...edit(withStatus), status: { replicas: 99 }, spec: { ...edit(withStatus.spec), replicas: 2 } });
  t.same(mainWrite.status, { replicas: 1 }, 'Deployment main write keeps the stored status');
  const statusWrite = server.update(DEPLOYMENTS, {
    ...edit(mainWrite), spec: { ...edit(mainWrite.spec), replicas: 7 }, status: { replicas: 2 },
    metadata: { ...edit(mainWrite.metadata), labels: { tier: 'other' }, annotations: { note: 'x' } },
  }, { subresource: 'status' });
  t.equal(statusWrite.spec.replicas, 2, 'Deployment /status keeps spec');
  t.same(statusWrite.metadata.labels, { tier: 'web' }, 'Deployment /status keeps labels');
  t.same(statusWrite.metadata.annotations, { note: 'x' }, 'Deployment /status may change annotations (as upstream)');
  t.same(statusWrite.status, { replicas: 2 }, 'status written');
  const ks = server.create(KSERVICES, kservice('default', 'ks', {}, { labels: { a: '1' } }));
  const ksStatus = server.update(KSERVICES, { ...edit(ks), metadata: { ...edit(ks.metadata), labels: { a: '2' }, finalizers: ['x.example.com/f'] }, spec: { changed: true }, status: { observedGeneration: 1 } }, { subresource: 'status' });
  t.same(ksStatus.metadata.labels, { a: '1' }, 'CR /status keeps labels');
  t.equal(ksStatus.metadata.finalizers, undefined, 'CR /status keeps finalizers');
  t.same(ksStatus.spec, ks.spec, 'CR /status keeps spec');
  t.same(ksStatus.status, { observedGeneration: 1 }, 'CR status written');
  t.match(statusOf(() => server.update(KSERVICES, { ...edit(ks), status: {} }, { subresource: 'status' })), { code: 409 }, 'CR /status with a stale RV is 409');
  t.match(statusOf(() => server.update(CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } }, { subresource: 'status' })), { code: 404 }, 'no status subresource: 404');
  t.end();
});

t.test('pod status: create sets phase Pending and a QoS class; /status keeps spec and ownerReferences', (t) => {
  const { server } = newServer();
  const p = server.create(PODS, pod('default', 'p', {}, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1' }] }));
  t.same(p.status, { phase: 'Pending', qosClass: 'BestEffort' }, 'status on create');
  const out = server.update(PODS, { ...edit(p), spec: { ...edit(p.spec), nodeName: 'elsewhere' }, metadata: { ...edit(p.metadata), ownerReferences: [] }, status: { phase: 'Running' } }, { subresource: 'status' });
  t.equal(out.spec.nodeName, undefined, 'spec kept');
  t.equal(out.metadata.ownerReferences?.length, 1, 'ownerReferences kept');
  t.equal(out.status.phase, 'Running', 'status written');
  const guaranteed = server.create(PODS, pod('default', 'g', { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }));
  t.equal(guaranteed.status.qosClass, 'Guaranteed', 'limits only: Guaranteed');
  t.end();
});

t.test('scale subresource: autoscaling/v1 Scale view; updates go through the object and bump generation', (t) => {
  const { server } = newServer();
  const d = server.create(DEPLOYMENTS, deployment('default', 'web'));
  const scale = server.get(DEPLOYMENTS, 'web', { namespace: 'default', subresource: 'scale' });
  t.same(scale, {
    apiVersion: 'autoscaling/v1', kind: 'Scale',
    metadata: { name: 'web', namespace: 'default', uid: d.metadata.uid, resourceVersion: d.metadata.resourceVersion, creationTimestamp: d.metadata.creationTimestamp },
    spec: { replicas: 1 }, status: { replicas: 0, selector: 'app=web' },
  }, 'Scale of a fresh Deployment (replicas defaulted to 1)');
  const updated = server.update(DEPLOYMENTS, { ...edit(scale), spec: { replicas: 3 } }, { namespace: 'default', subresource: 'scale' });
  t.equal(updated.spec.replicas, 3, 'Scale answer');
  const after = server.get(DEPLOYMENTS, 'web', { namespace: 'default' });
  t.equal(after.spec.replicas, 3, 'spec.replicas written');
  t.equal(after.metadata.generation, 2, 'generation bumped');
  t.match(statusOf(() => server.update(DEPLOYMENTS, { ...edit(scale), spec: { replicas: 4 } }, { namespace: 'default', subresource: 'scale' })), { code: 409, reason: 'Conflict', message: /deployments\.apps "web"/ }, 'stale Scale RV is 409');
  t.match(statusOf(() => server.update(DEPLOYMENTS, { ...edit(scale), metadata: { name: 'web' }, spec: { replicas: -1 } }, { namespace: 'default', subresource: 'scale' })), {
    code: 422, message: 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
  }, 'negative replicas is 422');
  const patched = server.patch(DEPLOYMENTS, 'web', { spec: { replicas: 5 } }, { namespace: 'default', patchType: 'merge', subresource: 'scale' });
  t.equal(patched.spec.replicas, 5, 'kubectl scale: merge patch on /scale');
  const rs = server.create(REPLICASETS, { ...deployment('default', 'rs', { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['rs', 'x'] }] } }), kind: 'ReplicaSet' });
  t.equal(server.get(REPLICASETS, 'rs', { namespace: 'default', subresource: 'scale' }).status.selector, 'app in (rs,x)', 'set-based selector string');
  t.match(statusOf(() => server.get(KSERVICES, 'x', { namespace: 'default', subresource: 'scale' })), { code: 404 }, 'no scale on Knative Services');
  t.match(statusOf(() => server.get(PODAUTOSCALERS, 'x', { namespace: 'default', subresource: 'scale' })), { code: 404 }, 'no scale on PodAutoscalers (status only, per the CRD)');
  t.equal(rs.metadata.generation, 1, 'sanity');
  t.end();
});

t.test('validation: names, Deployment selector rules, pod containers (422 with upstream paths and messages)', (t) => {
  const { server } = newServer();
  const rows: { name: string; res: ResourceId; obj: KubeObject; message: string }[] = [
    { name: 'no name', res: WIDGETS, obj: widget('default', ''), message: 'Widget.example.sleeveless.dev "" is invalid: metadata.name: Required value: name or generateName is required' },
    {
      name: 'name not a DNS subdomain', res: WIDGETS, obj: widget('default', 'Bad_Name'),
      message: 'Widget.example.sleeveless.dev "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    },
    { name: 'namespace name with dots', res: NAMESPACES, obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }, message: 'Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots' },
    { name: 'service name not DNS-1035', res: SERVICES, obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: '1svc', namespace: 'default' }, spec: {} }, message: /^Service "1svc" is invalid: metadata.name: Invalid value: "1svc": a DNS-1035 label must consist of/ as unknown as string },
    { name: 'deployment without selector', res: DEPLOYMENTS, obj: deployment('default', 'd', { selector: undefined }), message: 'Deployment.apps "d" is invalid: spec.selector: Required value' },
    { name: 'deployment with empty selector', res: DEPLOYMENTS, obj: deployment('default', 'd', { selector: {} }), message: 'Deployment.apps "d" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for deployment' },
    { name: 'deployment selector not matching the template', res: DEPLOYMENTS, obj: deployment('default', 'd', { selector: { matchLabels: { app: 'other' } } }), message: 'Deployment.apps "d" is invalid: spec.template.metadata.labels: Invalid value: {"app":"d"}: `selector` does not match template `labels`' },
    { name: 'pod without containers', res: PODS, obj: pod('default', 'p', { containers: [] }), message: 'Pod "p" is invalid: spec.containers: Required value' },
    { name: 'pod container without image', res: PODS, obj: pod('default', 'p', { containers: [{ name: 'c' }] }), message: 'Pod "p" is invalid: spec.containers[0].image: Required value' },
  ];
  for (const row of rows) t.match(statusOf(() => server.create(row.res, row.obj)), { code: 422, reason: 'Invalid', message: row.message }, row.name);
  const d = server.create(DEPLOYMENTS, deployment('default', 'd'));
  const changed = { ...edit(d), spec: { ...edit(d.spec), selector: { matchLabels: { app: 'd', extra: 'x' } }, template: { ...edit(d.spec.template), metadata: { labels: { app: 'd', extra: 'x' } } } } };
  t.match(statusOf(() => server.update(DEPLOYMENTS, changed)), {
    code: 422, message: 'Deployment.apps "d" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"d","extra":"x"}}: field is immutable',
    details: { kind: 'Deployment', group: 'apps', causes: [{ type: 'FieldValueInvalid', field: 'spec.selector' }] },
  }, 'Deployment spec.selector is immutable');
  t.match(statusOf(() => server.update(DEPLOYMENTS, { ...edit(d), metadata: { ...edit(d.metadata), uid: 'other' } })), { code: 422, message: 'Deployment.apps "d" is invalid: metadata.uid: Invalid value: "other": field is immutable' }, 'uid is immutable');
  t.end();
});

t.test('request shape: namespace and kind must agree with the request; cluster-scoped kinds drop the namespace', (t) => {
  const { server } = newServer();
  t.match(statusOf(() => server.create(WIDGETS, widget('default', 'w'), { namespace: 'kube-system' })), { code: 400, message: 'the namespace of the provided object does not match the namespace sent on the request' }, 'namespace mismatch');
  t.match(statusOf(() => server.create(WIDGETS, { ...widget('default', 'w'), kind: 'Gadget' })), { code: 400, reason: 'BadRequest' }, 'kind mismatch');
  const fromRequest = server.create(WIDGETS, { apiVersion: 'example.sleeveless.dev/v1', kind: 'Widget', metadata: { name: 'w' } }, { namespace: 'default' });
  t.equal(fromRequest.metadata.namespace, 'default', 'namespace taken from the request');
  const node = server.create(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', namespace: 'default' }, status: { capacity: { cpu: '4' } } });
  t.equal(node.metadata.namespace, undefined, 'cluster-scoped: namespace dropped');
  t.same(node.status, { capacity: { cpu: '4' } }, 'Node keeps its status on create');
  t.match(statusOf(() => server.get(WIDGETS, 'w')), { code: 400 }, 'a namespaced get needs a namespace');
  t.match(statusOf(() => server.get({ group: 'nope', version: 'v1', resource: 'things' }, 'x')), { code: 404, message: 'the server could not find the requested resource' }, 'unknown resource');
  t.end();
});

t.test('dry run: create, update and patch answer as if written but commit nothing', (t) => {
  const { server } = newServer();
  const rv = server.resourceVersion;
  const created = server.create(WIDGETS, widget('default', 'w'), { dryRun: true });
  t.equal(created.metadata.name, 'w', 'create answered');
  t.equal(server.resourceVersion, rv, 'nothing committed');
  t.match(statusOf(() => server.get(WIDGETS, 'w', { namespace: 'default' })), { code: 404 }, 'not stored');
  const real = server.create(WIDGETS, widget('default', 'w', { n: 1 }));
  const updated = server.update(WIDGETS, { ...edit(real), spec: { n: 2 } }, { dryRun: true });
  t.equal(updated.spec.n, 2, 'update answered');
  const patched = server.patch(WIDGETS, 'w', { spec: { n: 3 } }, { namespace: 'default', patchType: 'merge', dryRun: true });
  t.equal(patched.spec.n, 3, 'patch answered');
  t.equal(server.get(WIDGETS, 'w', { namespace: 'default' }).spec.n, 1, 'stored object unchanged');
  t.end();
});

t.test('defaulting: Deployment, Pod and Service fields the controllers read are filled on write', (t) => {
  const { server } = newServer();
  const d = server.create(DEPLOYMENTS, deployment('default', 'd'));
  t.match(d.spec, { replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } } }, 'Deployment spec defaults');
  t.match(d.spec.template.spec, { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' }, 'pod template defaults');
  const svc = server.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
  t.match(svc.spec, { type: 'ClusterIP', sessionAffinity: 'None', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }, 'Service defaults');
  const ns = server.get(NAMESPACES, 'default');
  t.same(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'default' }, 'namespace name label');
  t.end();
});

t.test('writes own what they store: no body object is kept, the fields a write replaces leave no trace, stored objects are frozen', (t) => {
  const { server } = newServer();
  const d = server.create(DEPLOYMENTS, deployment('default', 'own'));
  t.equal(Object.hasOwn(d, 'status'), false, 'created without status');
  // A main write of a kind with a status subresource: the body's status is replaced by the stored
  // one, here none, so the stored object has no status key at all (not an empty placeholder).
  const body = { ...edit(d), status: { replicas: 3 }, spec: { ...edit(d.spec), replicas: 4 } };
  const main = server.update(DEPLOYMENTS, body);
  t.equal(Object.hasOwn(main, 'status'), false, 'main write: no status key');
  t.same(Object.keys(main), Object.keys(body).filter((k) => k !== 'status'), 'main write: key order of the body');
  (body.spec as { replicas: number }).replicas = 40;
  t.equal(main.spec.replicas, 4, 'main write: editing the body afterwards changes nothing stored');
  // A /status write: the body's spec is replaced by the stored one; its status is copied.
  const statusBody = { ...edit(main), spec: { replicas: 9 }, status: { replicas: 1, conditions: [{ type: 'Available', status: 'True' }] } };
  const written = server.update(DEPLOYMENTS, statusBody, { subresource: 'status' });
  t.equal(written.spec.replicas, 4, '/status write: stored spec kept');
  t.same(Object.keys(written), Object.keys(statusBody), '/status write: key order of the body');
  statusBody.status.conditions[0].status = 'False';
  t.equal((written.status as { conditions: { status: string }[] }).conditions[0].status, 'True', '/status write: editing the body afterwards changes nothing stored');
  t.ok(Object.isFrozen(written) && Object.isFrozen(written.spec) && Object.isFrozen((written.status as { conditions: object[] }).conditions[0]), 'stored object frozen throughout');
  // A custom resource /status write: everything but status comes from the stored object.
  const ks = server.create(KSERVICES, kservice('default', 'own-ks'));
  const ksWritten = server.update(KSERVICES, { ...edit(ks), spec: { other: true }, extra: { x: 1 }, status: { observedGeneration: 1 } }, { subresource: 'status' });
  t.same(ksWritten.spec, ks.spec, 'CR /status: stored spec');
  t.equal(Object.hasOwn(ksWritten, 'extra'), false, 'CR /status: a body-only top-level field is not stored');
  t.same(server.get(KSERVICES, 'own-ks', { namespace: 'default' }), ksWritten, 'get answers what the write returned');
  t.end();
});
