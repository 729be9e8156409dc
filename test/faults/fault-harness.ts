// Faults injected into a whole simulated Knative (test/knative/serving-harness.ts): a spec builder,
// a scheduler that fires and heals a fault as the runner will, and a recorder of every write the API
// server applied or refused.
import type { KubeObject } from '../../src/apiserver/types.js';
import { KSERVICES } from '../../src/knative/apis/resources.js';
import { createFault } from '../../src/faults/create-fault.js';
import type { FaultBody, FaultSpec } from '../../src/scenario/types.js';
import type { ServingWorld } from '../knative/serving-harness.js';

export function faultSpec(body: FaultBody, options: { id?: string; durationMs?: number } = {}): FaultSpec {
  const id = options.id ?? body.family;
  return { id, trigger: { at: 0 }, durationMs: options.durationMs, source: { file: 'test.yaml', line: 3, path: 'faults[0]' }, ...body } as FaultSpec;
}

export interface Injection {
  fired?: { atMs: number; detail: string };
  healed?: { atMs: number; detail: string };
}

/** Creates the fault now and fires it at atMs (healing durationMs later when the spec has one). */
export function inject(w: ServingWorld, spec: FaultSpec, atMs: number): Injection {
  const fault = createFault(w, spec);
  const out: Injection = {};
  const { sim } = w.cluster;
  sim.at(atMs, () => {
    out.fired = { atMs: sim.nowMs, detail: fault.fire() };
    if (spec.durationMs !== undefined) sim.schedule(spec.durationMs, () => void (out.healed = { atMs: sim.nowMs, detail: fault.heal() }), 'heal');
  }, 'fire');
  return out;
}

export interface Write {
  atMs: number;
  component: string;
  verb: string;
  resource: string;
  name: string | undefined;
  subresource?: string;
  code: number;
  injected: boolean;
}

/** Every write (create/update/patch/delete) the API server applied or refused, as they happen. */
export function recordWrites(w: ServingWorld): Write[] {
  const writes: Write[] = [];
  w.cluster.onApplied((req) => {
    const { info } = req;
    if (!['create', 'update', 'patch', 'delete'].includes(info.verb)) return;
    const result = req.result as KubeObject | undefined;
    writes.push({
      atMs: req.atMs, component: info.component, verb: info.verb, resource: info.resource.resource,
      name: info.name ?? result?.metadata?.name, subresource: info.subresource,
      code: req.error?.code ?? (info.verb === 'create' ? 201 : 200), injected: req.injected ?? false,
    });
  });
  return writes;
}

/** A condition's status on an object, or undefined. */
export function conditionOf(obj: KubeObject | undefined, type: string): string | undefined {
  return obj?.status?.conditions?.find((c: { type: string }) => c.type === type)?.status;
}

/** When the Knative Service `default/hello` first reports Ready=True (sampled every 100 ms). */
export function serviceReadyAt(w: ServingWorld): { atMs?: number } {
  const out: { atMs?: number } = {};
  const { sim, api } = w.cluster;
  const sample = (): void => {
    const ksvc = api.list(KSERVICES, { namespace: 'default' }).items.find((s) => s.metadata.name === 'hello');
    if (conditionOf(ksvc, 'Ready') === 'True') out.atMs = sim.nowMs;
    else sim.schedule(100, sample, 'sample-ready');
  };
  sim.schedule(0, sample, 'sample-ready');
  return out;
}
