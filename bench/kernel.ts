// Kernel throughput on a synthetic load: `actors` self-rescheduling events with delays drawn from a
// PRNG stream, the shape of a simulation's timers and deliveries without any model behind them.

import { Simulation } from '../src/sim/simulation.js';

export interface KernelBenchResult {
  events: number;
  wallMs: number;
  eventsPerSecond: number;
  traceHash: string;
}

export function benchKernel(options: { actors: number; events: number; now: () => number }): KernelBenchResult {
  const sim = new Simulation({ seed: 'bench-kernel' });
  const prng = sim.prng.fork('load');
  let remaining = options.events;
  const tick = (): void => {
    if (--remaining > 0) sim.schedule(1 + (prng.u32() & 1023), tick);
  };
  for (let i = 0; i < options.actors; i++) sim.schedule(prng.int(1000), tick);
  const start = options.now();
  const result = sim.run({ maxEvents: options.events });
  const wallMs = options.now() - start;
  return {
    events: result.eventsRun,
    wallMs,
    eventsPerSecond: Math.round(result.eventsRun / (wallMs / 1000)),
    traceHash: sim.traceHash(),
  };
}
