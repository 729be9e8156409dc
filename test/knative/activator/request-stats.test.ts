// Port of knative/networking pkg/http/stats/request_test.go TestRequestStats: every row, with the
// exact float results upstream asserts (cmp.Equal on float64).
import t from 'tap';
import { goDurationSeconds, RequestStats, type ReqEventType, type RequestStatsReport } from '../../../src/knative/activator/request-stats.js';

type Step = [ReqEventType | 'report', number];

function run(steps: Step[]): RequestStatsReport[] {
  const stats = new RequestStats({ startedAtMs: 0 });
  const reports: RequestStatsReport[] = [];
  for (const [type, timeMs] of steps) {
    if (type === 'report') reports.push(stats.report(timeMs));
    else stats.handleEvent({ type, timeMs });
  }
  return reports;
}

function r(averageConcurrency: number, requestCount: number, averageProxiedConcurrency = 0, proxiedRequestCount = 0): RequestStatsReport {
  return { averageConcurrency, averageProxiedConcurrency, requestCount, proxiedRequestCount };
}

const rows: { name: string; steps: Step[]; want: RequestStatsReport[] }[] = [
  { name: 'no requests', steps: [['report', 1000]], want: [r(0, 0)] },
  { name: '1 request, entire time', steps: [['ReqIn', 0], ['ReqOut', 1000], ['report', 1000]], want: [r(1, 1)] },
  { name: '1 request, half the time', steps: [['ReqIn', 0], ['ReqOut', 3000], ['report', 6000]], want: [r(0.5, 1)] },
  { name: 'very short request', steps: [['ReqIn', 0], ['ReqOut', 1], ['report', 1000]], want: [r(1 / 1000, 1)] },
  {
    name: '3 requests, fill entire time',
    steps: [['ReqIn', 0], ['ReqOut', 300], ['ReqIn', 300], ['ReqOut', 600], ['ReqIn', 600], ['ReqOut', 1000], ['report', 1000]],
    want: [r(1, 3)],
  },
  { name: 'interleaved requests', steps: [['ReqIn', 0], ['ReqIn', 100], ['ReqOut', 600], ['ReqOut', 1000], ['report', 1000]], want: [r(1.5, 2)] },
  { name: 'request across reporting', steps: [['ReqIn', 0], ['report', 1000], ['ReqOut', 1500], ['report', 2000]], want: [r(1, 1), r(0.5, 0)] },
  {
    name: 'request across multiple reportings',
    steps: [['ReqIn', 0], ['report', 1000], ['report', 2000], ['report', 3000], ['ReqOut', 3500], ['report', 4000]],
    want: [r(1, 1), r(1, 0), r(1, 0), r(0.5, 0)],
  },
  { name: '1 request, proxied, entire time', steps: [['ProxiedIn', 0], ['ProxiedOut', 1000], ['report', 1000]], want: [r(1, 1, 1, 1)] },
  { name: '1 request, proxied, half the time', steps: [['ProxiedIn', 0], ['ProxiedOut', 500], ['report', 1000]], want: [r(0.5, 1, 0.5, 1)] },
  {
    name: '2 requests, proxied and non proxied',
    steps: [['ProxiedIn', 0], ['ReqIn', 0], ['ProxiedOut', 500], ['ReqOut', 1000], ['report', 1000]],
    want: [r(1.5, 2, 0.5, 1)],
  },
  {
    name: "ignore 'negative' requests",
    steps: [['ReqIn', 500], ['ReqIn', 499], ['ReqOut', 1000], ['ReqOut', 999], ['report', 1000]],
    want: [r(1, 2)],
  },
];

t.test('TestRequestStats table', async (t) => {
  for (const row of rows) t.same(run(row.steps), row.want, row.name);
});

t.test('reports are exact floats, not approximations', async (t) => {
  t.equal(run([['ReqIn', 0], ['ReqOut', 1], ['report', 1000]])[0].averageConcurrency, 0.001);
  t.equal(run([['ReqIn', 0], ['ReqIn', 100], ['ReqOut', 600], ['ReqOut', 1000], ['report', 1000]])[0].averageConcurrency, 1.5);
});

t.test('goDurationSeconds splits whole seconds from the remainder like time.Duration.Seconds', async (t) => {
  t.equal(goDurationSeconds(1500), 1.5);
  t.equal(goDurationSeconds(1), 0.001);
  t.equal(goDurationSeconds(1234), 1 + 0.234);
  t.equal(goDurationSeconds(60_000), 60);
});

t.test('concurrency is the number of requests in flight now', async (t) => {
  const s = new RequestStats({ startedAtMs: 0 });
  s.handleEvent({ type: 'ReqIn', timeMs: 0 });
  s.handleEvent({ type: 'ProxiedIn', timeMs: 0 });
  t.equal(s.concurrency, 2);
  s.handleEvent({ type: 'ProxiedOut', timeMs: 1 });
  t.equal(s.concurrency, 1);
});
