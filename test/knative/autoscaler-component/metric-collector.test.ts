// The metric collector and the direct pod scraper, ported where they exercise wiring from
// knative/serving pkg/autoscaler/metrics/collector_test.go and stats_scraper_test.go: collections
// live and die with their Metric, scrape on their own 1 s ticker, record at completion, report
// changes of their last error; the scraper samples Ready pods of the revision over the data plane.
import t from 'tap';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { Simulation } from '../../../src/sim/simulation.js';
import type { Stat } from '../../../src/knative/autoscaler/stat.js';
import type { IncarnationClock } from '../../../src/knative/autoscaler-component/incarnation-clock.js';
import { MetricCollector } from '../../../src/knative/autoscaler-component/metric-collector.js';
import { PodScraper, SCRAPE_ERRORS, type ScrapeOutcome, type StatsScraper } from '../../../src/knative/autoscaler-component/pod-scraper.js';
import { RevisionPods } from '../../../src/knative/autoscaler-component/revision-pods.js';
import { PORTS } from '../../../src/knative/serving-system.js';
import { createReadyPod, newHarness, serveQueueProxyStats, type Harness } from './harness.js';

function metric(name: string, scrapeTarget: string, stableS = 60, panicS = 6): KubeObject {
  return {
    apiVersion: 'autoscaling.internal.knative.dev/v1alpha1', kind: 'Metric',
    metadata: { name, namespace: 'ns', labels: { 'serving.knative.dev/revision': name } },
    spec: { stableWindow: stableS * 1e9, panicWindow: panicS * 1e9, scrapeTarget },
  };
}

function stat(concurrency: number, podName = 'p'): Stat {
  return { podName, averageConcurrentRequests: concurrency, averageProxiedConcurrentRequests: 0, requestCount: concurrency, proxiedRequestCount: 0 };
}

/** A scraper that answers after `delayMs` with what `next()` says. */
class FakeScraper implements StatsScraper {
  starts: number[] = [];
  constructor(readonly sim: Simulation, readonly next: () => ScrapeOutcome, readonly delayMs = 0) {}
  scrape(_windowMs: number, done: (o: ScrapeOutcome) => void): () => void {
    this.starts.push(this.sim.nowMs);
    const timer = this.sim.schedule(this.delayMs, () => done(this.next()), 'fake-scrape');
    return () => this.sim.cancel(timer);
  }
}

function collectorWith(factory: (m: KubeObject) => StatsScraper | null): { sim: Simulation; collector: MetricCollector; told: [number, string][] } {
  const sim = new Simulation({ seed: 3 });
  const clock: IncarnationClock = { get nowMs() { return sim.nowMs; }, schedule: (d, run, label) => sim.schedule(d, run, label), cancel: (timer) => sim.cancel(timer) };
  const collector = new MetricCollector({ clock, scraperFactory: factory, record: () => undefined });
  const told: [number, string][] = [];
  collector.watch((key) => told.push([sim.nowMs, key]));
  return { sim, collector, told };
}

t.test('TestMetricCollectorCRUD + ScraperMovingTime: a collection scrapes every second from its creation, records at completion, and is gone after Delete', async (t) => {
  let value = 10;
  let scraper!: FakeScraper;
  const { sim, collector } = collectorWith(() => (scraper = new FakeScraper(sim, () => ({ ok: true, stat: stat(value) }), 300)));
  t.same(collector.stableAndPanicConcurrency('ns/rev', 0), { error: 'not-collecting' }, 'ErrNotCollecting before Create');
  sim.run({ untilMs: 200 });
  t.equal(collector.createOrUpdate(metric('rev', 'rev-private')), null);
  sim.run({ untilMs: 3_600 });
  t.same(scraper.starts, [1_200, 2_200, 3_200], 'ticks 1 s apart from the creation');
  t.same(collector.stableAndPanicConcurrency('ns/rev', 3_600), { stable: 10, panic: 10 }, 'recorded at 1.5 s and 2.5 s (completion), averaged');
  value = 40;
  sim.run({ untilMs: 4_600 });
  t.same(collector.stableAndPanicConcurrency('ns/rev', 4_600), { stable: 17.5, panic: 17.5 }, 'buckets 1 to 4 hold 10, 10, 10 and 40 (the scrape done at 4.5 s)');
  collector.delete('ns', 'rev');
  const starts = scraper.starts.length;
  sim.run({ untilMs: 10_000 });
  t.equal(scraper.starts.length, starts, 'no scrape after Delete');
  t.same(collector.stableAndPanicConcurrency('ns/rev', 10_000), { error: 'not-collecting' });
});

t.test('a scrape slower than the tick: one missed tick is kept (Go ticker), so the next scrape follows at once, then the 1 s grid resumes', async (t) => {
  let scraper!: FakeScraper;
  const { sim, collector } = collectorWith(() => (scraper = new FakeScraper(sim, () => ({ ok: true, stat: stat(1) }), 2_500)));
  collector.createOrUpdate(metric('rev', 'rev-private'));
  sim.run({ untilMs: 8_000 });
  t.same(scraper.starts, [1_000, 3_500, 6_000], 'each scrape starts as the previous ends, the ticks in between collapsed into one');
});

t.test('TestMetricCollectorNoScraper / NoDataError: without a scrape target only recorded stats count and there is never ErrNoData; with one, an empty window is ErrNoData', async (t) => {
  const { sim, collector } = collectorWith(() => null);
  collector.createOrUpdate(metric('activator-only', ''));
  sim.run({ untilMs: 5_000 });
  t.same(collector.stableAndPanicConcurrency('ns/activator-only', 5_000), { stable: 0, panic: 0 }, 'empty buckets, but no ErrNoData without a scrape target');
  collector.record('ns/activator-only', 5_000, stat(30));
  t.same(collector.stableAndPanicConcurrency('ns/activator-only', 5_000), { stable: 30, panic: 30 });
  const other = collectorWith(() => null);
  other.collector.createOrUpdate(metric('scraped', 'scraped-private'));
  other.sim.run({ untilMs: 62_000 });
  t.same(other.collector.stableAndPanicConcurrency('ns/scraped', 62_000), { error: 'no-data' });
});

t.test('TestMetricCollectorRecord: stats of every source landing in the same second are summed; proxied requests are subtracted', async (t) => {
  const { collector } = collectorWith(() => null);
  collector.createOrUpdate(metric('rev', ''));
  collector.record('ns/rev', 1_000, stat(10));
  collector.record('ns/rev', 1_400, stat(10));
  collector.record('ns/rev', 1_900, { ...stat(10), averageProxiedConcurrentRequests: 4 });
  t.same(collector.stableAndPanicConcurrency('ns/rev', 1_900), { stable: 26, panic: 26 });
  collector.record('ns/missing', 1_900, stat(10));
  t.same(collector.stableAndPanicConcurrency('ns/missing', 1_900), { error: 'not-collecting' }, 'a stat for a key without collection is dropped');
});

t.test('TestMetricCollectorError: the watcher is told when the last scrape error changes, and CreateOrUpdate returns it', async (t) => {
  const outcomes: ScrapeOutcome[] = [
    { ok: false, error: SCRAPE_ERRORS.podsExhausted }, { ok: false, error: SCRAPE_ERRORS.podsExhausted }, { ok: true, stat: stat(5) },
  ];
  const { sim, collector, told } = collectorWith(() => new FakeScraper(sim, () => outcomes.shift() ?? { ok: true, stat: stat(5) }));
  collector.createOrUpdate(metric('rev', 'rev-private'));
  sim.run({ untilMs: 2_500 });
  t.same(told, [[1_000, 'ns/rev']], 'told once for the first error, not again for the same one');
  t.equal(collector.createOrUpdate(metric('rev', 'rev-private')), SCRAPE_ERRORS.podsExhausted);
  sim.run({ untilMs: 3_500 });
  t.same(told, [[1_000, 'ns/rev'], [3_000, 'ns/rev']], 'and again when it clears');
  t.equal(collector.createOrUpdate(metric('rev', 'rev-private', 30, 3)), null);
  t.throws(() => collector.watch(() => undefined), /multiple calls/);
});

// --- the pod scraper against queue-proxy listeners ---

interface ScrapeRig {
  h: Harness;
  scrape: () => Promise<ScrapeOutcome>;
}

/** A component holding a RevisionPods and a PodScraper for revision `rev`. */
function scrapeRig(h: Harness): ScrapeRig {
  let scraper!: PodScraper;
  h.cluster.addComponent({
    name: 'scraper-host',
    setup: (ctx) => {
      const pods = new RevisionPods(ctx);
      const shuffle = ctx.sim.choices('test/shuffle');
      scraper = new PodScraper({ http: h.http, fromIp: '10.2.0.100', pods, namespace: 'default', revision: 'rev', choose: (n) => shuffle.int(n), nowMs: () => ctx.sim.nowMs });
    },
  });
  h.cluster.sim.run({ untilMs: h.cluster.sim.nowMs + 100 });
  const scrape = (): Promise<ScrapeOutcome> => {
    let outcome: ScrapeOutcome | undefined;
    scraper.scrape(60_000, (o) => { outcome = o; });
    h.cluster.sim.run({ untilMs: h.cluster.sim.nowMs + 5_000 });
    return Promise.resolve(outcome!);
  };
  return { h, scrape };
}

function podsServing(count: number, answer: (i: number) => 'ok' | 'refuse' | '503' | 'hang'): Harness {
  const h = newHarness();
  for (let i = 1; i <= count; i++) {
    createReadyPod(h, 'rev', `rev-pod-${i}`, `10.3.0.${i}`);
    const kind = answer(i);
    if (kind === 'ok') serveQueueProxyStats(h, `10.3.0.${i}`, () => stat(i, `rev-pod-${i}`));
    else if (kind === '503') h.http.listen(`10.3.0.${i}`, PORTS.metrics, (ex) => ex.respond({ status: 503 }));
    else if (kind === 'hang') h.http.listen(`10.3.0.${i}`, PORTS.metrics, () => undefined);
  }
  return h;
}

t.test('TestPodDirectScrapeSuccess: three pods, all sampled; the estimate is the sum (Σ/3 × 3), named service-scraper', async (t) => {
  const { scrape } = scrapeRig(podsServing(3, () => 'ok'));
  const o = await scrape();
  t.same(o, { ok: true, stat: { podName: 'service-scraper', averageConcurrentRequests: 6, averageProxiedConcurrentRequests: 0, requestCount: 6, proxiedRequestCount: 0 } });
});

t.test('TestPodDirectScrapeSomeFailButSuccess: 5 pods, sample 4; a refused connection, or a 3 s timeout, is replaced by the spare pod', async (t) => {
  for (const failure of ['refuse', 'hang'] as const) {
    const { scrape } = scrapeRig(podsServing(5, (i) => (i === 2 ? failure : 'ok')));
    const o = await scrape();
    t.same(o, { ok: true, stat: { podName: 'service-scraper', averageConcurrentRequests: 13 / 4 * 5, averageProxiedConcurrentRequests: 0, requestCount: 13 / 4 * 5, proxiedRequestCount: 0 } },
      `${failure}: pods 1, 3, 4 and 5 (1 + 3 + 4 + 5 = 13) extrapolated to 5 pods`);
  }
});

t.test('TestPodDirectScrapePodsExhausted: too few answers for the sample fail the scrape (pods exhausted)', async (t) => {
  const { scrape } = scrapeRig(podsServing(5, (i) => (i <= 2 ? 'refuse' : 'ok')));
  t.same(await scrape(), { ok: false, error: SCRAPE_ERRORS.podsExhausted });
});

t.test('TestPodDirectScrapeAllFailWithMeshError: every pod answering 503 is the mesh signal (no service-scraping fallback here)', async (t) => {
  const { scrape } = scrapeRig(podsServing(3, () => '503'));
  t.same(await scrape(), { ok: false, error: SCRAPE_ERRORS.directScrapingNotAvailable });
});

t.test('TestScrapeOnlyScrapesPodsForCorrectRevision / DoNotScrapeIfNoPodsFound: pods of other revisions are not scraped; no ready pod gives an empty stat', async (t) => {
  const h = newHarness();
  createReadyPod(h, 'other', 'other-pod', '10.3.0.9');
  let hits = 0;
  h.http.listen('10.3.0.9', PORTS.metrics, (ex) => { hits++; ex.respond({ status: 200, body: stat(100) }); });
  const { scrape } = scrapeRig(h);
  t.same(await scrape(), { ok: true, stat: null });
  t.equal(hits, 0);
});
