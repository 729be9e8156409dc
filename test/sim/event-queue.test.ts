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

for (const cancels of [1, 4]) t.test(`events due now or a millisecond later keep the (time, seq) order under interleaved pushes, pops and cancels (cancel weight ${cancels})`, async (t) => {
  const q = new EventQueue();
  const p = new Prng('runs');
  // The reference: every live event, popped as the least (atMs, seq).
  const model: { atMs: number; seq: number; ev: ReturnType<EventQueue['push']> }[] = [];
  let seq = 0;
  let nowMs = 0;
  const got: number[] = [];
  const expected: number[] = [];
  for (let step = 0; step < 20000; step++) {
    const r = p.int(10);
    if (r < 6 - cancels) {
      const atMs = nowMs + [0, 0, 1, 1, 2, 7, 300][p.int(7)];
      const id = seq++;
      const ev = q.push(atMs, () => undefined, String(id));
      model.push({ atMs, seq: id, ev });
    } else if (r < 6 && model.length > 0) {
      const i = p.int(model.length);
      q.cancel(model[i].ev);
      model.splice(i, 1);
    } else {
      model.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
      const want = model.shift();
      const ev = q.pop();
      expected.push(want === undefined ? -1 : want.seq);
      got.push(ev === undefined ? -1 : Number(ev.label));
      if (ev !== undefined) nowMs = ev.atMs;
    }
    if (q.size !== model.length) t.fail(`size ${q.size} != ${model.length} at step ${step}`);
  }
  t.same(got, expected);
  t.ok(got.length > 1000);
});

t.test('a rebuild after many cancels keeps the live events of the heap and of both runs, in order', async (t) => {
  const q = new EventQueue();
  const evs = [];
  for (let i = 0; i < 300; i++) evs.push(q.push(i % 3 === 0 ? 0 : i % 3 === 1 ? 1 : 5 + (i % 7), () => undefined, String(i)));
  for (let i = 0; i < 300; i++) if (i % 5 !== 0) q.cancel(evs[i]);
  t.equal(q.size, 60);
  const kept = evs.filter((_, i) => i % 5 === 0).sort((a, b) => a.atMs - b.atMs || a.seq - b.seq).map((e) => e.label);
  const got: string[] = [];
  for (let ev = q.pop(); ev; ev = q.pop()) got.push(ev.label);
  t.same(got, kept);
});
