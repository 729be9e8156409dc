// Swimlanes for the components of a run (controller, autoscaler, activator, kubelets, ...): one lane
// per component, sorted by name, with a red bar while it is down (crashed or stopped until started
// again) and a marker for every event, leadership included.

import { formatDurationMs } from '../knative/config/duration.js';
import type { ComponentEvent } from '../scenario/history.js';
import type { Lane } from './swimlanes.js';

const MARKER_CLASS: Record<ComponentEvent['event'], string> = {
  started: 'started',
  crashed: 'crashed',
  stopped: 'stopped',
  leader: 'leader',
  'lost-leadership': 'lost',
};

export function componentLanes(events: readonly ComponentEvent[], endMs: number): Lane[] {
  const lanes = new Map<string, Lane & { downSince: ComponentEvent | undefined }>();
  for (const e of events) {
    let lane = lanes.get(e.component);
    if (lane === undefined) {
      lane = { label: e.component, segments: [], markers: [], downSince: undefined };
      lanes.set(e.component, lane);
    }
    const detail = e.detail === '' ? '' : ` (${e.detail})`;
    lane.markers.push({ atMs: e.atMs, cls: MARKER_CLASS[e.event], title: `${e.component} ${e.event} at ${formatDurationMs(e.atMs)}${detail}` });
    if (e.event === 'crashed' || e.event === 'stopped') lane.downSince ??= e;
    else if (e.event === 'started' && lane.downSince !== undefined) {
      const down = lane.downSince;
      lane.segments.push({ fromMs: down.atMs, toMs: e.atMs, cls: 'down', title: `${e.component} down (${down.event}) from ${formatDurationMs(down.atMs)} to ${formatDurationMs(e.atMs)}` });
      lane.downSince = undefined;
    }
  }
  const names = [...lanes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => {
    const lane = lanes.get(name)!;
    const down = lane.downSince;
    const segments = down === undefined ? lane.segments : [...lane.segments, {
      fromMs: down.atMs, toMs: Math.max(endMs, down.atMs), cls: 'down', title: `${name} down (${down.event}) from ${formatDurationMs(down.atMs)} to the end`,
    }];
    return { label: name, segments, markers: lane.markers };
  });
}
