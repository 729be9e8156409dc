// Picks victims through the chooser, so which pod a fault hits is a recorded decision that a replay
// reproduces and an exploration can vary.

import type { ChoiceSource } from '../../sim/chooser.js';

/** Up to `count` distinct items, drawn one by one through `source`, in the order drawn. */
export function pickSome<T>(source: ChoiceSource, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(source.int(pool.length), 1)[0]);
  return out;
}
