// Determinism (DESIGN.md, determinism rules 1 and 2): the same calls on two servers built from the
// same PRNG seed and clock give identical objects, uids and generated names, identical watch
// streams and identical list pages; another seed gives other uids.
import t from 'tap';
import type { ApiServer } from '../../src/apiserver/api-server.js';
import type { KubeObject } from '../../src/apiserver/types.js';
import { DEPLOYMENTS, PODS, RecordingSink, WIDGETS, deployment, edit, newServer, pod, widget } from './fixtures.js';

function scenario(server: ApiServer, clock: { nowMs: number }): { results: unknown[]; events: unknown[] } {
  const sink = new RecordingSink();
  server.watch(PODS, { namespace: 'default' }, sink);
  const results: unknown[] = [];
  for (let i = 0; i < 20; i++) {
    clock.nowMs += 1500;
    results.push(server.create(PODS, { ...pod('default', ''), metadata: { generateName: 'web-', namespace: 'default' } }));
  }
  const d = server.create(DEPLOYMENTS, deployment('default', 'web'));
  clock.nowMs += 1000;
  results.push(server.update(DEPLOYMENTS, { ...edit(d), spec: { ...edit(d.spec), replicas: 3 } }));
  for (const [i, created] of (results.slice(0, 5) as KubeObject[]).entries()) {
    clock.nowMs += 250;
    results.push(server.delete(PODS, created.metadata.name as string, { namespace: 'default', gracePeriodSeconds: i }));
  }
  results.push(server.list(PODS, { limit: 7 }));
  results.push(server.create(WIDGETS, widget('default', 'w')));
  return { results, events: sink.events };
}

t.test('two servers from the same seed answer the same calls identically', (t) => {
  const a = newServer({ seed: 'run-42' });
  const b = newServer({ seed: 'run-42' });
  const runA = scenario(a.server, a.clock);
  const runB = scenario(b.server, b.clock);
  t.same(runB.results, runA.results, 'identical results (uids, generated names, timestamps, RVs)');
  t.same(runB.events, runA.events, 'identical watch streams');
  t.equal(JSON.stringify(runB), JSON.stringify(runA), 'identical serialization, key order included');
  const c = newServer({ seed: 'run-43' });
  const runC = scenario(c.server, c.clock);
  t.not(JSON.stringify(runC.results), JSON.stringify(runA.results), 'another seed draws other identities');
  const uids = (runA.results.slice(0, 20) as KubeObject[]).map((o) => o.metadata.uid);
  t.equal(new Set(uids).size, uids.length, 'uids are distinct');
  t.ok(uids.every((uid) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uid ?? '')), 'uids are version-4 shaped');
  t.end();
});
