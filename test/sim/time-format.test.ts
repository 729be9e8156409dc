import t from 'tap';
import { formatSimTime, formatUnixMs, parseRfc3339, parseSimTime } from '../../src/sim/time-format.js';

t.test('virtual time 0 is 2026-01-01T00:00:00Z; formatting matches the civil calendar', async (t) => {
  t.equal(formatSimTime(0), '2026-01-01T00:00:00Z');
  t.equal(formatSimTime(1500, { withMillis: true }), '2026-01-01T00:00:01.500Z');
  t.equal(formatUnixMs(951782400000), '2000-02-29T00:00:00Z', 'leap day');
  t.equal(formatUnixMs(0), '1970-01-01T00:00:00Z');
  t.equal(formatSimTime(59 * 86400000 + 3723000), '2026-03-01T01:02:03Z');
});

t.test('parsing accepts zones and fractions and round-trips', async (t) => {
  for (const ms of [0, 1, 999, 86399999, 123456789012]) t.equal(parseSimTime(formatSimTime(ms, { withMillis: true })), ms);
  t.equal(parseRfc3339('1970-01-01T01:00:00+01:00'), 0);
  t.equal(parseRfc3339('1970-01-01T00:00:00.123456789Z'), 123);
  t.throws(() => parseRfc3339('yesterday'), /not an RFC 3339/);
});
