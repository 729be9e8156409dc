// Consistent choice of n members of a set for a target key, as knative/pkg hash/hash.go
// (ChooseSubset, buildHashes) does it: the ServerlessService reconciler uses it to pick which
// activators back a revision in Proxy mode (knative/serving
// pkg/reconciler/serverlessservice/serverlessservice.go subsetEndpoints).
//
// Every member is hashed with the target onto a ring of `UNIVERSE` slots (FNV-1a 64, modulo the
// ring size; collisions re-hash with the previous hash appended in hex). A start angle and a step,
// both hashed from the target, walk the ring: each step takes the first unchosen slot at or after
// the angle, wrapping around. Bit-exact with upstream, including the order members are hashed in
// (Go's sorted order), which decides collision resolution.

import { fnv64a, hash64Hex, hash64ModPow2 } from './fnv64a.js';
import { compareGoStrings, sortGoStrings } from './go-string-order.js';

const START_SALT = 'start-angle-salt';
const STEP_SALT = 'step-angle-salt';

/** The ring size: angles live in [0, UNIVERSE). */
export const UNIVERSE = 1 << 11;

export interface HashData {
  /** Slot → member. */
  nameLookup: ReadonlyMap<number, string>;
  /** Occupied slots, ascending. */
  hashPool: readonly number[];
  start: number;
  step: number;
}

/** buildHashes: the ring for `members` and `target`. */
export function buildHashes(members: Iterable<string>, target: string): HashData {
  const nameLookup = new Map<number, string>();
  const hashPool: number[] = [];
  for (const member of sortGoStrings(new Set(members))) {
    let key = member + target;
    let h = fnv64a(key);
    let slot = hash64ModPow2(h, UNIVERSE);
    while (nameLookup.has(slot)) {
      key += hash64Hex(h);
      h = fnv64a(key);
      slot = hash64ModPow2(h, UNIVERSE);
    }
    hashPool.push(slot);
    nameLookup.set(slot, member);
  }
  hashPool.sort((a, b) => a - b);
  return {
    nameLookup,
    hashPool,
    start: hash64ModPow2(fnv64a(target + START_SALT), UNIVERSE),
    step: hash64ModPow2(fnv64a(target + STEP_SALT), UNIVERSE),
  };
}

/** First index whose slot is ≥ angle, wrapping to 0 past the end (sort.Search). */
function firstAtOrAfter(pool: readonly number[], angle: number): number {
  let lo = 0;
  let hi = pool.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pool[mid] >= angle) hi = mid;
    else lo = mid + 1;
  }
  return lo === pool.length ? 0 : lo;
}

/**
 * ChooseSubset: `n` members of `from` chosen consistently for `target`. Returns all of them when
 * n ≥ |from|. The result is sorted in Go's string order (upstream returns an unordered set).
 */
export function chooseSubset(from: Iterable<string>, n: number, target: string): string[] {
  const members = sortGoStrings(new Set(from));
  if (n >= members.length) return members;
  const data = buildHashes(members, target);
  const pool = data.hashPool;
  const chosen = new Set<number>();
  let angle = data.start;
  while (chosen.size < n) {
    let root = firstAtOrAfter(pool, angle);
    while (chosen.has(root)) root = (root + 1) % pool.length;
    chosen.add(root);
    angle = (angle + data.step) % UNIVERSE;
  }
  return [...chosen].map((i) => data.nameLookup.get(pool[i])!).sort(compareGoStrings);
}
