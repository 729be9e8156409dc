// The requests chart: per-bucket counts by status class as stacked step areas (left axis) and the
// bucket's p99 latency as a line (right axis), over the shared time axis.

import type { RequestOutcome } from '../dataplane/request.js';
import { formatDurationMs } from '../knative/config/duration.js';
import { escapeMarkup } from './escape-markup.js';
import { bucketRequests } from './request-buckets.js';
import { CHART_LAYOUT, CHART_WIDTH_PX, type TimeAxis } from './time-axis.js';
import { YScale } from './y-scale.js';

const TOP_PX = 24;
const HEIGHT_PX = 160;
const AXIS_PX = 22;
const MAX_BUCKETS = 2000;
const P99_COLOR = '#111';

export const STATUS_CLASS_COLORS: Record<string, string> = {
  '2xx': '#43a047',
  '3xx': '#1e88e5',
  '4xx': '#fb8c00',
  '5xx': '#e53935',
  timeout: '#8e24aa',
};
const OTHER_COLOR = '#757575';

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

/** The chart as one <svg>, with a caption line saying the bucket width and totals. */
export function renderRequestsChart(axis: TimeAxis, requests: readonly RequestOutcome[]): string {
  const buckets = bucketRequests(requests, { endMs: axis.endMs, maxBuckets: MAX_BUCKETS });
  const n = buckets.p99Ms.length;
  const bottom = TOP_PX + HEIGHT_PX;
  const stacked = new Array<number>(n).fill(0);
  let maxCount = 0;
  for (const cls of buckets.classes) for (let i = 0; i < n; i += 1) maxCount = Math.max(maxCount, stacked[i] += buckets.counts[cls][i]);
  const countScale = new YScale(maxCount, bottom, TOP_PX, { integer: true });
  const maxP99 = buckets.p99Ms.reduce<number>((m, v) => (v !== undefined && v > m ? v : m), 0);
  const latencyScale = new YScale(maxP99, bottom, TOP_PX);
  const left = CHART_LAYOUT.leftPx;
  const right = left + CHART_LAYOUT.plotWidthPx;
  const xAt = (i: number): string => fmt(axis.x(i * buckets.bucketMs));
  const parts: string[] = [`<svg class="chart" viewBox="0 0 ${CHART_WIDTH_PX} ${bottom + AXIS_PX}" role="img">`];
  for (const v of countScale.ticks()) {
    const y = fmt(countScale.y(v));
    parts.push(`<line class="grid" x1="${left}" x2="${right}" y1="${y}" y2="${y}"/><text class="ylab" x="${left - 6}" y="${fmt(Number(y) + 4)}">${v}</text>`);
  }
  if (maxP99 > 0) {
    for (const v of latencyScale.ticks()) parts.push(`<text class="ylab2" x="${right + 6}" y="${fmt(latencyScale.y(v) + 4)}">${escapeMarkup(formatDurationMs(v))}</text>`);
  }
  for (const tick of axis.ticks()) {
    const x = fmt(axis.x(tick.atMs));
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${TOP_PX}" y2="${bottom}"/><text class="xlab" x="${x}" y="${bottom + 15}">${escapeMarkup(tick.label)}</text>`);
  }
  const per = buckets.bucketMs === 1000 ? 'per second' : `per ${formatDurationMs(buckets.bucketMs)}`;
  parts.push(`<text class="axisname" x="8" y="${fmt((TOP_PX + bottom) / 2 + 4)}">requests ${escapeMarkup(per)}</text>`);
  // Stacked areas: each class's band lies between the running total before and after it.
  const below = new Array<number>(n).fill(0);
  let legendX = left;
  for (const cls of buckets.classes) {
    const color = STATUS_CLASS_COLORS[cls] ?? OTHER_COLOR;
    const above = below.map((b, i) => b + buckets.counts[cls][i]);
    let d = `M${xAt(0)} ${fmt(countScale.y(below[0]))}`;
    for (let i = 0; i < n; i += 1) d += `V${fmt(countScale.y(above[i]))}H${xAt(i + 1)}`;
    for (let i = n - 1; i >= 0; i -= 1) d += `V${fmt(countScale.y(below[i]))}H${xAt(i)}`;
    const total = buckets.counts[cls].reduce((a, b) => a + b, 0);
    const name = `${cls} (${total})`;
    parts.push(`<path class="area" fill="${color}" d="${d}Z"><title>${escapeMarkup(name)}</title></path>`);
    parts.push(`<rect x="${legendX}" y="4" width="14" height="8" fill="${color}"/><text class="legend" x="${legendX + 18}" y="12">${escapeMarkup(name)}</text>`);
    legendX += 28 + name.length * 7;
    for (let i = 0; i < n; i += 1) below[i] = above[i];
  }
  if (maxP99 > 0) {
    let d = '';
    let open = false;
    for (let i = 0; i < n; i += 1) {
      const v = buckets.p99Ms[i];
      if (v === undefined) {
        open = false;
        continue;
      }
      const y = fmt(latencyScale.y(v));
      d += open ? `V${y}` : `M${xAt(i)} ${y}`;
      d += `H${xAt(i + 1)}`;
      open = true;
    }
    parts.push(`<path class="line" stroke="${P99_COLOR}" d="${d}"><title>p99 latency</title></path>`);
    parts.push(`<rect x="${legendX}" y="6" width="14" height="3" fill="${P99_COLOR}"/><text class="legend" x="${legendX + 18}" y="12">p99 latency (right axis)</text>`);
  }
  parts.push(`<line class="axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/></svg>`);
  return parts.join('');
}
