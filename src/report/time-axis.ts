// The horizontal time scale every chart of an HTML report shares, so a fault, a condition change and
// a dip in ready pods line up vertically. Run-relative milliseconds map to SVG x coordinates; tick
// marks land on round durations labelled like Go durations (`30s`, `1m30s`, `2h0m0s`).

import { formatDurationMs } from '../knative/config/duration.js';

/** Where plots sit inside every SVG of a report. */
export const CHART_LAYOUT = {
  /** Lane labels and y-axis labels live left of the plot. */
  leftPx: 230,
  plotWidthPx: 860,
  /** A secondary y axis lives right of the plot. */
  rightPx: 60,
} as const;

export const CHART_WIDTH_PX = CHART_LAYOUT.leftPx + CHART_LAYOUT.plotWidthPx + CHART_LAYOUT.rightPx;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const TICK_STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR,
];
const MAX_TICKS = 10;

export interface TimeTick {
  atMs: number;
  label: string;
}

export class TimeAxis {
  readonly endMs: number;

  /** A scale from 0 to `endMs` (at least 1 ms, so an empty run still draws). */
  constructor(endMs: number) {
    this.endMs = Number.isFinite(endMs) && endMs > 0 ? endMs : 1;
  }

  /** The x coordinate of a run-relative time, clamped to the plot. */
  x(atMs: number): number {
    const clamped = Math.min(this.endMs, Math.max(0, atMs));
    return CHART_LAYOUT.leftPx + (clamped / this.endMs) * CHART_LAYOUT.plotWidthPx;
  }

  /** Round tick times from 0 to the end, at most ten of them. */
  ticks(): TimeTick[] {
    const step = TICK_STEPS_MS.find((s) => this.endMs / s <= MAX_TICKS) ?? Math.ceil(this.endMs / MAX_TICKS / HOUR) * HOUR;
    const ticks: TimeTick[] = [];
    for (let at = 0; at <= this.endMs; at += step) ticks.push({ atMs: at, label: formatDurationMs(at) });
    return ticks;
  }
}
