// Direct pod scraping (the pure part), ported from knative/serving
// pkg/autoscaler/metrics/stats_scraper_test.go: TestPodDirectScrapeSuccess,
// TestPodDirectScrapeSomeFailButSuccess, TestPodDirectScrapeAllFailWithMeshError,
// TestPodDirectScrapeSomeFailWithNonMeshError, TestPodDirectScrapePodsExhausted, TestMixedPodShuffle,
// TestOldPodShuffle, TestOldPodsFallback, TestScrapeOnlyScrapesPodsForCorrectRevision, and the
// arithmetic of checkBaseStat. The fake scrape client answers by call order, as upstream's does.
import t from 'tap';
import {
  planPodScrape, resolvePodScrape, type ChooseIndex, type PodScrapeOutcome, type ScrapeCandidate,
} from '../../../src/knative/autoscaler/scrape-plan.js';
import type { Stat } from '../../../src/knative/autoscaler/stat.js';

const NOW = 10_000_000;
const WINDOW = 60_000;
const stat = (podName: string, ac: number, apc: number, rc: number, prc: number): Stat =>
  ({ podName, averageConcurrentRequests: ac, averageProxiedConcurrentRequests: apc, requestCount: rc, proxiedRequestCount: prc });
const TEST_STATS = [stat('pod-1', 3, 2, 5, 4), stat('pod-2', 5, 4, 7, 6), stat('pod-3', 3, 2, 5, 4)];

/** A deterministic chooser: a small LCG, so shuffles differ between seeds. */
function chooser(seed: number): ChooseIndex {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
}

const makePods = (prefix: string, n: number, startTimeMs: number): ScrapeCandidate[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, startTimeMs }));

/** newTestScrapeClient: answers stats[i % len] / errs[i % len] for the i-th request. */
function fakeClient(stats: Stat[], errs: (PodScrapeOutcome | null)[]) {
  let calls = 0;
  const urls: string[] = [];
  const answer = (pod: string): PodScrapeOutcome => {
    urls.push(pod);
    const i = calls++;
    return errs[i % errs.length] ?? { stat: stats[i % stats.length] };
  };
  return { answer, urls };
}

const fail = (mightBeMesh = false): PodScrapeOutcome => ({ error: 'okay', mightBeMesh });

t.test('TestPodDirectScrapeSuccess', async (t) => {
  const empty = resolvePodScrape(planPodScrape({ pods: [], nowMs: NOW, stableWindowMs: WINDOW, choose: chooser(1) }), () => fail());
  t.same(empty, { ok: true, stat: null, scrapedPods: [], triedPods: [] }, 'no pods at all: an empty stat and no error');
  const client = fakeClient(TEST_STATS, [null]);
  const result = resolvePodScrape(planPodScrape({ pods: makePods('pods-', 3, NOW), nowMs: NOW, stableWindowMs: WINDOW, choose: chooser(1) }), client.answer);
  t.equal(result.ok, true);
});

t.test('checkBaseStat: Σ / n × N per field, named service-scraper', async (t) => {
  const client = fakeClient(TEST_STATS, [null]);
  const result = resolvePodScrape(planPodScrape({ pods: makePods('pods-', 3, NOW), nowMs: NOW, stableWindowMs: WINDOW, choose: chooser(2) }), client.answer);
  t.same(result.ok ? result.stat : null, stat('service-scraper', 11, 8, 17, 14));
});

t.test('TestPodDirectScrapeSomeFailButSuccess: 5 pods need 4 successes', async (t) => {
  const client = fakeClient(TEST_STATS, [null, null, fail(), null, null]);
  const plan = planPodScrape({ pods: makePods('pods-', 5, NOW), nowMs: NOW, stableWindowMs: WINDOW, choose: chooser(3) });
  t.equal(plan.sampleSize, 4);
  const result = resolvePodScrape(plan, client.answer);
  t.equal(result.ok ? result.stat?.averageConcurrentRequests : -1, 20);
  t.equal(result.triedPods.length, 5, 'the failed pod was skipped and the next one tried');
});

t.test('TestPodDirectScrapeAllFailWithMeshError: all mesh errors ask for the service-scraping fallback', async (t) => {
  const client = fakeClient(TEST_STATS, [fail(true)]);
  const result = resolvePodScrape(planPodScrape({ pods: makePods('pods-', 4, NOW - WINDOW), nowMs: NOW, stableWindowMs: WINDOW, choose: chooser(4) }), client.answer);
  t.same(result, { ok: false, error: 'direct-scraping-not-available', triedPods: result.triedPods });
  t.equal(result.triedPods.length, 4);
});

t.test('TestPodDirectScrapeSomeFailWithNonMeshError', async (t) => {
  const client = fakeClient(TEST_STATS, [fail(true), fail(false), fail(true), fail(true)]);
  const result = resolvePodScrape(planPodScrape({ pods: makePods('pods-', 4, NOW), nowMs: NOW, stableWindowMs: WINDOW, choose: chooser(5) }), client.answer);
  t.equal(result.ok ? 'ok' : result.error, 'pods-exhausted');
});

t.test('TestPodDirectScrapePodsExhausted: 3 answers when 4 are needed fail the scrape', async (t) => {
  const client = fakeClient(TEST_STATS, [null, null, fail(), null]);
  const result = resolvePodScrape(planPodScrape({ pods: makePods('pods-', 4, NOW), nowMs: NOW, stableWindowMs: WINDOW, choose: chooser(6) }), client.answer);
  t.equal(result.ok ? 'ok' : result.error, 'pods-exhausted');
});

t.test('TestMixedPodShuffle: too few old pods, so all of them are scraped', async (t) => {
  const pods = [...makePods('old-', 5, NOW - 3_600_000), ...makePods('new-', 20, NOW)];
  const plan = planPodScrape({ pods, nowMs: NOW, stableWindowMs: WINDOW, choose: chooser(7) });
  t.equal(plan.sampleSize, 10);
  t.same(plan.order.slice(0, 5), ['old-0', 'old-1', 'old-2', 'old-3', 'old-4'], 'old pods first, unshuffled');
  const client = fakeClient(TEST_STATS, [null]);
  resolvePodScrape(plan, client.answer);
  t.equal(new Set(client.urls).size, 10, 'sample size unique pods');
  t.equal(client.urls.filter((u) => u.startsWith('old-')).length, 5, 'every old pod');
});

t.test('TestOldPodShuffle: enough old pods, so only old pods are scraped, in shuffled order', async (t) => {
  const pods = [...makePods('old-', 25, NOW - 3_600_000), ...makePods('young-', 5, NOW)];
  const runs = [chooser(8), chooser(9)].map((choose) => {
    const client = fakeClient(TEST_STATS, [null]);
    resolvePodScrape(planPodScrape({ pods, nowMs: NOW, stableWindowMs: WINDOW, choose }), client.answer);
    return client.urls;
  });
  for (const urls of runs) {
    t.equal(new Set(urls).size, 11);
    t.equal(urls.filter((u) => u.startsWith('old-')).length, 11, 'all old');
  }
  t.not(runs[0].slice().sort().join(), runs[1].slice().sort().join(), 'a different set of pods for a different choice');
});

t.test('TestOldPodsFallback: failed old pods are replaced by young ones', async (t) => {
  const pods = [...makePods('old-', 11, NOW - 3_600_000), ...makePods('young-', 19, NOW)];
  const client = fakeClient(TEST_STATS, [...Array.from({ length: 11 }, () => fail()), ...Array.from({ length: 19 }, () => null)]);
  const result = resolvePodScrape(planPodScrape({ pods, nowMs: NOW, stableWindowMs: WINDOW, choose: chooser(10) }), client.answer);
  t.equal(result.ok, true);
  t.equal(new Set(client.urls).size, 22);
  t.equal(client.urls.filter((u) => u.startsWith('old-')).length, 11);
  t.equal(client.urls.filter((u) => u.startsWith('young-')).length, 11);
});

t.test('TestScrapeOnlyScrapesPodsForCorrectRevision: the caller passes only the revision\'s pods', async (t) => {
  const client = fakeClient([stat('rev-a-pod-0', 1, 0, 10, 0), stat('rev-a-pod-1', 2, 0, 20, 0)], [null]);
  const result = resolvePodScrape(planPodScrape({ pods: makePods('rev-a-pod-', 2, NOW), nowMs: NOW, stableWindowMs: WINDOW, choose: chooser(11) }), client.answer);
  t.equal(client.urls.length, 2);
  t.same(result.ok ? [result.stat?.averageConcurrentRequests, result.stat?.requestCount] : [], [3, 30]);
});

t.test('a pod exactly a stable window old is old; the shuffle uses n-1 choices', async (t) => {
  const asked: number[] = [];
  const plan = planPodScrape({
    pods: [{ name: 'a', startTimeMs: NOW - WINDOW }, { name: 'b', startTimeMs: NOW - WINDOW + 1 }, { name: 'c', startTimeMs: NOW }],
    nowMs: NOW, stableWindowMs: WINDOW, choose: (n) => { asked.push(n); return 0; },
  });
  t.equal(plan.oldCount, 1);
  t.same(asked, [2], 'one old pod < 3 samples: the 2 young pods are shuffled (Fisher–Yates from the end)');
  t.same(plan.order, ['a', 'c', 'b']);
  t.throws(() => planPodScrape({ pods: makePods('x', 3, NOW), nowMs: NOW, stableWindowMs: WINDOW, choose: () => 7 }), RangeError);
});
