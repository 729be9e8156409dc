// Shared helpers for the client-runtime suites: object builders, a way to run a generator as a
// simulated process and read its outcome, and trace queries. Everything runs against the real
// in-memory API server through a SimCluster.
import type { KubeObject, ResourceId } from '../../src/apiserver/types.js';
import { Process, type Proc, type ProcessOutcome } from '../../src/sim/process.js';
import type { Simulation } from '../../src/sim/simulation.js';
import type { TraceLine } from '../../src/sim/trace.js';

export const NS = 'default';
export const CONFIGMAPS: ResourceId = { group: '', version: 'v1', resource: 'configmaps' };
export const SECRETS: ResourceId = { group: '', version: 'v1', resource: 'secrets' };

export function configMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject {
  const metadata: KubeObject['metadata'] = { name, namespace: NS };
  if (labels) metadata.labels = labels;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
}

export interface Outcome<R> {
  outcome?: ProcessOutcome<R>;
  doneAtMs?: number;
  /** The value, when the body returned. */
  readonly value: R | undefined;
  /** The error, when the body threw. */
  readonly error: unknown;
}

/** Starts `body` as a process outside any component; the handle fills in when it ends. */
export function runProcess<R>(sim: Simulation, body: Proc<R>, name = 'test'): Outcome<R> {
  const handle: Outcome<R> = {
    get value() {
      return handle.outcome?.ok ? handle.outcome.value : undefined;
    },
    get error() {
      return handle.outcome && !handle.outcome.ok && 'error' in handle.outcome ? handle.outcome.error : undefined;
    },
  };
  new Process<R>(sim, body, {
    name,
    onExit: (outcome) => {
      handle.outcome = outcome;
      handle.doneAtMs = sim.nowMs;
    },
  }).start();
  return handle;
}

/** Trace lines of `kind` whose fields include every field of `match`. */
export function traceLines(sim: Simulation, kind: string, match: Record<string, string | number | boolean> = {}): TraceLine[] {
  return sim.trace.lines().filter((l) => l.kind === kind && Object.entries(match).every(([k, v]) => l.fields[k] === v));
}
