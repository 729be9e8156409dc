// What a catalogued bug should do on a release: reproduce (the release is in its affected range) or
// stay absent (before the bug existed, or from the release with the fix on). `regress` compares this
// with what the runs observe; a difference is a regression (or a wrong catalog entry).

import type { Bug } from '../scenario/bug.js';
import { parseRelease, type Release } from '../knative/versions.js';

export type Expected = 'reproduces' | 'absent';

export function isAffected(bug: Pick<Bug, 'affected'>, release: Release): boolean {
  const from = parseRelease(bug.affected.from).servingMinor;
  const to = parseRelease(bug.affected.to).servingMinor;
  return release.servingMinor >= from && release.servingMinor <= to;
}

export function expectedOn(bug: Pick<Bug, 'affected'>, release: Release): Expected {
  return isAffected(bug, release) ? 'reproduces' : 'absent';
}

/** How many seeds decide the bug on the release: N to find it where affected, M to trust its absence. */
export function seedBudget(bug: Pick<Bug, 'affected' | 'expectation'>, release: Release, options: { quick: boolean }): number {
  const e = bug.expectation;
  if (isAffected(bug, release)) return options.quick ? e.ci.reproducesWithin : e.reproducesWithin;
  return options.quick ? e.ci.absentIn : e.absentIn ?? e.ci.absentIn;
}

/** The releases where the catalog's claims are checked: for each bug its last affected release and
 * its fixed one (and the one before it was introduced, when that has a profile), plus 1.0 and latest. */
export function checkpointReleases(bugs: readonly Pick<Bug, 'affected' | 'fixedIn'>[]): Release[] {
  const minors = new Set<number>([parseRelease('1.0').servingMinor, parseRelease('latest').servingMinor]);
  for (const b of bugs) {
    minors.add(parseRelease(b.affected.to).servingMinor);
    minors.add(parseRelease(b.affected.from).servingMinor);
    if (b.fixedIn !== null) minors.add(parseRelease(b.fixedIn).servingMinor);
  }
  return [...minors].sort((a, b) => a - b).map((m) => parseRelease(m >= 27 ? `1.${m - 27}` : `0.${m}`));
}
