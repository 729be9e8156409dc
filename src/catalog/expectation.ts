// What a catalogued bug should do on a release: reproduce (the release is in its affected range) or
// stay absent (before the bug existed, or from the release with the fix on). `regress` compares this
// with what the runs observe; a difference is a regression (or a wrong catalog entry).

import type { Bug } from '../scenario/bug.js';
import { KnativeProfile, parseRelease, type Release } from '../knative/versions.js';

export type Expected = 'reproduces' | 'absent';

/** The fields that decide where a bug is. */
export type BugRange = Pick<Bug, 'affected' | 'fixedIn' | 'switches'>;

/**
 * Whether the release has the bug: it lies in the affected range, or it is a development snapshot
 * after the range and before the fixed release that does not carry every switch of the fix (a
 * snapshot holds the fixes of the releases before it plus the ones it names).
 */
export function isAffected(bug: BugRange, release: Release): boolean {
  const from = parseRelease(bug.affected.from).servingMinor;
  const to = parseRelease(bug.affected.to).servingMinor;
  if (release.servingMinor < from) return false;
  if (release.servingMinor <= to) return true;
  if (release.extraFixes === undefined || bug.fixedIn === null || bug.switches.length === 0) return false;
  if (release.servingMinor >= parseRelease(bug.fixedIn).servingMinor) return false;
  const profile = new KnativeProfile(release);
  return !bug.switches.every((s) => profile.has(s));
}

/** The catalog's bugs that expectations may refer to (`sharesSymptomWith`). */
export type CatalogView = readonly (BugRange & Pick<Bug, 'id' | 'expectation'>)[];

/**
 * What the bug's scenario should show on the release: it reproduces where the bug is affected, and
 * also where a bug it shares its symptom with is (the scenario cannot tell the two apart there).
 */
export function expectedOn(bug: BugRange & Pick<Bug, 'sharesSymptomWith'>, release: Release, catalog: CatalogView = []): Expected {
  return isAffected(bug, release) || sharedCulprits(bug, release, catalog).length > 0 ? 'reproduces' : 'absent';
}

/** The bugs it shares its symptom with that affect the release. */
function sharedCulprits(bug: Pick<Bug, 'sharesSymptomWith'>, release: Release, catalog: CatalogView): CatalogView {
  return (bug.sharesSymptomWith ?? []).flatMap((shared) => {
    const other = catalog.find((b) => b.id === shared.bug);
    return other !== undefined && isAffected(other, release) ? [other] : [];
  });
}

/** Whether the scenario means something on the release (`scenarioFrom`); regress skips it where not. */
export function scenarioApplies(bug: Pick<Bug, 'scenarioFrom'>, release: Release): boolean {
  return bug.scenarioFrom === undefined || release.servingMinor >= parseRelease(bug.scenarioFrom.release).servingMinor;
}

/**
 * How many seeds decide the bug on the release: N to find it where it should reproduce (where only a
 * bug it shares its symptom with is affected, the larger of the two bugs' N), M to trust its absence.
 */
export function seedBudget(bug: BugRange & Pick<Bug, 'expectation' | 'sharesSymptomWith'>, release: Release, options: { quick: boolean; catalog?: CatalogView }): number {
  const n = (e: Bug['expectation']): number => (options.quick ? e.ci.reproducesWithin : e.reproducesWithin);
  const e = bug.expectation;
  if (isAffected(bug, release)) return n(e);
  const culprits = sharedCulprits(bug, release, options.catalog ?? []);
  if (culprits.length > 0) return Math.max(n(e), ...culprits.map((c) => n(c.expectation)));
  return options.quick ? e.ci.absentIn : e.absentIn ?? e.ci.absentIn;
}

/** The releases where the catalog's claims are checked: for each bug its first and last affected
 * release and its fixed one, plus 1.0 and latest; oldest first. */
export function checkpointReleases(bugs: readonly Pick<Bug, 'affected' | 'fixedIn'>[]): Release[] {
  const byName = new Map<string, Release>();
  const add = (name: string): void => {
    const r = parseRelease(name);
    byName.set(r.name, r);
  };
  add('1.0');
  add('latest');
  for (const b of bugs) for (const name of ownCheckpoints(b)) add(name);
  return [...byName.values()].sort((a, b) => a.servingMinor - b.servingMinor);
}

/** The releases that decide a bug's own claims: its first and last affected release and its fixed
 * release. Elsewhere a quick absence check suffices. */
export function ownCheckpoints(bug: Pick<Bug, 'affected' | 'fixedIn'>): Set<string> {
  const names = new Set<string>([parseRelease(bug.affected.from).name, parseRelease(bug.affected.to).name]);
  if (bug.fixedIn !== null) names.add(parseRelease(bug.fixedIn).name);
  return names;
}
