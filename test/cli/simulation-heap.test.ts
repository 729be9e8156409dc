import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SIMULATION_NODE_FLAG, SIMULATION_WORKER_RESOURCE_LIMITS } from '../../src/cli/simulation-heap.js';

t.setTimeout(120_000);

t.test('bin/sleeveless.js starts node with the simulation heap flag in its shebang', async (t) => {
  const bin = fileURLToPath(new URL('../../bin/sleeveless.js', import.meta.url));
  const shebang = readFileSync(bin, 'utf8').split('\n')[0];
  t.match(shebang, /^#!\/usr\/bin\/env -S node /, 'env -S passes the flag on');
  t.ok(shebang.split(' ').includes(SIMULATION_NODE_FLAG), `${shebang} carries ${SIMULATION_NODE_FLAG}`);
});

t.test('a worker thread started with the simulation limits runs with that young generation', async (t) => {
  const w = new Worker('require("node:worker_threads").parentPort.postMessage(0)', { eval: true, resourceLimits: SIMULATION_WORKER_RESOURCE_LIMITS });
  await new Promise((resolve) => w.once('message', resolve));
  t.equal(w.resourceLimits?.maxYoungGenerationSizeMb, SIMULATION_WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb, 'the worker runs with the limit');
  await w.terminate();
});
