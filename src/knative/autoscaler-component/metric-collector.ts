// The metric collector (knative/serving pkg/autoscaler/metrics/collector.go): one collection per
// Metric, keyed `<namespace>/<name>`, holding the stable and panic buckets (MetricCollection), the
// scraper, and the last scrape error. Each collection scrapes on its own 1 s ticker started at
// creation; a scrape runs until it answers (a Go ticker keeps at most one missed tick, so a slow
// scrape is followed at once by one more); a failed scrape records nothing, a successful non-empty
// one is recorded at the time it completes. When the last error changes the collector tells its
// watcher (the Metric reconciler, which puts it into the Metric's status). Activator stats are
// recorded through `record`. Everything is lost with the incarnation.

import type { KubeObject } from '../../apiserver/types.js';
import type { Timer } from '../../sim/simulation.js';
import { MetricCollection } from '../autoscaler/metric-collection.js';
import { aggregationAlgorithm, type MetricSpec } from '../autoscaler/metric-spec.js';
import { isEmptyStat, type Stat } from '../autoscaler/stat.js';
import type { IncarnationClock } from './incarnation-clock.js';
import type { ScrapeOutcome, StatsScraper } from './pod-scraper.js';
import type { MetricClient, NotCollecting } from './revision-scaler.js';
import type { MetricReading } from '../autoscaler/metric-collection.js';

/** collector.go scrapeTickInterval. */
export const SCRAPE_TICK_INTERVAL_MS = 1_000;

/** Builds the scraper for a Metric: null when it has no scrape target; throws when it cannot. */
export type StatsScraperFactory = (metric: KubeObject) => StatsScraper | null;

export interface MetricCollectorOptions {
  clock: IncarnationClock;
  scraperFactory: StatsScraperFactory;
  record: (kind: string, fields: Record<string, string | number | boolean>) => void;
}

interface Collection {
  buckets: MetricCollection;
  scraper: StatsScraper | null;
  lastError: string | null;
  timer: Timer | undefined;
  abandon: (() => void) | undefined;
  scraping: boolean;
  missedTick: boolean;
  /** The ticker's callback and event label, made once per collection rather than per tick. */
  tick: () => void;
  label: string;
}

/** The Metric's spec in milliseconds (its windows are time.Duration nanoseconds on the wire). */
export function metricSpecOf(metric: KubeObject): MetricSpec {
  const spec = (metric.spec ?? {}) as { stableWindow?: number; panicWindow?: number; scrapeTarget?: string };
  return {
    stableWindowMs: Math.round((spec.stableWindow ?? 0) / 1e6),
    panicWindowMs: Math.round((spec.panicWindow ?? 0) / 1e6),
    scrapeTarget: spec.scrapeTarget ?? '',
    aggregationAlgorithm: aggregationAlgorithm(metric.metadata.annotations),
  };
}

export class MetricCollector implements MetricClient {
  readonly #o: MetricCollectorOptions;
  readonly #collections = new Map<string, Collection>();
  #watcher: ((key: string) => void) | undefined;

  constructor(options: MetricCollectorOptions) {
    this.#o = options;
  }

  /** CreateOrUpdate: a new collection starts scraping; an existing one gets the new scraper and windows. Returns its last error. */
  createOrUpdate(metric: KubeObject): string | null {
    const scraper = this.#o.scraperFactory(metric);
    const key = `${metric.metadata.namespace}/${metric.metadata.name}`;
    const spec = metricSpecOf(metric);
    const existing = this.#collections.get(key);
    if (existing !== undefined) {
      existing.scraper = scraper;
      existing.buckets.updateMetric(spec, this.#o.clock.nowMs);
      return existing.lastError;
    }
    const c: Collection = {
      buckets: new MetricCollection(spec), scraper, lastError: null, timer: undefined, abandon: undefined, scraping: false, missedTick: false,
      tick: () => {
        if (this.#collections.get(key) !== c) return;
        this.#arm(c);
        if (c.scraping) c.missedTick = true;
        else this.#scrape(key, c);
      },
      label: `scrape ${key}`,
    };
    this.#collections.set(key, c);
    this.#o.record('autoscaler/collection', { key, event: 'create', target: spec.scrapeTarget });
    this.#arm(c);
    return null;
  }

  delete(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const c = this.#collections.get(key);
    if (c === undefined) return;
    this.#o.clock.cancel(c.timer);
    c.abandon?.();
    this.#collections.delete(key);
    this.#o.record('autoscaler/collection', { key, event: 'delete' });
  }

  has(key: string): boolean {
    return this.#collections.has(key);
  }

  /** Record: a stat for the key's collection at `tMs` (ignored when there is none). */
  record(key: string, tMs: number, stat: Stat): void {
    this.#collections.get(key)?.buckets.record(tMs, stat);
  }

  watch(fn: (key: string) => void): void {
    if (this.#watcher !== undefined) throw new Error('collector: multiple calls to watch() not supported');
    this.#watcher = fn;
  }

  stableAndPanicConcurrency(key: string, nowMs: number): MetricReading | NotCollecting {
    const c = this.#collections.get(key);
    return c === undefined ? { error: 'not-collecting' } : c.buckets.stableAndPanicConcurrency(nowMs);
  }

  stableAndPanicRPS(key: string, nowMs: number): MetricReading | NotCollecting {
    const c = this.#collections.get(key);
    return c === undefined ? { error: 'not-collecting' } : c.buckets.stableAndPanicRPS(nowMs);
  }

  #arm(c: Collection): void {
    c.timer = this.#o.clock.schedule(SCRAPE_TICK_INTERVAL_MS, c.tick, c.label);
  }

  #scrape(key: string, c: Collection): void {
    const scraper = c.scraper;
    if (scraper === null) {
      this.#setError(key, c, null);
      return;
    }
    c.scraping = true;
    let answered = false;
    const abandon = scraper.scrape(c.buckets.spec.stableWindowMs, (outcome) => {
      answered = true;
      c.scraping = false;
      c.abandon = undefined;
      if (this.#collections.get(key) !== c) return;
      this.#onScraped(key, c, outcome);
      if (c.missedTick) {
        c.missedTick = false;
        this.#scrape(key, c);
      }
    });
    if (!answered) c.abandon = abandon;
  }

  #onScraped(key: string, c: Collection, outcome: ScrapeOutcome): void {
    this.#setError(key, c, outcome.ok ? null : outcome.error);
    if (!outcome.ok) {
      this.#o.record('autoscaler/scrape', { key, ok: false, error: outcome.error });
      return;
    }
    if (outcome.stat === null || isEmptyStat(outcome.stat)) return;
    c.buckets.record(this.#o.clock.nowMs, outcome.stat);
    this.#o.record('autoscaler/scrape', { key, ok: true, concurrency: outcome.stat.averageConcurrentRequests, rps: outcome.stat.requestCount });
  }

  /** updateLastError: tell the watcher when the error changes. */
  #setError(key: string, c: Collection, error: string | null): void {
    if (c.lastError === error) return;
    c.lastError = error;
    this.#watcher?.(key);
  }
}
