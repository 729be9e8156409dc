// bounded-writes: no object receives more than `max` writes (create, update, patch, delete; status and
// scale subresources included; accepted or refused) in any sliding `window` — a write storm, such as
// two controllers fighting over a field or a reconcile loop that never settles. `kinds`, `component`
// and `verbs` narrow what is counted.

import { formatDurationMs as at } from '../../knative/config/duration.js';
import type { WriteEvent } from '../../scenario/history.js';
import type { OracleDefinition } from '../oracle.js';
import { OracleParams } from '../oracle-params.js';
import { describeObject } from '../history-queries.js';

export interface BoundedWritesParams {
  max: number;
  windowMs: number;
  kinds?: string[];
  component?: string;
  verbs?: string[];
}

export const boundedWrites: OracleDefinition<BoundedWritesParams> = {
  name: 'bounded-writes',
  summary: 'No object receives more than max writes in any sliding window (default 60s).',
  parse(raw) {
    const p = new OracleParams(raw);
    const parsed: BoundedWritesParams = {
      max: p.count('max', { min: 1 }),
      windowMs: p.duration('window', { default: 60_000 }),
      kinds: p.optionalStringList('kinds'),
      component: p.optionalString('component'),
      verbs: p.optionalStringList('verbs', { oneOf: ['create', 'update', 'patch', 'delete'] }),
    };
    p.finish();
    return parsed;
  },
  check(history, params) {
    const perObject = new Map<string, WriteEvent[]>();
    const ordered = [...history.writes].map((w, i) => ({ w, i })).sort((a, b) => a.w.atMs - b.w.atMs || a.i - b.i).map((x) => x.w);
    for (const w of ordered) {
      if (params.kinds !== undefined && !params.kinds.includes(w.kind)) continue;
      if (params.component !== undefined && w.component !== params.component) continue;
      if (params.verbs !== undefined && !params.verbs.includes(w.verb)) continue;
      const key = `${w.kind}\u0000${w.namespace}\u0000${w.name}`;
      let list = perObject.get(key);
      if (list === undefined) perObject.set(key, (list = []));
      list.push(w);
    }
    let earliest: { atMs: number; reason: string; objects: string[] } | null = null;
    for (const writes of perObject.values()) {
      let start = 0;
      for (let end = 0; end < writes.length; end += 1) {
        while (writes[end].atMs - writes[start].atMs > params.windowMs) start += 1;
        const count = end - start + 1;
        if (count <= params.max) continue;
        const atMs = writes[end].atMs;
        if (earliest === null || atMs < earliest.atMs) {
          const inWindow = writes.slice(start, end + 1);
          const writers = new Map<string, number>();
          for (const w of inWindow) writers.set(w.component, (writers.get(w.component) ?? 0) + 1);
          const who = [...writers].sort(([a, n], [b, m]) => m - n || (a < b ? -1 : 1)).map(([c, n]) => `${c}: ${n}`).join(', ');
          const refused = inWindow.filter((w) => w.code >= 300).length;
          const object = describeObject(writes[end].kind, writes[end].namespace, writes[end].name);
          earliest = {
            atMs,
            reason: `${object} received ${count} writes between ${at(writes[start].atMs)} and ${at(atMs)} (more than ${params.max} within ${at(params.windowMs)}; ${who}${refused > 0 ? `; ${refused} refused` : ''})`,
            objects: [object],
          };
        }
        break;
      }
    }
    return earliest;
  },
};
