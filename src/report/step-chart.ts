// An SVG chart of step lines over the shared time axis: pods, replicas and desired scale of a
// revision, or its concurrency and activator queue. Each value holds until the next sample; an
// undefined value breaks the line. Hovering a line shows its name (an SVG <title>).

import { downsampleSteps, type StepPoint } from './downsample.js';
import { escapeMarkup } from './escape-markup.js';
import { CHART_LAYOUT, CHART_WIDTH_PX, type TimeAxis } from './time-axis.js';
import { YScale } from './y-scale.js';

export interface StepSeries {
  name: string;
  color: string;
  points: StepPoint[];
  dashed?: boolean;
}

export interface StepChartInput {
  axis: TimeAxis;
  series: StepSeries[];
  /** What the y axis counts, shown left of the plot. */
  yLabel: string;
  /** Points kept per chart, shared by its series. Default 2,000. */
  maxPoints?: number;
  /** Plot height. Default 160. */
  heightPx?: number;
}

const TOP_PX = 24;
const AXIS_PX = 22;

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

function stepPath(points: readonly StepPoint[], axis: TimeAxis, scale: YScale): string {
  let d = '';
  let open = false;
  for (let i = 0; i < points.length; i += 1) {
    const p = points[i];
    const nextMs = i + 1 < points.length ? points[i + 1].atMs : axis.endMs;
    if (p.value === undefined) {
      open = false;
      continue;
    }
    const y = fmt(scale.y(p.value));
    d += open ? `V${y}` : `M${fmt(axis.x(p.atMs))} ${y}`;
    d += `H${fmt(axis.x(nextMs))}`;
    open = true;
  }
  return d;
}

/** Grid, axes, legend and the step lines, as one <svg> element. */
export function renderStepChart(input: StepChartInput): string {
  const { axis, series } = input;
  const heightPx = input.heightPx ?? 160;
  const bottom = TOP_PX + heightPx;
  const perSeries = Math.max(2, Math.floor((input.maxPoints ?? 2000) / Math.max(1, series.length)));
  const thinned = series.map((s) => ({ ...s, points: downsampleSteps(s.points, perSeries) }));
  let max = 0;
  for (const s of thinned) for (const p of s.points) if (p.value !== undefined && p.value > max) max = p.value;
  const scale = new YScale(max, bottom, TOP_PX, { integer: true });
  const left = CHART_LAYOUT.leftPx;
  const right = left + CHART_LAYOUT.plotWidthPx;
  const parts: string[] = [];
  parts.push(`<svg class="chart" viewBox="0 0 ${CHART_WIDTH_PX} ${bottom + AXIS_PX}" role="img">`);
  for (const v of scale.ticks()) {
    const y = fmt(scale.y(v));
    parts.push(`<line class="grid" x1="${left}" x2="${right}" y1="${y}" y2="${y}"/><text class="ylab" x="${left - 6}" y="${fmt(Number(y) + 4)}">${v}</text>`);
  }
  for (const tick of axis.ticks()) {
    const x = fmt(axis.x(tick.atMs));
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${TOP_PX}" y2="${bottom}"/><text class="xlab" x="${x}" y="${bottom + 15}">${escapeMarkup(tick.label)}</text>`);
  }
  parts.push(`<text class="axisname" x="8" y="${fmt((TOP_PX + bottom) / 2 + 4)}">${escapeMarkup(input.yLabel)}</text>`);
  let legendX = left;
  for (const s of thinned) {
    const name = escapeMarkup(s.name);
    parts.push(`<rect x="${legendX}" y="6" width="14" height="4" fill="${s.color}"/><text class="legend" x="${legendX + 18}" y="12">${name}</text>`);
    legendX += 28 + s.name.length * 7;
    const d = stepPath(s.points, axis, scale);
    if (d !== '') parts.push(`<path class="line${s.dashed ? ' dashed' : ''}" stroke="${s.color}" d="${d}"><title>${name}</title></path>`);
  }
  parts.push(`<line class="axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/></svg>`);
  return parts.join('');
}
