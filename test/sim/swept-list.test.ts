import t from 'tap';
import { SweptList } from '../../src/sim/swept-list.js';

t.test('a swept list keeps every live item in order and drops stale ones once it has doubled', async (t) => {
  const stale = new Set<number>();
  const list = new SweptList<number>((n) => !stale.has(n));
  for (let i = 0; i < 64; i++) list.push(i);
  t.equal(list.length, 64, 'nothing is swept before the list reaches its sweep size');
  for (let i = 0; i < 64; i++) if (i % 4 !== 0) stale.add(i);
  list.push(64);
  t.equal(list.length, 17, 'the sweep before the 65th push keeps the 16 live items, then appends');
  t.same(list.live(), [...Array.from({ length: 16 }, (_, i) => i * 4), 64]);
  for (let i = 65; i < 200; i++) list.push(i);
  stale.add(64);
  t.same(list.live(), [...Array.from({ length: 16 }, (_, i) => i * 4), ...Array.from({ length: 135 }, (_, i) => 65 + i)]);
  const all = list.takeAll();
  t.equal(all[0], 0);
  t.equal(all.at(-1), 199);
  t.ok(all.includes(64), 'takeAll returns stale items not swept yet too');
  t.equal(list.length, 0);
  t.same(list.live(), []);
});
