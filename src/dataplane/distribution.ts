// Service-time and think-time distributions, sampled through the chooser so every draw is a logged,
// replayable decision (DESIGN.md determinism rules). Results are whole milliseconds.

import type { ChoiceSource } from '../sim/chooser.js';

export type Distribution =
  | { kind: 'constant'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'lognormal'; medianMs: number; sigma: number };

/** Draws one value in whole milliseconds (at least 0). */
export function sample(dist: Distribution, source: ChoiceSource): number {
  switch (dist.kind) {
    case 'constant':
      return Math.max(0, Math.round(dist.ms));
    case 'uniform':
      return source.between(Math.round(dist.minMs), Math.round(dist.maxMs));
    case 'exponential':
      return Math.max(0, Math.round(-Math.log(1 - source.float()) * dist.meanMs));
    case 'lognormal': {
      // Box–Muller from two logged uniforms.
      const u1 = 1 - source.float();
      const u2 = source.float();
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      return Math.max(0, Math.round(dist.medianMs * Math.exp(dist.sigma * z)));
    }
  }
}

/** The distribution's mean in milliseconds (for reports and sanity checks). */
export function meanOf(dist: Distribution): number {
  switch (dist.kind) {
    case 'constant':
      return dist.ms;
    case 'uniform':
      return (dist.minMs + dist.maxMs) / 2;
    case 'exponential':
      return dist.meanMs;
    case 'lognormal':
      return dist.medianMs * Math.exp((dist.sigma * dist.sigma) / 2);
  }
}
