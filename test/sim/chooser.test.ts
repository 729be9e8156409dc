import t from 'tap';
import { Chooser, ReplayDivergence } from '../../src/sim/chooser.js';
import { decodeChoiceLog, encodeChoiceLog } from '../../src/sim/choice-log.js';
import { Prng } from '../../src/sim/prng.js';

function draws(chooser: Chooser): number[] {
  const net = chooser.source('net'), fault = chooser.source('fault');
  return [net.between(10, 50), fault.chance(0.5) ? 1 : 0, net.int(7), fault.pick([3, 4, 5]), net.int(1)];
}

t.test('records one (arity, value) pair per decision and skips single-option ones', async (t) => {
  const c = new Chooser({ prng: new Prng(9) });
  const values = draws(c);
  t.equal(c.count, 4);
  const log = c.log();
  t.same([log[0], log[2], log[4], log[6]], [41, 2, 7, 3]);
  t.equal(values[0], 10 + log[1]);
});

t.test('replaying the log reproduces every decision exactly', async (t) => {
  const original = new Chooser({ prng: new Prng(9) });
  const values = draws(original);
  const replayed = new Chooser({ prng: new Prng('another seed entirely'), replay: original.log() });
  t.same(draws(replayed), values);
  t.doesNotThrow(() => replayed.finish());
});

t.test('a log that no longer fits throws ReplayDivergence, never falls back to random', async (t) => {
  const original = new Chooser({ prng: new Prng(9) });
  draws(original);
  const log = original.log();
  const wrongArity = new Chooser({ prng: new Prng(9), replay: log });
  t.throws(() => wrongArity.source('net').int(40), ReplayDivergence, 'arity 40 where 41 was logged');
  const short = new Chooser({ prng: new Prng(9), replay: log.slice(0, 2) });
  short.source('net').between(10, 50);
  t.throws(() => short.source('fault').chance(0.5), /replay log ended/);
  const long = new Chooser({ prng: new Prng(9), replay: [...log, 2, 1] });
  draws(long);
  t.throws(() => long.finish(), /left over/);
  const outOfRange = new Chooser({ prng: new Prng(9), replay: [41, 41] });
  t.throws(() => outOfRange.source('net').between(10, 50), ReplayDivergence);
});

t.test('overrides force chosen decisions and keep the rest of the seed’s draws', async (t) => {
  const base = new Chooser({ prng: new Prng(5) });
  const v = draws(base);
  const forced = new Chooser({ prng: new Prng(5), overrides: new Map([[2, 6]]) });
  const w = draws(forced);
  t.equal(w[2], 6);
  t.equal(w[0], v[0]);
  t.equal(w[1], v[1]);
  const bad = new Chooser({ prng: new Prng(5), overrides: new Map([[0, 99]]) });
  t.throws(() => bad.source('net').between(10, 50), /only 41 options/);
});

t.test('a new decision site does not shift the draws of another site', async (t) => {
  const a = new Chooser({ prng: new Prng(3) });
  const b = new Chooser({ prng: new Prng(3) });
  const xs = [a.source('x').int(100), a.source('x').int(100)];
  b.source('y').int(100);
  t.same([b.source('x').int(100), b.source('x').int(100)], xs);
});

t.test('choice logs round-trip through their text form, including 32-bit floats', async (t) => {
  const c = new Chooser({ prng: new Prng(11) });
  c.source('f').float();
  draws(c);
  const text = encodeChoiceLog(c.log());
  t.match(text, /^[A-Za-z0-9_-]+$/);
  t.same(decodeChoiceLog(text), c.log());
  t.throws(() => decodeChoiceLog('!!'), ReplayDivergence);
  t.throws(() => decodeChoiceLog(Buffer.from([0x81]).toString('base64url')), /middle of a number/);
  t.throws(() => decodeChoiceLog(Buffer.from([3]).toString('base64url')), /odd number/);
});

t.test('a log longer than one storage chunk keeps every decision: 30,000 decisions with 32-bit floats replay exactly', async (t) => {
  const original = new Chooser({ prng: new Prng('long') });
  const source = original.source('many');
  const values: number[] = [];
  for (let i = 0; i < 30_000; i++) values.push(i % 3 === 0 ? source.float() : source.int(5 + (i % 11)));
  const log = original.log();
  t.equal(original.count, 30_000);
  t.equal(log.length, 60_000);
  t.equal(log[0], 0x100000000, 'a float is logged with arity 2^32, exactly');
  t.equal(log[2 * 16_384 + 1] >= 0, true, 'the entries after the first chunk boundary are there');
  const replayed = new Chooser({ prng: new Prng('other'), replay: log });
  const again = replayed.source('many');
  const replayedValues: number[] = [];
  for (let i = 0; i < 30_000; i++) replayedValues.push(i % 3 === 0 ? again.float() : again.int(5 + (i % 11)));
  t.same(replayedValues, values);
  t.doesNotThrow(() => replayed.finish());
  t.same(decodeChoiceLog(encodeChoiceLog(log)), log, 'the text form round-trips across chunks');
});
