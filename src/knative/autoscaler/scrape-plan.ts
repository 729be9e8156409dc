// The pure part of direct pod scraping, knative/serving pkg/autoscaler/metrics/stats_scraper.go
// scrapePods (with PodIPsSplitByAge of pkg/resources/pods.go): which ready pods to try, in which
// order, and how the successful samples become the revision estimate. The shuffle draws from the
// caller's chooser instead of math/rand; the HTTP requests, their timeouts and the service-scraping
// fallback are the caller's.
import { populationMeanSampleSize } from './sample-size.js';
import { extrapolateStats, type Stat } from './stat.js';

/** A Running, Ready, not-terminating pod of the revision. */
export interface ScrapeCandidate {
  /** What the scraper addresses (the pod IP upstream). */
  name: string;
  /** status.startTime. */
  startTimeMs: number;
}

/** Picks an index in [0, n): route it through the simulation's chooser. */
export type ChooseIndex = (n: number) => number;

export interface PodScrapePlanOptions {
  /** Candidates in the order the pod lister returned them. */
  pods: readonly ScrapeCandidate[];
  nowMs: number;
  /** Pods younger than this (the stable window) are only a fallback. */
  stableWindowMs: number;
  choose: ChooseIndex;
}

export interface PodScrapePlan {
  /** N: ready pods. */
  population: number;
  /** n: samples needed. */
  sampleSize: number;
  /** Pods that are at least a stable window old. */
  oldCount: number;
  /** The order in which the n workers take pods: old pods, then young pods. */
  order: readonly string[];
}

/** rand.Shuffle: Fisher–Yates from the end, one choice among i+1 for i = n−1 … 1. */
function shuffle<T>(items: T[], choose: ChooseIndex): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = choose(i + 1);
    if (!Number.isInteger(j) || j < 0 || j > i) throw new RangeError(`chooser returned ${j} for ${i + 1} options`);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export function planPodScrape(options: PodScrapePlanOptions): PodScrapePlan {
  const old: string[] = [];
  const young: string[] = [];
  for (const pod of options.pods) {
    (options.nowMs - pod.startTimeMs >= options.stableWindowMs ? old : young).push(pod.name);
  }
  const population = old.length + young.length;
  const sampleSize = populationMeanSampleSize(population);
  // Too few old pods: all of them are used, so only the young fallback needs shuffling.
  if (old.length < sampleSize) shuffle(young, options.choose);
  else shuffle(old, options.choose);
  return { population, sampleSize, oldCount: old.length, order: [...old, ...young] };
}

/** One pod's answer: a stat, or a failure (mightBeMesh: a status suggesting a service mesh blocked it). */
export type PodScrapeOutcome = { stat: Stat } | { error: string; mightBeMesh?: boolean };

export type PodScrapeResult =
  | { ok: true; stat: Stat | null; scrapedPods: readonly string[]; triedPods: readonly string[] }
  | { ok: false; error: 'pods-exhausted' | 'direct-scraping-not-available'; triedPods: readonly string[] };

/**
 * Walks the plan as upstream's n workers do: each takes the next pod until it gets an answer, so
 * the pods tried are the shortest prefix of the order holding n successes. Fewer than n successes
 * in the whole order fails the scrape (errPodsExhausted), unless nothing succeeded and every
 * failure looked like a mesh (errDirectScrapingNotAvailable, upstream's cue to scrape the service).
 * On success the stat is Σ(samples) / n × N per field. N = 0 gives a null (empty) stat.
 */
export function resolvePodScrape(plan: PodScrapePlan, outcomeOf: (pod: string) => PodScrapeOutcome): PodScrapeResult {
  if (plan.population === 0) return { ok: true, stat: null, scrapedPods: [], triedPods: [] };
  const samples: Stat[] = [];
  const scrapedPods: string[] = [];
  const triedPods: string[] = [];
  let sawNonMeshError = false;
  for (const pod of plan.order) {
    if (samples.length >= plan.sampleSize) break;
    triedPods.push(pod);
    const outcome = outcomeOf(pod);
    if ('stat' in outcome) {
      samples.push(outcome.stat);
      scrapedPods.push(pod);
    } else if (outcome.mightBeMesh !== true) sawNonMeshError = true;
  }
  if (samples.length < plan.sampleSize) {
    const meshOnly = samples.length === 0 && !sawNonMeshError;
    return { ok: false, error: meshOnly ? 'direct-scraping-not-available' : 'pods-exhausted', triedPods };
  }
  return { ok: true, stat: extrapolateStats(samples, plan.sampleSize, plan.population), scrapedPods, triedPods };
}
