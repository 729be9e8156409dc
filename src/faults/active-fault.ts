// A fault made ready to act. The runner decides when it fires (its trigger) and whether and when it
// heals (durationMs after firing; a fault without durationMs is never healed, so firing must leave
// the world complete on its own). Each call acts at once, in the current simulated instant, and
// returns one line saying what it did, which the runner records as FaultEvent.detail.

export interface ActiveFault {
  fire(): string;
  heal(): string;
}
