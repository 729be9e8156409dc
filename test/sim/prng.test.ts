import t from 'tap';
import { Prng } from '../../src/sim/prng.js';

t.test('same seed gives the same stream; different seeds differ', async (t) => {
  const a = new Prng(42), b = new Prng(42), c = new Prng(43);
  const da = Array.from({ length: 8 }, () => a.u32());
  t.same(Array.from({ length: 8 }, () => b.u32()), da);
  t.not(Array.from({ length: 8 }, () => c.u32()).join(), da.join());
});

t.test('a fork depends on the label and the seed, not on how far the parent has drawn', async (t) => {
  const p1 = new Prng('s'), p2 = new Prng('s');
  for (let i = 0; i < 100; i++) p2.u32();
  t.equal(p1.fork('net').u32(), p2.fork('net').u32());
  t.not(p1.fork('net').u32(), p1.fork('disk').u32());
  t.equal(p1.fork('a').fork('b').material, 's/a/b');
});

t.test('int(n) stays in range and covers it; between is inclusive', async (t) => {
  const p = new Prng(7);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const v = p.int(6);
    if (v < 0 || v >= 6) t.fail(`out of range ${v}`);
    seen.add(v);
  }
  t.equal(seen.size, 6);
  for (let i = 0; i < 200; i++) {
    const v = p.between(3, 5);
    if (v < 3 || v > 5) t.fail(`between out of range ${v}`);
  }
  t.throws(() => p.int(0), RangeError);
  t.throws(() => p.int(1.5), RangeError);
  t.equal(p.int(1), 0);
});

t.test('chance(p) honours 0 and 1 and is near p over many draws', async (t) => {
  const p = new Prng('chance');
  t.equal(p.chance(0), false);
  t.equal(p.chance(1), true);
  let hits = 0;
  for (let i = 0; i < 10000; i++) if (p.chance(0.3)) hits++;
  t.ok(hits > 2800 && hits < 3200, `hits ${hits}`);
});

t.test('float is in [0, 1)', async (t) => {
  const p = new Prng(1);
  for (let i = 0; i < 1000; i++) {
    const f = p.float();
    if (!(f >= 0 && f < 1)) t.fail(`float ${f}`);
  }
  t.pass('all in range');
});
