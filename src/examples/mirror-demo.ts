// The foundation's demonstration run: the mirror controller (two replicas under leader election) and
// the garbage collector in a simulated cluster, a user editing a ConfigMap, and one fault from each
// family. It shows a fault changing what happens, and the same seed giving the same trace hash.

import { internalError } from '../apiserver/api-error.js';
import type { KubeObject } from '../apiserver/types.js';
import { SimCluster } from '../client/sim-cluster.js';
import { setupGarbageCollector } from '../kube/garbage-collector.js';
import type { TraceLine } from '../sim/trace.js';
import { CONFIGMAPS, MIRROR_LABEL, SECRETS, setupMirrorController } from './mirror-controller.js';

export const DEMO_FAULTS = ['none', 'crash', 'kill-leader', 'partition', 'stale-view', 'delay-watch', 'drop-watch', 'api-errors'] as const;
export type DemoFault = (typeof DEMO_FAULTS)[number];

export interface DemoResult {
  seed: string;
  fault: DemoFault;
  traceHash: string;
  events: number;
  decisions: number;
  /** When the Secret first carried each version of the ConfigMap's data (virtual ms), or null if never. */
  mirroredAtMs: (number | null)[];
  /** Requests the controllers made. */
  requests: number;
  /** The notable trace lines: writes, faults, component and leadership events. */
  timeline: TraceLine[];
  /** Secrets left at the end (the ConfigMap is deleted at 40 s, so the GC should leave none). */
  secretsLeft: number;
}

const NS = 'default';
const DURATION_MS = 60_000;
const FAULT_AT_MS = 7_000;
const FAULT_FOR_MS = 15_000;
const EDITS: { atMs: number; data: Record<string, string> }[] = [
  { atMs: 2_000, data: { greeting: 'hello' } },
  { atMs: 8_000, data: { greeting: 'hello, world' } },
  { atMs: 14_000, data: { greeting: 'hello again' } },
];

function applyFault(cluster: SimCluster, fault: DemoFault): void {
  const { sim, network } = cluster;
  const heal = (fn: () => void): void => void sim.schedule(FAULT_FOR_MS, fn, 'heal');
  sim.schedule(FAULT_AT_MS, () => {
    sim.record('fault', { fault });
    switch (fault) {
      case 'none':
        return;
      case 'crash':
        cluster.component('mirror-0').crash({ restartAfterMs: FAULT_FOR_MS });
        cluster.component('mirror-1').crash({ restartAfterMs: FAULT_FOR_MS });
        return;
      case 'kill-leader': {
        const leader = ['mirror-0', 'mirror-1'].find((n) => cluster.component(n).context?.leaderElectors().some((e) => e.isLeader));
        if (leader) cluster.component(leader).crash({ restartAfterMs: FAULT_FOR_MS });
        return;
      }
      case 'partition':
        for (const n of ['mirror-0', 'mirror-1']) network.setPartitioned(n, true);
        heal(() => { for (const n of ['mirror-0', 'mirror-1']) network.setPartitioned(n, false); });
        return;
      case 'stale-view':
        for (const n of ['mirror-0', 'mirror-1']) cluster.component(n).setStaleView(1);
        heal(() => { for (const n of ['mirror-0', 'mirror-1']) cluster.component(n).setStaleView(0); });
        return;
      case 'delay-watch': {
        const remove = network.addDeliveryFault({ name: 'delay-configmaps', match: (d) => d.resource.resource === 'configmaps' && d.component.startsWith('mirror'), fault: { kind: 'delay', extraMs: 5_000 } });
        heal(remove);
        return;
      }
      case 'drop-watch': {
        const remove = network.addDeliveryFault({ name: 'drop-configmaps', match: (d) => d.resource.resource === 'configmaps' && d.eventType === 'MODIFIED' && d.component.startsWith('mirror'), fault: { kind: 'drop' } });
        heal(remove);
        return;
      }
      case 'api-errors': {
        const remove = network.addRequestFault({ name: 'secrets-500', match: (r) => r.resource.resource === 'secrets' && r.verb !== 'get' && r.verb !== 'list' && r.verb !== 'watch', probability: 0.7, fault: { kind: 'error', status: internalError('injected by the demo').status } });
        heal(remove);
        return;
      }
    }
  }, `fault ${fault}`);
}

export function runMirrorDemo(options: { seed: string; fault: DemoFault; resyncPeriodMs?: number }): DemoResult {
  const cluster = new SimCluster({ seed: options.seed, trace: { keepAll: true } });
  const { sim, api } = cluster;
  for (const name of ['mirror-0', 'mirror-1']) {
    cluster.addComponent({ name, setup: (ctx) => setupMirrorController(ctx, { leaderElection: { identity: name }, resyncPeriodMs: options.resyncPeriodMs ?? 30_000 }) });
  }
  cluster.addComponent({ name: 'kube-controller-manager', setup: (ctx) => setupGarbageCollector(ctx) });

  const mirroredAtMs: (number | null)[] = EDITS.map(() => null);
  cluster.onApplied((req) => {
    if (req.info.resource.resource !== 'secrets' || req.error || req.info.verb === 'get' || req.info.verb === 'list') return;
    const secret = req.result as KubeObject;
    const greeting = secret?.data?.greeting ? Buffer.from(secret.data.greeting, 'base64').toString('utf8') : undefined;
    EDITS.forEach((e, i) => { if (mirroredAtMs[i] === null && e.data.greeting === greeting) mirroredAtMs[i] = sim.nowMs; });
  });
  EDITS.forEach((edit, i) => {
    sim.schedule(edit.atMs, () => {
      const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: NS, labels: { [MIRROR_LABEL]: 'true' } }, data: edit.data };
      if (i === 0) api.create(CONFIGMAPS, cm);
      else api.patch(CONFIGMAPS, 'app-config', { data: edit.data }, { namespace: NS, patchType: 'merge' });
      sim.record('user-edit', { data: JSON.stringify(edit.data) });
    }, 'user-edit');
  });
  sim.schedule(40_000, () => { api.delete(CONFIGMAPS, 'app-config', { namespace: NS }); sim.record('user-delete', { name: 'app-config' }); }, 'user-delete');
  applyFault(cluster, options.fault);
  sim.run({ untilMs: DURATION_MS });

  const traceHash = sim.traceHash();
  const lines = sim.trace.lines();
  const notable = (l: TraceLine): boolean =>
    ['component', 'leader', 'fault', 'fault-hit', 'partition', 'heal-partition', 'stale-view', 'user-edit', 'user-delete', 'gc-delete'].includes(l.kind) ||
    (l.kind === 'api' && ['create', 'update', 'patch', 'delete'].includes(String(l.fields.verb)) && l.fields.res !== 'leases');
  return {
    seed: options.seed,
    fault: options.fault,
    traceHash,
    events: sim.eventsRun,
    decisions: sim.chooser.count,
    mirroredAtMs,
    requests: lines.filter((l) => l.kind === 'api' && l.fields.c !== 'user').length,
    timeline: lines.filter(notable),
    secretsLeft: api.list(SECRETS, { namespace: NS }).items.length,
  };
}
