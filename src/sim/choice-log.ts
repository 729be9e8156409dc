// Compact text form of a choice log, for replay strings: unsigned LEB128 varints, base64url.

import { ReplayDivergence, type ChoiceLog } from './chooser.js';

export function encodeChoiceLog(log: readonly number[]): string {
  const bytes: number[] = [];
  for (const n of log) {
    if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`choice log entry ${n} is not a non-negative integer`);
    let v = n;
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
  }
  return Buffer.from(bytes).toString('base64url');
}

export function decodeChoiceLog(text: string): ChoiceLog {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ReplayDivergence(`choice log is not base64url: ${JSON.stringify(text.slice(0, 40))}`);
  const bytes = Buffer.from(text, 'base64url');
  const out: number[] = [];
  let v = 0;
  let scale = 1;
  for (const b of bytes) {
    v += (b & 0x7f) * scale;
    if (b & 0x80) {
      scale *= 0x80;
    } else {
      out.push(v);
      v = 0;
      scale = 1;
    }
  }
  if (scale !== 1) throw new ReplayDivergence('choice log ends in the middle of a number');
  if (out.length % 2 !== 0) throw new ReplayDivergence('choice log has an odd number of entries');
  return out;
}
