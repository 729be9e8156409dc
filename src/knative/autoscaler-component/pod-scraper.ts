// Direct pod scraping (knative/serving pkg/autoscaler/metrics/stats_scraper.go scrapePods,
// http_scrape_client.go): the ready pods of the revision are ordered by planPodScrape (old pods
// first, the shuffled group drawn through the chooser), then n = sample size workers walk that
// order concurrently, each GETting http://<podIP>:9090/metrics with a 3 s client timeout until one
// answer succeeds; a worker that runs out of pods fails the whole scrape (errgroup: the requests
// still in flight are cancelled) and nothing is recorded. With all n answers in, the estimate is
// Σ(samples) / n × N per field (extrapolateStats, summed in arrival order as the results channel
// is drained). No ready pod: an empty stat and no error.
//
// Left out: the fallback to scraping through the private service when every failure looked like a
// mesh (HTTP 502/503 from every pod) — here that outcome is an error, as with the mesh fallback
// disabled — and the Content-Type check (bodies are decoded by shape instead).

import type { HttpNetwork, HttpResponse, Pending } from '../../dataplane/http-network.js';
import { planPodScrape, type ChooseIndex, type PodScrapePlan } from '../autoscaler/scrape-plan.js';
import { extrapolateStats, type Stat } from '../autoscaler/stat.js';
import { PORTS } from '../serving-system.js';
import type { RevisionPods } from './revision-pods.js';
import { decodeStat } from './stat-decoding.js';

/** stats_scraper.go httpClientTimeout. */
export const SCRAPE_HTTP_TIMEOUT_MS = 3_000;
/** The upstream errors a failed scrape reports (errPodsExhausted, errDirectScrapingNotAvailable). */
export const SCRAPE_ERRORS = Object.freeze({ podsExhausted: 'pods exhausted', directScrapingNotAvailable: 'all pod scrapes returned 503 error' });

export type ScrapeOutcome = { ok: true; stat: Stat | null } | { ok: false; error: string };

/** metrics.StatsScraper: one scrape, answered once through `done`; the returned function abandons it. */
export interface StatsScraper {
  scrape(stableWindowMs: number, done: (outcome: ScrapeOutcome) => void): () => void;
}

export interface PodScraperOptions {
  http: HttpNetwork;
  /** The autoscaler pod's IP (the requests' source). */
  fromIp: string;
  pods: RevisionPods;
  namespace: string;
  revision: string;
  choose: ChooseIndex;
  nowMs: () => number;
}

/** One answer: a stat, or a failure and whether it looked like a mesh (HTTP 502/503). */
function readAnswer(res: HttpResponse): { stat: Stat } | { mightBeMesh: boolean } {
  if (res.status < 200 || res.status >= 300) return { mightBeMesh: res.status === 502 || res.status === 503 };
  const stat = decodeStat(res.body);
  return stat === undefined ? { mightBeMesh: false } : { stat };
}

export class PodScraper implements StatsScraper {
  readonly #o: PodScraperOptions;

  constructor(options: PodScraperOptions) {
    this.#o = options;
  }

  scrape(stableWindowMs: number, done: (outcome: ScrapeOutcome) => void): () => void {
    const o = this.#o;
    const plan = planPodScrape({ pods: o.pods.scrapeCandidates(o.namespace, o.revision), nowMs: o.nowMs(), stableWindowMs, choose: o.choose });
    if (plan.population === 0) {
      done({ ok: true, stat: null });
      return () => undefined;
    }
    return this.#walk(plan, done);
  }

  /** The n workers of scrapePods over `plan.order`. */
  #walk(plan: PodScrapePlan, done: (outcome: ScrapeOutcome) => void): () => void {
    const o = this.#o;
    const inFlight = new Set<Pending>();
    const results: Stat[] = [];
    let next = 0;
    let finished = false;
    let sawNonMeshError = false;
    const finish = (outcome: ScrapeOutcome): void => {
      finished = true;
      for (const p of [...inFlight]) p.cancel();
      inFlight.clear();
      done(outcome);
    };
    const work = (): void => {
      if (finished) return;
      if (next >= plan.order.length) {
        const meshOnly = results.length === 0 && !sawNonMeshError;
        finish({ ok: false, error: meshOnly ? SCRAPE_ERRORS.directScrapingNotAvailable : SCRAPE_ERRORS.podsExhausted });
        return;
      }
      const ip = plan.order[next++];
      const request = { method: 'GET' as const, path: '/metrics', headers: { Accept: 'application/protobuf' } };
      const pending: Pending = o.http.send(ip, PORTS.metrics, request, { fromIp: o.fromIp, timeoutMs: SCRAPE_HTTP_TIMEOUT_MS }, (res) => {
        inFlight.delete(pending);
        if (finished) return;
        const answer = readAnswer(res);
        if ('stat' in answer) {
          results.push(answer.stat);
          if (results.length === plan.sampleSize) finish({ ok: true, stat: extrapolateStats(results, plan.sampleSize, plan.population) });
          return;
        }
        if (!answer.mightBeMesh) sawNonMeshError = true;
        work();
      });
      if (!finished) inFlight.add(pending);
    };
    for (let i = 0; i < plan.sampleSize; i++) work();
    return () => {
      if (!finished) {
        finished = true;
        for (const p of [...inFlight]) p.cancel();
        inFlight.clear();
      }
    };
  }
}
