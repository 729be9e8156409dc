// Go duration strings: rows in the style of Go's time package tests (time_test.go
// parseDurationTests, durationTests), which define what Knative's ConfigMaps and annotations accept.
import t from 'tap';
import {
  DurationSyntaxError, formatDurationMs, formatDurationNs, nsToMs, parseDurationMs, parseDurationNs,
} from '../../../src/knative/config/duration.js';

const S = 1_000_000_000n;

t.test('time.ParseDuration accepts Go syntax', async (t) => {
  const rows: [string, bigint][] = [
    ['0', 0n], ['5s', 5n * S], ['30s', 30n * S], ['1478s', 1478n * S], ['-5s', -5n * S], ['+5s', 5n * S], ['-0', 0n], ['+0', 0n],
    ['5.0s', 5n * S], ['5.6s', 5n * S + 600_000_000n], ['5.s', 5n * S], ['.5s', 500_000_000n], ['1.0s', S], ['1.00s', S],
    ['1.004s', S + 4_000_000n], ['1.0040s', S + 4_000_000n], ['100.00100s', 100n * S + 1_000_000n],
    ['10ns', 10n], ['11us', 11_000n], ['12\u00b5s', 12_000n], ['12\u03bcs', 12_000n], ['13ms', 13_000_000n], ['14s', 14n * S],
    ['15m', 900n * S], ['16h', 16n * 3600n * S], ['3h30m', 12_600n * S], ['10.5s4m', 250n * S + 500_000_000n],
    ['-2m3.4s', -(123n * S + 400_000_000n)], ['1h2m3s4ms5us6ns', 3723n * S + 4_005_006n], ['39h9m14.425s', 140_954n * S + 425_000_000n],
    ['52763797000ns', 52_763_797_000n], ['0.3333333333333333333h', 1_200_000_000_000n],
    ['9007199254740993ns', 9_007_199_254_740_993n], ['9223372036854775807ns', 9_223_372_036_854_775_807n],
    ['-9223372036854775808ns', -9_223_372_036_854_775_808n], ['1m9s82ms', 69n * S + 82_000_000n], ['61984ms', 61_984_000_000n],
  ];
  for (const [text, ns] of rows) t.equal(parseDurationNs(text), ns, text);
});

t.test('time.ParseDuration rejects with Go messages', async (t) => {
  const rows: [string, string][] = [
    ['', 'time: invalid duration ""'], ['3', 'time: missing unit in duration "3"'], ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'], ['.', 'time: invalid duration "."'], ['-.', 'time: invalid duration "-."'],
    ['.s', 'time: invalid duration ".s"'], ['+.s', 'time: invalid duration "+.s"'], ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['365d', 'time: unknown unit "d" in duration "365d"'], ['not a duration', 'time: invalid duration "not a duration"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'], ['9223372036854775.808us', 'time: invalid duration "9223372036854775.808us"'],
    ['3000000h', 'time: invalid duration "3000000h"'], ['1s ', 'time: unknown unit "s " in duration "1s "'],
  ];
  for (const [text, message] of rows) {
    t.throws(() => parseDurationNs(text), DurationSyntaxError, `${JSON.stringify(text)} throws DurationSyntaxError`);
    try {
      parseDurationNs(text);
    } catch (error) {
      t.equal((error as Error).message, message, JSON.stringify(text));
    }
  }
});

t.test('Duration.String', async (t) => {
  const rows: [bigint, string][] = [
    [0n, '0s'], [1n, '1ns'], [1_100n, '1.1\u00b5s'], [2_200_000n, '2.2ms'], [3_300_000_000n, '3.3s'], [240n * S, '4m0s'],
    [4n * 60n * S + 5_001_000_000n, '4m5.001s'], [5n * 3600n * S + 6n * 60n * S + 7_001_000_000n, '5h6m7.001s'], [8n * 60n * S + 1n, '8m0.000000001s'],
    [3600n * S, '1h0m0s'], [3601n * S, '1h0m1s'], [6n * S, '6s'], [-42n * S, '-42s'], [61_984_000_000n, '1m1.984s'],
    [9_223_372_036_854_775_807n, '2562047h47m16.854775807s'], [-9_223_372_036_854_775_807n, '-2562047h47m16.854775807s'],
  ];
  for (const [ns, text] of rows) t.equal(formatDurationNs(ns), text, text);
});

t.test('millisecond views', async (t) => {
  t.equal(parseDurationMs('1m30s'), 90_000);
  t.equal(parseDurationMs('1500us'), 1.5);
  t.equal(nsToMs(-1_500_000n), -1.5);
  t.equal(formatDurationMs(3_600_000), '1h0m0s');
  t.equal(formatDurationMs(1.5), '1.5ms');
  t.equal(formatDurationMs(0), '0s');
});
