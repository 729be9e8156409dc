import t from 'tap';
import { EventQueue } from '../../src/sim/event-queue.js';
import { Prng } from '../../src/sim/prng.js';

t.test('pops by time, then by insertion order, across a random load', async (t) => {
  const q = new EventQueue();
  const p = new Prng('q');
  const pushed: { atMs: number; id: number }[] = [];
  for (let id = 0; id < 2000; id++) {
    const atMs = p.int(50);
    pushed.push({ atMs, id });
    q.push(atMs, () => undefined, String(id));
  }
  const expected = pushed.slice().sort((a, b) => a.atMs - b.atMs || a.id - b.id).map((e) => String(e.id));
  const got: string[] = [];
  for (let ev = q.pop(); ev; ev = q.pop()) got.push(ev.label);
  t.same(got, expected);
  t.equal(q.size, 0);
});

t.test('cancelled events are skipped and not counted', async (t) => {
  const q = new EventQueue();
  const a = q.push(1, () => undefined, 'a');
  q.push(2, () => undefined, 'b');
  const c = q.push(0, () => undefined, 'c');
  q.cancel(a);
  q.cancel(c);
  q.cancel(c);
  t.equal(q.size, 1);
  t.equal(q.peek()?.label, 'b');
  t.equal(q.pop()?.label, 'b');
  t.equal(q.pop(), undefined);
});
