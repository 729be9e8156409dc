import t from 'tap';
import { HttpNetwork, type Exchange, type HttpResponse } from '../../src/dataplane/http-network.js';
import { Process, perform, type Proc } from '../../src/sim/process.js';
import { Simulation } from '../../src/sim/simulation.js';

const GET = { method: 'GET' as const, path: '/healthz', headers: {} };

function setup(hopMs = 1): { sim: Simulation; net: HttpNetwork } {
  const sim = new Simulation({ seed: 1 });
  return { sim, net: new HttpNetwork(sim, { hopLatency: { minMs: hopMs, maxMs: hopMs } }) };
}

t.test('a listener answers after the two hop latencies plus its own work', async (t) => {
  const { sim, net } = setup(1);
  net.listen('10.0.0.1', 8012, (ex) => void sim.schedule(50, () => ex.respond({ status: 200, body: 'queue' })));
  let got: [number, HttpResponse] | undefined;
  net.send('10.0.0.1', 8012, GET, { fromIp: '10.0.0.9', timeoutMs: 0 }, (res) => (got = [sim.nowMs, res]));
  sim.run({ untilMs: 1000 });
  t.same(got, [52, { status: 200, body: 'queue' }]);
});

t.test('no listener: connection refused after a round trip', async (t) => {
  const { sim, net } = setup(1);
  let got: [number, HttpResponse] | undefined;
  net.send('10.0.0.2', 80, GET, { fromIp: 'x', timeoutMs: 1000 }, (res) => (got = [sim.nowMs, res]));
  sim.run({ untilMs: 5000 });
  t.same(got, [2, { status: 0, error: 'connection refused' }]);
});

t.test('a server slower than the client timeout: the client gets a timeout, the server sees the exchange abandoned and its late answer is dropped', async (t) => {
  const { sim, net } = setup(1);
  let exchange: Exchange | undefined;
  let abandonedAt = -1;
  net.listen('10.0.0.1', 80, (ex) => {
    exchange = ex;
    ex.onAbandon(() => (abandonedAt = sim.nowMs));
    sim.schedule(500, () => ex.respond({ status: 200 }));
  });
  const answers: [number, HttpResponse][] = [];
  net.send('10.0.0.1', 80, GET, { fromIp: 'x', timeoutMs: 100 }, (res) => answers.push([sim.nowMs, res]));
  sim.run({ untilMs: 2000 });
  t.same(answers, [[100, { status: 0, error: 'timeout' }]], 'exactly one answer');
  t.equal(abandonedAt, 100);
  t.equal(exchange?.abandoned, true);
});

t.test('a blocked address hangs until the timeout; unblocking restores it', async (t) => {
  const { sim, net } = setup(1);
  net.listen('10.0.0.1', 80, (ex) => ex.respond({ status: 200 }));
  net.setBlocked('10.0.0.1', true);
  const got: HttpResponse[] = [];
  net.send('10.0.0.1', 80, GET, { fromIp: 'x', timeoutMs: 300 }, (r) => got.push(r));
  sim.run({ untilMs: 1000 });
  net.setBlocked('10.0.0.1', false);
  net.send('10.0.0.1', 80, GET, { fromIp: 'x', timeoutMs: 300 }, (r) => got.push(r));
  sim.run({ untilMs: 2000 });
  t.same(got.map((r) => r.status || r.error), ['timeout', 200]);
});

t.test('respond is idempotent and unlisten of a replaced handler leaves the new one', async (t) => {
  const { sim, net } = setup(0);
  const stopOld = net.listen('ip', 1, (ex) => ex.respond({ status: 500 }));
  net.listen('ip', 1, (ex) => { ex.respond({ status: 200 }); ex.respond({ status: 503 }); });
  stopOld();
  t.equal(net.isListening('ip', 1), true);
  const got: number[] = [];
  net.send('ip', 1, GET, { fromIp: 'x', timeoutMs: 0 }, (r) => got.push(r.status));
  sim.run({ untilMs: 10 });
  t.same(got, [200]);
});

t.test('a generator process can await a request as an effect', async (t) => {
  const { sim, net } = setup(2);
  net.listen('ip', 9090, (ex) => ex.respond({ status: 200, body: { averageConcurrentRequests: 3 } }));
  let body: unknown;
  function* scrape(): Proc {
    const res = yield* perform(net.request('ip', 9090, GET, { fromIp: 'autoscaler', timeoutMs: 3000 }));
    body = res.body;
  }
  new Process(sim, scrape(), { name: 'scraper' }).start();
  sim.run({ untilMs: 100 });
  t.same(body, { averageConcurrentRequests: 3 });
});

t.test('an exchange tells its settle listener once: when answered, or first thing when the client gives up', async (t) => {
  const { sim, net } = setup(1);
  const events: string[] = [];
  const exchanges: Exchange[] = [];
  net.listen('10.0.0.1', 80, (ex) => {
    exchanges.push(ex);
    ex.onSettled({ settled: () => void events.push(`settled ${exchanges.indexOf(ex)}`) });
    ex.onAbandon(() => void events.push(`abandoned ${exchanges.indexOf(ex)}`));
  });
  net.send('10.0.0.1', 80, GET, { fromIp: 'c', timeoutMs: 0 }, () => void events.push('answer 0'));
  const second = net.send('10.0.0.1', 80, GET, { fromIp: 'c', timeoutMs: 0 }, () => void events.push('gave up 1'));
  sim.run({ untilMs: 10 });
  t.equal(exchanges.length, 2);
  t.same(exchanges.map((ex) => ex.settled), [false, false]);
  exchanges[0].respond({ status: 200 });
  exchanges[0].respond({ status: 500 });
  second.cancel();
  t.same(exchanges.map((ex) => ex.settled), [true, true]);
  let late = 0;
  exchanges[1].onSettled({ settled: () => void late++ });
  sim.run({ untilMs: 20 });
  t.same(events, ['settled 0', 'settled 1', 'abandoned 1', 'gave up 1', 'answer 0']);
  t.equal(late, 1, 'a listener added to a settled exchange hears at once');
});
