// An SVG of horizontal lanes over the shared time axis: coloured segments (a fault from firing to
// healing, a condition's status until it next changes, the ServerlessService mode) and point markers
// (a component crashed, started, took leadership). Group rows title a run of lanes. Every segment and
// marker carries an SVG <title>, which browsers show on hover.

import { escapeMarkup } from './escape-markup.js';
import { CHART_LAYOUT, CHART_WIDTH_PX, type TimeAxis } from './time-axis.js';

export interface LaneSegment {
  fromMs: number;
  toMs: number;
  /** A CSS class from the report's stylesheet (`ok`, `bad`, `unknown`, `fault`, ...). */
  cls: string;
  /** Hover text. */
  title: string;
  /** Short text drawn inside the segment when it is wide enough. */
  label?: string;
}

export interface LaneMarker {
  atMs: number;
  cls: string;
  title: string;
}

export interface Lane {
  label: string;
  segments: LaneSegment[];
  markers: LaneMarker[];
}

/** A heading row followed by its lanes. */
export interface LaneGroup {
  title: string;
  lanes: Lane[];
}

const LANE_PX = 16;
const GROUP_PX = 20;
const AXIS_PX = 22;
const LABEL_CHARS = 34;
const CHAR_PX = 6.2;

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

function laneLabel(label: string): string {
  // Long names lose their middle: the start says what it is, the end which one.
  const head = Math.floor((LABEL_CHARS - 1) / 2);
  const shown = label.length > LABEL_CHARS ? `${label.slice(0, head)}…${label.slice(label.length - (LABEL_CHARS - 1 - head))}` : label;
  return `<text class="lane" x="${CHART_LAYOUT.leftPx - 6}" y="4"><title>${escapeMarkup(label)}</title>${escapeMarkup(shown)}</text>`;
}

function segment(s: LaneSegment, axis: TimeAxis): string {
  const x1 = axis.x(s.fromMs);
  const width = Math.max(1, axis.x(s.toMs) - x1);
  const title = `<title>${escapeMarkup(s.title)}</title>`;
  let text = '';
  if (s.label !== undefined && s.label.length * CHAR_PX + 4 < width) {
    text = `<text class="seg" x="${fmt(x1 + 2)}" y="3.5">${escapeMarkup(s.label)}</text>`;
  }
  return `<g><rect class="${s.cls}" x="${fmt(x1)}" y="-6" width="${fmt(width)}" height="12"/>${text}${title}</g>`;
}

function marker(m: LaneMarker, axis: TimeAxis): string {
  const x = fmt(axis.x(m.atMs));
  return `<path class="mark ${m.cls}" d="M${x} -7V7M${fmt(axis.x(m.atMs) - 4)} -7H${fmt(axis.x(m.atMs) + 4)}"><title>${escapeMarkup(m.title)}</title></path>`;
}

/** The lanes of every group, one <svg>; groups without lanes are left out. */
export function renderSwimlanes(axis: TimeAxis, groups: readonly LaneGroup[]): string {
  const shown = groups.filter((g) => g.lanes.length > 0);
  const rows: string[] = [];
  let y = 4;
  const left = CHART_LAYOUT.leftPx;
  const right = left + CHART_LAYOUT.plotWidthPx;
  for (const group of shown) {
    y += GROUP_PX;
    rows.push(`<text class="group" x="8" y="${y - 5}">${escapeMarkup(group.title)}</text><line class="axis" x1="8" x2="${right}" y1="${y - 1}" y2="${y - 1}"/>`);
    for (const lane of group.lanes) {
      const mid = y + LANE_PX / 2;
      const body = [laneLabel(lane.label), ...lane.segments.map((s) => segment(s, axis)), ...lane.markers.map((m) => marker(m, axis))];
      rows.push(`<g class="lanerow" transform="translate(0 ${mid})"><rect class="laneband" x="${left}" y="-8" width="${CHART_LAYOUT.plotWidthPx}" height="16"/>${body.join('')}</g>`);
      y += LANE_PX;
    }
  }
  const bottom = y + 4;
  const ticks = axis.ticks().map((tick) => {
    const x = fmt(axis.x(tick.atMs));
    return `<line class="grid" x1="${x}" x2="${x}" y1="4" y2="${bottom}"/><text class="xlab" x="${x}" y="${bottom + 15}">${escapeMarkup(tick.label)}</text>`;
  });
  return `<svg class="chart lanes" viewBox="0 0 ${CHART_WIDTH_PX} ${bottom + AXIS_PX}" role="img">${ticks.join('')}${rows.join('')}</svg>`;
}
