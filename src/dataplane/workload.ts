// Workload generators: open-loop arrivals (constant rate, Poisson, steps, bursts) and closed-loop
// users with think time, composed in phases that include idle periods (so revisions scale to zero
// and cold-start again). The driver only creates requests and hands them to `send`; it knows nothing
// of routing. Every random draw goes through the chooser.

import type { ChoiceSource } from '../sim/chooser.js';
import type { Simulation } from '../sim/simulation.js';
import { sample, type Distribution } from './distribution.js';
import type { RequestOutcome, SimRequest } from './request.js';

export type Load =
  | { kind: 'idle' }
  | { kind: 'constant'; rps: number }
  | { kind: 'poisson'; rps: number }
  | { kind: 'steps'; steps: { afterMs: number; rps: number }[] }
  | { kind: 'burst'; size: number; everyMs: number }
  | { kind: 'closed'; users: number; thinkTime: Distribution };

export interface Phase {
  name: string;
  durationMs: number;
  load: Load;
  /** Host the requests go to (the Knative Service's URL host). Idle phases need none. */
  host?: string;
  path?: string;
  serviceTime?: Distribution;
  /** The client's own timeout; default 0 (waits as long as the server does). */
  clientTimeoutMs?: number;
}

export interface WorkloadOptions {
  phases: Phase[];
  /** Added to every phase's start: the workload begins at this virtual time. */
  startMs?: number;
  /** Delivers a request; `done` must be called once with its outcome. */
  send: (req: SimRequest, done: (outcome: RequestOutcome) => void) => void;
}

const DEFAULT_SERVICE_TIME: Distribution = { kind: 'constant', ms: 100 };

/** The `done` of an open-loop request: nobody waits for it (one shared function, not one per request). */
const IGNORE_OUTCOME = (): void => undefined;

/** Schedules all phases on the simulation. Returns the time the last phase ends. */
export function startWorkload(sim: Simulation, options: WorkloadOptions): number {
  const arrivals = sim.choices('workload/arrivals');
  const service = sim.choices('workload/service-time');
  let nextId = 0;
  let startMs = options.startMs ?? sim.nowMs;
  for (const phase of options.phases) {
    const phaseStart = startMs;
    const endMs = phaseStart + phase.durationMs;
    const make = (): SimRequest => ({
      id: nextId++,
      host: phase.host ?? '',
      path: phase.path ?? '/',
      arrivalMs: sim.nowMs,
      serviceTimeMs: sample(phase.serviceTime ?? DEFAULT_SERVICE_TIME, service),
      clientTimeoutMs: phase.clientTimeoutMs ?? 0,
      phase: phase.name,
    });
    sim.at(phaseStart, () => runPhase(sim, phase, endMs, { make, send: options.send, arrivals }), `phase ${phase.name}`);
    startMs = endMs;
  }
  return startMs;
}

interface PhaseRun {
  make: () => SimRequest;
  send: WorkloadOptions['send'];
  arrivals: ChoiceSource;
}

function runPhase(sim: Simulation, phase: Phase, endMs: number, run: PhaseRun): void {
  sim.record('phase', { name: phase.name, load: phase.load.kind });
  const load = phase.load;
  switch (load.kind) {
    case 'idle':
      return;
    case 'constant':
      return openLoop(sim, endMs, run, () => gapForRate(load.rps));
    case 'poisson':
      return openLoop(sim, endMs, run, () => Math.max(0, Math.round(-Math.log(1 - run.arrivals.float()) * (1000 / load.rps))));
    case 'steps': {
      const start = sim.nowMs;
      const steps = [...load.steps].sort((a, b) => a.afterMs - b.afterMs);
      const rateAt = (t: number): number => steps.filter((s) => s.afterMs <= t - start).at(-1)?.rps ?? 0;
      const nextChange = (): number | undefined => steps.map((s) => start + s.afterMs).find((t) => t > sim.nowMs);
      return openLoop(sim, endMs, run, () => gapForRate(rateAt(sim.nowMs)), nextChange);
    }
    case 'burst':
      return burst(sim, endMs, run, load.size, load.everyMs);
    case 'closed':
      for (let u = 0; u < load.users; u++) closedUser(sim, endMs, run, load.thinkTime);
      return;
  }
}

/** Milliseconds between arrivals for a rate; Infinity when the rate is 0. */
function gapForRate(rps: number): number {
  return rps > 0 ? Math.max(1, Math.round(1000 / rps)) : Infinity;
}

function openLoop(sim: Simulation, endMs: number, run: PhaseRun, gap: () => number, nextChangeMs?: () => number | undefined): void {
  const tick = (): void => {
    if (sim.nowMs >= endMs) return;
    const g = gap();
    if (g === Infinity) {
      const change = nextChangeMs?.();
      if (change !== undefined && change < endMs) sim.at(change, tick, 'arrival');
      return;
    }
    run.send(run.make(), IGNORE_OUTCOME);
    if (sim.nowMs + g < endMs) sim.schedule(g, tick, 'arrival');
  };
  tick();
}

function burst(sim: Simulation, endMs: number, run: PhaseRun, size: number, everyMs: number): void {
  const fire = (): void => {
    if (sim.nowMs >= endMs) return;
    for (let i = 0; i < size; i++) run.send(run.make(), IGNORE_OUTCOME);
    if (everyMs > 0 && sim.nowMs + everyMs < endMs) sim.schedule(everyMs, fire, 'burst');
  };
  fire();
}

function closedUser(sim: Simulation, endMs: number, run: PhaseRun, thinkTime: Distribution): void {
  const think = sim.choices('workload/think-time');
  const go = (): void => {
    if (sim.nowMs >= endMs) return;
    run.send(run.make(), () => {
      const pause = sample(thinkTime, think);
      if (sim.nowMs + pause < endMs) sim.schedule(pause, go, 'think');
    });
  };
  go();
}
