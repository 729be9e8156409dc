// Loading bug files (bugs/<id>.yaml): the bug schema, then the checks that tie the fields together —
// the id is the file name and the issue number, the switches exist and arrive in the release the bug
// says it was fixed in, the release range is real and ordered, the expectation is strict enough to
// tell a fixed release from an affected one, and the scenario (a file or inline) loads.

import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseRelease, UPSTREAM_FIXES, type UpstreamFix } from '../knative/versions.js';
import type { Bug, BugClass } from './bug.js';
import { referencedFile } from './build-manifests.js';
import type { OracleValidator } from './build-oracles.js';
import { buildScenario } from './build-scenario.js';
import { FieldReader } from './field-reader.js';
import { loadScenario, readInputFile, yamlFiles } from './load-scenario.js';
import { ScenarioError, type ScenarioIssue } from './scenario-error.js';
import { bugSchema } from './schema.js';
import { unknownName } from './suggest.js';
import type { Scenario } from './types.js';
import { YamlSource } from './yaml-source.js';

export interface LoadBugOptions {
  /** The fix switches the models know (default UPSTREAM_FIXES). */
  fixes?: readonly UpstreamFix[];
  validateOracle?: OracleValidator;
  /** The ids of the catalog's bugs, to check `sharesSymptomWith` against (listBugs passes them). */
  knownBugIds?: readonly string[];
}

const REPO = 'https://github.com/knative/serving';
/** A fixed bug must stay absent in at least this many seeds, and in ten times the seeds it needs to reproduce. */
const MIN_ABSENT_IN = 200;
const ABSENT_FACTOR = 10;

type Raw = Record<string, unknown>;

function servingMinor(release: string): number {
  return parseRelease(release).servingMinor;
}

function checkRelations(reader: FieldReader, raw: Raw, fields: { from?: string; to?: string; fixedIn?: string | null; switches: string[] }, fixes: readonly UpstreamFix[]): void {
  const { from, to, fixedIn, switches } = fields;
  if (from !== undefined && to !== undefined && servingMinor(from) > servingMinor(to)) reader.fail(['affected', 'to'], `the range ends (${to}) before it starts (${from})`);
  const upstream = raw.upstream as Raw;
  const expectation = raw.expectation as Raw;
  const ci = expectation.ci as Raw;
  if (fixedIn === null) {
    if (switches.length > 0) reader.fail(['switches'], 'an open bug (fixedIn: null) has no fix to switch on');
    if (to !== undefined && to !== 'latest') reader.fail(['affected', 'to'], 'an open bug (fixedIn: null) affects every release up to latest');
    if ((ci.absentIn as number) > 0) reader.fail(['expectation', 'ci', 'absentIn'], 'an open bug (fixedIn: null) has no fixed release to be absent in; write 0');
    return;
  }
  if (fixedIn === undefined) return;
  if (to !== undefined && servingMinor(fixedIn) <= servingMinor(to)) reader.fail(['fixedIn'], `fixed in ${fixedIn}, yet affected up to ${to}`);
  if (upstream.fixPr === undefined) reader.fail(['upstream'], 'a fixed bug names its fix: `fixPr`');
  if (switches.length === 0 && raw.needsRealCluster === undefined) reader.fail(['switches'], 'a fixed bug needs the switch of its fix (or `needsRealCluster` saying why the simulation cannot have one)');
  const minors = switches.map((id) => fixes.find((f) => f.id === id)?.fixedInServingMinor).filter((m) => m !== undefined);
  if (minors.length > 0 && Math.max(...minors) !== servingMinor(fixedIn)) {
    const profile = parseRelease(`0.${Math.max(...minors)}`);
    reader.fail(['fixedIn'], `the switches arrive in ${profile.name} (src/knative/versions.ts), not ${fixedIn}`);
  }
  const n = expectation.reproducesWithin as number;
  const absentIn = expectation.absentIn as number | undefined;
  if (absentIn === undefined) reader.fail(['expectation'], 'a fixed bug needs `absentIn`: the seeds in which it must not reproduce on a fixed release');
  else if (absentIn < Math.max(MIN_ABSENT_IN, ABSENT_FACTOR * n)) {
    reader.fail(['expectation', 'absentIn'], `must be at least ${Math.max(MIN_ABSENT_IN, ABSENT_FACTOR * n)} (${MIN_ABSENT_IN}, and ${ABSENT_FACTOR} times reproducesWithin)`);
  }
  if (absentIn !== undefined && (ci.absentIn as number) > absentIn) reader.fail(['expectation', 'ci', 'absentIn'], 'is larger than absentIn');
}

/** Parses bug file text; `file` names it in messages and gives the id it must have. Throws ScenarioError. */
export function parseBug(text: string, options: LoadBugOptions & { file: string }): Bug {
  const shown = options.file;
  const fixes = options.fixes ?? UPSTREAM_FIXES;
  const { source, issues } = YamlSource.parse(shown, text);
  if (source === undefined) throw new ScenarioError(issues);
  const { value, issue } = source.value();
  if (issue !== undefined) throw new ScenarioError([issue]);
  const reader = new FieldReader(source);
  const schema = bugSchema();
  if (!reader.conforms(value, schema, schema)) throw new ScenarioError(reader.issues);
  const raw = value as Raw;
  const id = raw.id as string;
  const expectedId = basename(shown, extname(shown));
  if (id !== expectedId) reader.fail(['id'], `must equal the file name, "${expectedId}"`);
  const upstream = raw.upstream as { issue: number; fixPr?: number; commit?: string };
  if (`serving-${upstream.issue}` !== id) reader.fail(['upstream', 'issue'], `${upstream.issue} does not match the id ${id}`);
  const switches = [...(raw.switches as string[])];
  const known = fixes.map((f) => f.id);
  switches.forEach((s, i) => {
    if (!known.includes(s)) reader.fail(['switches', i], known.length === 0 ? `unknown upstream fix switch "${s}" (src/knative/versions.ts UPSTREAM_FIXES has none yet)` : unknownName('upstream fix switch', s, known));
    else if (switches.indexOf(s) !== i) reader.fail(['switches', i], `duplicate switch "${s}"`);
  });
  const affected = raw.affected as Raw;
  const from = reader.release(['affected', 'from'], affected.from);
  const to = reader.release(['affected', 'to'], affected.to);
  const fixedIn = raw.fixedIn === null ? null : reader.release(['fixedIn'], raw.fixedIn);
  checkRelations(reader, raw, { from, to, fixedIn, switches: switches.filter((s) => known.includes(s)) }, fixes);
  const scenarioFrom = readScenarioFrom(reader, raw, from);
  const sharesSymptomWith = readSharedSymptoms(reader, raw, id, options.knownBugIds);

  let scenario: Scenario | undefined;
  const baseDir = dirname(resolve(shown));
  if (typeof raw.scenario === 'string') {
    const file = referencedFile(reader, ['scenario'], { baseDir, shownDir: dirname(shown) }, raw.scenario);
    if (file !== undefined) {
      try {
        scenario = loadScenario(file.shown, { validateOracle: options.validateOracle });
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        reader.issues.push(...error.issues);
      }
    }
  } else {
    const inline = new FieldReader(source, { base: ['scenario'], issues: reader.issues });
    scenario = buildScenario(inline, raw.scenario as Raw, {
      file: resolve(shown), defaultName: id, baseDir, shownDir: dirname(shown), validateOracle: options.validateOracle,
    });
  }
  if (reader.issues.length > 0 || scenario === undefined || from === undefined || to === undefined || fixedIn === undefined) {
    throw new ScenarioError(reader.issues);
  }
  const expectation = raw.expectation as { reproducesWithin: number; absentIn?: number; ci: { reproducesWithin: number; absentIn: number } };
  return {
    file: resolve(shown),
    id,
    title: raw.title as string,
    upstream: {
      issue: upstream.issue,
      issueUrl: `${REPO}/issues/${upstream.issue}`,
      ...(upstream.fixPr === undefined ? {} : { fixPr: upstream.fixPr, fixPrUrl: `${REPO}/pull/${upstream.fixPr}` }),
      ...(upstream.commit === undefined ? {} : { commit: upstream.commit, commitUrl: `${REPO}/commit/${upstream.commit}` }),
    },
    tags: [...((raw.tags as string[] | undefined) ?? [])],
    components: [...(raw.components as string[])],
    class: raw.class as BugClass,
    mechanism: raw.mechanism as string,
    switches,
    affected: { from, to },
    fixedIn,
    scenario,
    expectation: {
      reproducesWithin: expectation.reproducesWithin,
      absentIn: expectation.absentIn ?? null,
      ci: { ...expectation.ci },
    },
    ...(typeof raw.needsRealCluster === 'string' ? { needsRealCluster: raw.needsRealCluster } : {}),
    ...(scenarioFrom !== undefined ? { scenarioFrom } : {}),
    ...(sharesSymptomWith !== undefined ? { sharesSymptomWith } : {}),
  };
}

/** `scenarioFrom`: a real release, no later than the first affected one (the scenario must run where the bug is). */
function readScenarioFrom(reader: FieldReader, raw: Raw, from: string | undefined): Bug['scenarioFrom'] {
  const field = raw.scenarioFrom as { release: unknown; why: string } | undefined;
  if (field === undefined) return undefined;
  const release = reader.release(['scenarioFrom', 'release'], field.release);
  if (release === undefined) return undefined;
  if (from !== undefined && servingMinor(release) > servingMinor(from)) {
    reader.fail(['scenarioFrom', 'release'], `${release} is after the first affected release ${from}: the scenario must run where the bug is`);
  }
  return { release, why: field.why };
}

/** `sharesSymptomWith`: other bugs of the catalog, each named once. */
function readSharedSymptoms(reader: FieldReader, raw: Raw, id: string, knownBugIds: readonly string[] | undefined): Bug['sharesSymptomWith'] {
  const field = raw.sharesSymptomWith as { bug: string; why: string }[] | undefined;
  if (field === undefined) return undefined;
  field.forEach((entry, i) => {
    if (entry.bug === id) reader.fail(['sharesSymptomWith', i, 'bug'], 'names this bug itself');
    else if (field.findIndex((e) => e.bug === entry.bug) !== i) reader.fail(['sharesSymptomWith', i, 'bug'], `duplicate bug "${entry.bug}"`);
    else if (knownBugIds !== undefined && !knownBugIds.includes(entry.bug)) reader.fail(['sharesSymptomWith', i, 'bug'], unknownName('catalogued bug', entry.bug, knownBugIds));
  });
  return field.map((e) => ({ bug: e.bug, why: e.why }));
}

/** Loads bugs/<id>.yaml; throws ScenarioError. */
export function loadBug(path: string, options: LoadBugOptions = {}): Bug {
  return parseBug(readInputFile(path), { ...options, file: path });
}

/** Every bug file in `dir`, sorted by issue number; all problems of all files in one ScenarioError. */
export function listBugs(dir: string, options: LoadBugOptions = {}): Bug[] {
  const bugs: Bug[] = [];
  const issues: ScenarioIssue[] = [];
  const files = yamlFiles(dir);
  const knownBugIds = files.map((f) => basename(f, extname(f)));
  for (const file of files) {
    try {
      bugs.push(loadBug(join(dir, file), { knownBugIds, ...options }));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return bugs.sort((a, b) => a.upstream.issue - b.upstream.issue);
}
