import t from 'tap';
import { HttpNetwork, type Exchange, type HttpResponse } from '../../../src/dataplane/http-network.js';
import { HttpServer } from '../../../src/knative/runtime/http-server.js';
import { Simulation } from '../../../src/sim/simulation.js';

const GET = { method: 'GET' as const, path: '/', headers: {} };

function setup(): { sim: Simulation; net: HttpNetwork; held: Exchange[]; server: HttpServer } {
  const sim = new Simulation({ seed: 1 });
  const net = new HttpNetwork(sim, { hopLatency: { minMs: 1, maxMs: 1 } });
  const held: Exchange[] = [];
  const server = new HttpServer({ http: net, ip: '10.0.0.1', port: 8012, handler: (ex) => void held.push(ex) });
  return { sim, net, held, server };
}

t.test('inFlight counts exchanges accepted and not yet answered or abandoned, over many more than one sweep', async (t) => {
  const { sim, net, held, server } = setup();
  const answers: HttpResponse[] = [];
  const pending = [];
  for (let i = 0; i < 300; i++) pending.push(net.send('10.0.0.1', 8012, GET, { fromIp: 'c', timeoutMs: 0 }, (res) => void answers.push(res)));
  sim.run({ untilMs: 5 });
  t.equal(server.inFlight, 300);
  for (let i = 0; i < 250; i++) held[i].respond({ status: 200 });
  for (let i = 250; i < 260; i++) pending[i].cancel();
  t.equal(server.inFlight, 40);
  for (let i = 0; i < 100; i++) net.send('10.0.0.1', 8012, GET, { fromIp: 'c', timeoutMs: 0 }, (res) => void answers.push(res));
  sim.run({ untilMs: 10 });
  t.equal(server.inFlight, 140, 'accepting after the sweep keeps the count');
  server.reset();
  t.equal(server.inFlight, 0);
  sim.run({ untilMs: 20 });
  t.equal(answers.filter((a) => a.status === 200).length, 250);
  t.equal(answers.filter((a) => a.error === 'connection reset').length, 140, 'only the open exchanges are reset');
  t.equal(server.listening, false);
});

t.test('shutdown reports idle once the last open exchange is over, not before', async (t) => {
  const { sim, net, held, server } = setup();
  for (let i = 0; i < 3; i++) net.send('10.0.0.1', 8012, GET, { fromIp: 'c', timeoutMs: 0 }, () => undefined);
  sim.run({ untilMs: 5 });
  let idleAt: number | undefined;
  server.shutdown(() => void (idleAt = sim.nowMs));
  held[0].respond({ status: 200 });
  held[1].respond({ status: 200 });
  t.equal(idleAt, undefined);
  sim.run({ untilMs: 7 });
  held[2].respond({ status: 200 });
  t.equal(idleAt, 7);
  t.equal(net.isListening('10.0.0.1', 8012), false, 'new connections are refused');
});
