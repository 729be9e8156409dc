import t from 'tap';
import { fileURLToPath } from 'node:url';
import { SeedPool } from '../../src/cli/seed-pool.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

t.setTimeout(120_000);

t.test('a worker that dies answers only its own job with an error and is replaced, so queued jobs still run', async (t) => {
  const pool = new SeedPool({ threads: 1 });
  t.teardown(() => pool.close());
  const dying = pool.run({ ref: fixture('exits-worker.yaml'), knative: 'latest', seed: 1 });
  const queued = pool.run({ ref: fixture('short-idle.yaml'), knative: 'latest', seed: 1 });
  const [a, b] = await Promise.all([dying, queued]);
  t.ok('error' in a && /exited with code 7/.test(a.error), `the dead worker's job reports the exit: ${JSON.stringify(a)}`);
  t.ok('run' in b, `the job queued behind it ran on the replacement worker: ${JSON.stringify(b).slice(0, 200)}`);
  if ('run' in b) t.equal(b.run.verdict, 'pass');
});

t.test('a worker dying does not fail the job another worker is running', async (t) => {
  const pool = new SeedPool({ threads: 2 });
  t.teardown(() => pool.close());
  const answers = await Promise.all([
    pool.run({ ref: fixture('short-idle.yaml'), knative: 'latest', seed: 2 }),
    pool.run({ ref: fixture('exits-worker.yaml'), knative: 'latest', seed: 1 }),
    pool.run({ ref: fixture('short-idle.yaml'), knative: 'latest', seed: 3 }),
  ]);
  t.same(answers.map((a) => ('run' in a ? 'run' : 'error')), ['run', 'error', 'run']);
});
