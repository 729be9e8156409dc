import t from 'tap';
import { main } from '../../src/cli/main.js';

/** Runs the command in-process and captures what it prints. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    const code = await main(argv, { out: (x) => void out.push(x), err: (x) => void err.push(x), colour: false, stderr: { write: () => true } });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

t.test('knative --json: the Service becomes Ready, scales to zero, cold-starts, and the same seed prints the same result', async (t) => {
  const a = await run(['knative', '--seed', '3', '--json']);
  t.equal(a.code, 0);
  const result = JSON.parse(a.out);
  t.equal(result.release, '1.20');
  t.ok(result.timeline.some((e: { what: string }) => e.what === 'Knative Service Ready=True'));
  t.ok(result.timeline.some((e: { what: string }) => e.what === 'PodAutoscaler desiredScale=0'), 'scaled to zero in the idle gap');
  const burst = result.phases.find((p: { phase: string }) => p.phase.startsWith('cold burst'));
  t.equal(burst.byStatus['200'], burst.requests, 'every cold-burst request served');
  t.ok(burst.maxMs > 1_000, `the first burst requests waited for a cold start (max ${burst.maxMs} ms)`);
  const b = JSON.parse((await run(['knative', '--seed', '3', '--json'])).out);
  delete result.wallMs;
  delete b.wallMs;
  t.same(b, result);
});

t.test('bad input exits 2 with a message naming the option', async (t) => {
  const release = await run(['knative', '--knative', '9.9']);
  t.equal(release.code, 2);
  t.match(release.err, /--knative: no profile for Knative release "9.9"/);
  const fault = await run(['demo', '--fault', 'meteor']);
  t.equal(fault.code, 2);
  t.match(fault.err, /--fault: unknown fault "meteor"/);
  const unknown = await run(['frobnicate']);
  t.equal(unknown.code, 2);
  t.match(unknown.err, /unknown command "frobnicate"/);
  const option = await run(['knative', '--colour']);
  t.equal(option.code, 2);
});

t.test('demo prints the mirror timeline and a trace hash', async (t) => {
  const r = await run(['demo', '--seed', '1', '--fault', 'crash']);
  t.equal(r.code, 0);
  t.match(r.out, /edit 2 mirrored never/);
  t.match(r.out, /trace hash [0-9a-f]{16}/);
});
