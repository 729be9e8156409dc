// The simulator backend: builds a simulated cluster for one (scenario, seed, release), runs it for the
// scenario's duration in virtual time and returns the history. Everything a scenario asks for happens
// through the same mechanisms a real cluster has: manifests are applied through the API server at
// time 0 (after Knative's installation objects exist, before its components start), the workload
// sends requests through the ingress, faults act on components, the network, pods and nodes, and
// user actions are API writes.

import { SimCluster } from '../../client/sim-cluster.js';
import type { RequestOutcome } from '../../dataplane/request.js';
import { startWorkload, type Phase } from '../../dataplane/workload.js';
import { createFault } from '../../faults/create-fault.js';
import { installServing } from '../../knative/install/install-serving.js';
import { parseRelease, previousRelease } from '../../knative/versions.js';
import { installKube } from '../../kube/install-kube.js';
import type { NodeConfig } from '../../kube/install-nodes.js';
import { applyObject, deleteObject, type AppliedWrite } from '../../scenario/apply-manifests.js';
import { HistoryRecorder } from '../../scenario/history-recorder.js';
import { TriggerWatcher } from '../../scenario/trigger-watcher.js';
import type { Scenario } from '../../scenario/types.js';
import { formatTraceLine } from '../../sim/trace.js';
import type { Backend, RunOnceOptions, RunOnceOutput } from '../backend.js';

function nodeConfigs(scenario: Scenario): NodeConfig[] {
  return scenario.cluster.nodes.map((n) => ({
    name: n.name, cpu: `${n.cpuMilli}m`, memory: n.memoryBytes, pods: n.pods, labels: { ...n.labels },
  }));
}

/** Builds and runs the simulated world. Synchronous: the simulation never waits on anything real. */
export function runSimulated(scenario: Scenario, options: RunOnceOptions): RunOnceOutput {
  const cluster = new SimCluster({ seed: options.seed, ...(options.overrides ? { overrides: options.overrides } : {}) });
  const { sim, api } = cluster;
  const kube = installKube(cluster, { nodes: nodeConfigs(scenario), timings: scenario.cluster.podTimings });
  // Requests complete only once the simulation runs, after the recorder exists.
  const requestSink: { record?: (o: RequestOutcome) => void } = {};
  const serving = installServing(cluster, kube, {
    release: scenario.installed === undefined ? options.knative : scenario.installed === 'previous' ? previousRelease(parseRelease(options.knative)).name : scenario.installed,
    replicas: scenario.cluster.knativeReplicas,
    onRequestDone: (o) => requestSink.record?.(o),
  });
  const recorder = new HistoryRecorder({ cluster, serving, scenario: scenario.name, seed: options.seed, knative: parseRelease(options.knative).name });
  requestSink.record = (o) => recorder.recordRequest(o);
  const history = recorder.history;
  const triggers = new TriggerWatcher(sim, recorder);
  const userWrite = (w: AppliedWrite): void => recorder.recordWrite({ atMs: sim.nowMs, component: 'user', ...w });

  for (const entry of scenario.manifests) userWrite(applyObject(api, entry.object));

  for (const action of scenario.actions) {
    triggers.arm(action.trigger, `action ${action.id}`, () => {
      sim.record('scenario-action', { action: action.id });
      for (const entry of action.apply ?? []) userWrite(applyObject(api, entry.object));
      for (const ref of action.delete ?? []) userWrite(deleteObject(api, ref));
    });
  }

  for (const w of scenario.workload) {
    const phases: Phase[] = w.phases.map((p) => ({
      name: p.name, durationMs: p.durationMs, load: p.load, host: w.host,
      ...(p.path !== undefined ? { path: p.path } : {}),
      ...(p.serviceTime !== undefined ? { serviceTime: p.serviceTime } : {}),
      ...(p.clientTimeoutMs !== undefined ? { clientTimeoutMs: p.clientTimeoutMs } : {}),
    }));
    startWorkload(sim, { startMs: w.startMs, phases, send: serving.send });
  }

  const world = { cluster, kube, serving, releaseUnderTest: options.knative };
  for (const spec of scenario.faults) {
    const fault = createFault(world, spec);
    triggers.arm(spec.trigger, `fault ${spec.id}`, () => {
      const detail = fault.fire();
      sim.record('fault', { fault: spec.id, family: spec.family, phase: 'fired' });
      recorder.recordFault({ atMs: sim.nowMs, fault: spec.id, family: spec.family, phase: 'fired', detail });
      if (spec.durationMs === undefined) return;
      sim.schedule(spec.durationMs, () => {
        const healed = fault.heal();
        sim.record('fault', { fault: spec.id, family: spec.family, phase: 'healed' });
        recorder.recordFault({ atMs: sim.nowMs, fault: spec.id, family: spec.family, phase: 'healed', detail: healed });
      }, `heal ${spec.id}`);
    });
  }

  const tick = (): void => {
    recorder.sample();
    if (sim.nowMs + scenario.sampleEveryMs <= scenario.durationMs) sim.schedule(scenario.sampleEveryMs, tick, 'history-sample');
  };
  sim.schedule(0, tick, 'history-sample');

  sim.run({ untilMs: scenario.durationMs });
  history.endMs = sim.nowMs;
  return {
    history,
    traceHash: sim.traceHash(),
    events: sim.eventsRun,
    // Lease renewals say nothing about a failure; leave them out of the tail a person reads.
    traceTail: sim.trace.tail(64).filter((l) => l.fields.res !== 'leases').slice(-20).map(formatTraceLine),
  };
}

export const simBackend: Backend = {
  name: 'sim',
  unsupported: () => [],
  runOnce: (scenario, options) => Promise.resolve(runSimulated(scenario, options)),
};
