// Swimlanes for the faults of a run: one lane per fault, a bar from each firing to its healing. A
// fault that has not healed by the end of the run (or never heals, like a ConfigMap change) gets a
// marker where it fired and a pale bar to the end.

import { formatDurationMs } from '../knative/config/duration.js';
import type { FaultEvent } from '../scenario/history.js';
import type { Lane } from './swimlanes.js';

export function faultLanes(faults: readonly FaultEvent[], endMs: number): Lane[] {
  const lanes = new Map<string, Lane & { firedAt: FaultEvent | undefined }>();
  const laneOf = (f: FaultEvent): Lane & { firedAt: FaultEvent | undefined } => {
    let lane = lanes.get(f.fault);
    if (lane === undefined) {
      lane = { label: `${f.fault} (${f.family})`, segments: [], markers: [], firedAt: undefined };
      lanes.set(f.fault, lane);
    }
    return lane;
  };
  for (const f of faults) {
    const lane = laneOf(f);
    if (f.phase === 'fired') {
      if (lane.firedAt !== undefined) {
        lane.segments.push({ fromMs: lane.firedAt.atMs, toMs: f.atMs, cls: 'fault', title: `${f.fault} fired at ${formatDurationMs(lane.firedAt.atMs)} (${lane.firedAt.detail}), fired again at ${formatDurationMs(f.atMs)}` });
      }
      lane.firedAt = f;
      continue;
    }
    const fired = lane.firedAt;
    const fromMs = fired?.atMs ?? 0;
    const what = fired === undefined ? f.detail : fired.detail;
    lane.segments.push({
      fromMs,
      toMs: f.atMs,
      cls: 'fault',
      title: `${f.fault} (${f.family}) ${what}: fired at ${formatDurationMs(fromMs)}, healed at ${formatDurationMs(f.atMs)}`,
      label: f.family,
    });
    lane.firedAt = undefined;
  }
  const out: Lane[] = [];
  for (const lane of lanes.values()) {
    const fired = lane.firedAt;
    if (fired !== undefined) {
      const title = `${fired.fault} (${fired.family}) ${fired.detail}: fired at ${formatDurationMs(fired.atMs)}, not healed by the end`;
      lane.markers.push({ atMs: fired.atMs, cls: 'fired', title });
      lane.segments.push({ fromMs: fired.atMs, toMs: Math.max(endMs, fired.atMs), cls: 'fault open', title, label: fired.family });
    }
    out.push({ label: lane.label, segments: lane.segments, markers: lane.markers });
  }
  return out;
}
