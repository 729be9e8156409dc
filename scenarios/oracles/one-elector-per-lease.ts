// knative/serving#13447: a leader-election Lease has at most one elector leading it at a time. The
// history's component events record every elector that starts or stops leading (`leader` /
// `lost-leadership`, detail `lease <name> (<identity>)`); a process that crashes or stops takes its
// electors with it. Two electors leading one Lease at once, even under one identity (two electors
// in one process), renew it concurrently and conflict.
import type { History } from '../../src/scenario/history.js';

const DETAIL = /^lease (\S+) \((.*)\)$/;

export default function oneElectorPerLease(history: History): { reason: string; atMs: number; objects: string[] } | null {
  // lease -> identities of the electors leading it (one entry per elector, so duplicates count).
  const leading = new Map<string, string[]>();
  for (const e of history.components) {
    if (e.event === 'crashed' || e.event === 'stopped') {
      // The process's electors die with it: its identity starts with its pod name.
      const pod = e.component.split('/').at(-1) ?? e.component;
      for (const [lease, holders] of leading) leading.set(lease, holders.filter((id) => !id.startsWith(pod)));
      continue;
    }
    if (e.event !== 'leader' && e.event !== 'lost-leadership') continue;
    const m = DETAIL.exec(e.detail);
    if (m === null) continue;
    const [, lease, identity] = m;
    const holders = leading.get(lease) ?? [];
    if (e.event === 'lost-leadership') {
      const i = holders.indexOf(identity);
      if (i >= 0) holders.splice(i, 1);
      leading.set(lease, holders);
      continue;
    }
    holders.push(identity);
    leading.set(lease, holders);
    if (holders.length > 1) {
      const same = new Set(holders).size === 1;
      return {
        reason: `Lease ${lease} was led by ${holders.length} electors at once at ${(e.atMs / 1000).toFixed(1)}s (${same ? `all with identity ${identity}: several electors in one process` : holders.join(', ')}); their renewals conflict`,
        atMs: e.atMs,
        objects: [`Lease knative-serving/${lease}`],
      };
    }
  }
  return null;
}
