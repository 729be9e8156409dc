// sks-mode-flaps-bounded: a revision's ServerlessService switches between Serve and Proxy (the
// activator in or out of the request path, decided by the KPA from the excess burst capacity and the
// scale, knative/serving pkg/reconciler/autoscaling/kpa/kpa.go) at most `max` times, over the run or in
// any sliding `window`. Mode changes come from the recorded ServerlessService versions (spec.mode),
// else from the revision's series (sksMode); the SKS is named after its revision's PodAutoscaler,
// which is named after the revision (pkg/reconciler/autoscaling/kpa/resources/sks.go). The first mode
// set is not a change.

import { formatDurationMs as at } from '../../knative/config/duration.js';
import { OracleParamError, type OracleDefinition } from '../oracle.js';
import { OracleParams } from '../oracle-params.js';
import { describeObject, HistoryQueries } from '../history-queries.js';

export interface SksModeFlapsBoundedParams {
  max: number;
  windowMs?: number;
  revision?: string;
  namespace?: string;
}

interface ModeChange { atMs: number; from: string; to: string }

function changesOf(points: readonly { atMs: number; mode: unknown }[]): ModeChange[] {
  const changes: ModeChange[] = [];
  let previous: string | undefined;
  for (const p of points) {
    if (typeof p.mode !== 'string' || p.mode === '') continue;
    if (previous !== undefined && p.mode !== previous) changes.push({ atMs: p.atMs, from: previous, to: p.mode });
    previous = p.mode;
  }
  return changes;
}

export const sksModeFlapsBounded: OracleDefinition<SksModeFlapsBoundedParams> = {
  name: 'sks-mode-flaps-bounded',
  summary: "A revision's ServerlessService changes mode (Serve/Proxy) at most max times (in the run or in any sliding window).",
  parse(raw) {
    const p = new OracleParams(raw);
    const parsed: SksModeFlapsBoundedParams = {
      max: p.count('max'),
      windowMs: p.optionalDuration('window'),
      revision: p.optionalString('revision'),
      namespace: p.optionalString('namespace'),
    };
    if (parsed.windowMs === 0) throw new OracleParamError('window', 'window must be longer than 0s');
    p.finish();
    return parsed;
  },
  check(history, params) {
    const q = new HistoryQueries(history);
    const perRevision = new Map<string, { namespace: string; name: string; changes: ModeChange[] }>();
    for (const sks of q.objectsOfKind('ServerlessService', { namespace: params.namespace, name: params.revision })) {
      const points = sks.versions.filter((v) => v.type !== 'DELETED').map((v) => ({ atMs: v.atMs, mode: v.object.spec?.mode }));
      perRevision.set(`${sks.namespace}/${sks.name}`, { namespace: sks.namespace, name: sks.name, changes: changesOf(points) });
    }
    for (const [key, samples] of q.seriesByRevision()) {
      const { namespace, revision } = samples[0];
      if (perRevision.has(key) || (params.revision !== undefined && revision !== params.revision) || (params.namespace !== undefined && namespace !== params.namespace)) continue;
      perRevision.set(key, { namespace, name: revision, changes: changesOf(samples.map((s) => ({ atMs: s.atMs, mode: s.sksMode }))) });
    }
    let earliest: { atMs: number; reason: string; objects: string[] } | null = null;
    for (const { namespace, name, changes } of perRevision.values()) {
      if (changes.length <= params.max) continue;
      // The first change that makes max+1 changes within the window (or within the run).
      let startIndex = 0;
      for (let i = params.max; i < changes.length; i += 1) {
        startIndex = i - params.max;
        if (params.windowMs === undefined || changes[i].atMs - changes[startIndex].atMs <= params.windowMs) {
          const inWindow = changes.slice(startIndex, i + 1);
          const atMs = changes[i].atMs;
          if (earliest === null || atMs < earliest.atMs) {
            const span = params.windowMs === undefined ? '' : ` within ${at(params.windowMs)}`;
            earliest = {
              atMs,
              reason: `ServerlessService ${namespace}/${name} changed mode ${inWindow.length} times${span} (more than ${params.max}) by ${at(atMs)}: ${inWindow.map((c) => `${c.from}→${c.to} at ${at(c.atMs)}`).join(', ')}`,
              objects: [describeObject('ServerlessService', namespace, name), describeObject('Revision', namespace, name)],
            };
          }
          break;
        }
      }
    }
    return earliest;
  },
};
