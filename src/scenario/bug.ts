// A catalogued Knative Serving bug (bugs/<id>.yaml, loaded by load-bug.ts): the upstream issue and
// fix, the releases it affects, the behaviour switches of its fix in the models, the scenario that
// reproduces it and how reliably it must (DESIGN.md, "Bug catalog").

import type { Scenario } from './types.js';

export type BugClass = 'S' | 'S+R' | 'DP';

export interface Bug {
  /** Absolute path of the bug file. */
  file: string;
  /** `serving-<issue>`, the file's base name. */
  id: string;
  title: string;
  upstream: {
    issue: number;
    issueUrl: string;
    fixPr?: number;
    fixPrUrl?: string;
    commit?: string;
    commitUrl?: string;
  };
  /** Research tags (the SESAME dataset's), possibly none. */
  tags: string[];
  /** Knative Serving deployments the bug lives in. */
  components: string[];
  /** S: control-plane state, S+R: state across restarts, DP: data plane. */
  class: BugClass;
  /** How the bug happens, in our words. */
  mechanism: string;
  /** The upstream-fix switches (src/knative/versions.ts UPSTREAM_FIXES); empty for open bugs. */
  switches: string[];
  /** Release range that has the bug; `to` is `latest` for open bugs. */
  affected: { from: string; to: string };
  /** First release with the fix, or null while open upstream. */
  fixedIn: string | null;
  scenario: Scenario;
  expectation: {
    /** Reproduces within this many seeds on an affected release. */
    reproducesWithin: number;
    /** Absent in this many seeds on a fixed release (null for open bugs). */
    absentIn: number | null;
    /** Smaller numbers for `npm test`. */
    ci: { reproducesWithin: number; absentIn: number };
  };
  /** Why the simulation cannot reproduce it, when it cannot. */
  needsRealCluster?: string;
  /**
   * The scenario means something only from this release on (it configures a feature that older
   * releases lack, so there it would test something else); `regress` skips older releases and says why.
   */
  scenarioFrom?: { release: string; why: string };
  /**
   * Other catalogued bugs whose symptom this scenario also shows: on a release one of them affects,
   * the scenario is expected to reproduce even where this bug is absent.
   */
  sharesSymptomWith?: { bug: string; why: string }[];
}
