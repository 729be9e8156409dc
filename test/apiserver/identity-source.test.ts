// UIDs: the 32 hex digits of four PRNG draws, with the version and variant digits set (RFC 4122
// version 4, as apimachinery's uuid.NewUUID), checked against formatting the same draws digit by
// digit with toString(16), on streams of many seeds.
import t from 'tap';
import { IdentitySource } from '../../src/apiserver/identity-source.js';
import { Prng } from '../../src/sim/prng.js';

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** The UUID of draws a, b, c, d written out with string operations on their hex forms. */
function spelledOut(draws: number[]): string {
  const [a, b, c, d] = draws.map(hex8);
  const variant = '89ab'[parseInt(c[0], 16) & 3];
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}

t.test('uid is the four next draws in hex with version 4 and the variant nibble, for many seeds and draws', (t) => {
  let checked = 0;
  for (let seed = 0; seed < 50; seed++) {
    const ids = new IdentitySource(new Prng(`uid-${seed}`));
    const mirror = new Prng(`uid-${seed}`);
    for (let i = 0; i < 200; i++) {
      const uid = ids.uid();
      const expected = spelledOut([mirror.u32(), mirror.u32(), mirror.u32(), mirror.u32()]);
      if (uid !== expected) t.equal(uid, expected, `seed ${seed} draw ${i}`);
      else checked++;
    }
  }
  t.equal(checked, 50 * 200, 'every uid equals its spelled-out form');
  const sample = new IdentitySource(new Prng('shape')).uid();
  t.match(sample, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'version-4 UUID shape');
  t.end();
});
