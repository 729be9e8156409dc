// The stylesheet every HTML report inlines. It holds no `<`, `>` or `&`, so the page stays
// well-formed XML (the tests parse it as such).

export const REPORT_CSS = `
body { font: 14px/1.45 system-ui, sans-serif; color: #222; margin: 0 auto; max-width: 1200px; padding: 16px 24px; }
h1 { font-size: 22px; margin: 4px 0; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 4px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 4px; color: #fff; font-weight: bold; }
.verdict.pass { background: #2e7d32; }
.verdict.fail { background: #c62828; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 12px 0; }
dl.facts dt { color: #666; }
dl.facts dd { margin: 0; }
.replay { background: #f5f5f5; border: 1px solid #ddd; padding: 6px 10px; border-radius: 4px; overflow-x: auto; }
ul.violations li { margin-bottom: 8px; }
.oracle { font-weight: bold; color: #c62828; }
.objects { color: #555; }
.empty { color: #777; font-style: italic; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f5f5f5; }
svg.chart { width: 100%; height: auto; max-width: 1150px; display: block; margin: 4px 0; }
svg text { font-size: 11px; fill: #333; }
svg .ylab { text-anchor: end; }
svg .ylab2 { text-anchor: start; }
svg .xlab { text-anchor: middle; fill: #666; }
svg .axisname { font-weight: bold; }
svg .grid { stroke: #eee; stroke-width: 1; }
svg .axis { stroke: #999; stroke-width: 1; }
svg .line { fill: none; stroke-width: 1.6; }
svg .line.dashed { stroke-dasharray: 5 3; }
svg .area { stroke: none; opacity: 0.85; }
svg .group { font-weight: bold; font-size: 12px; }
svg .lane { text-anchor: end; }
svg .seg { font-size: 10px; fill: #fff; pointer-events: none; }
svg .laneband { fill: #fafafa; opacity: 0.6; }
svg rect.ok { fill: #43a047; }
svg rect.bad { fill: #e53935; }
svg rect.unknown { fill: #9e9e9e; }
svg rect.fault { fill: #f57c00; }
svg rect.fault.open { opacity: 0.45; }
svg rect.down { fill: #e53935; opacity: 0.5; }
svg rect.serve { fill: #1e88e5; }
svg rect.proxy { fill: #8e24aa; }
svg rect.routed { fill: #00897b; }
svg rect.none { fill: #bdbdbd; }
svg .mark { stroke-width: 2; fill: none; }
svg .mark.started { stroke: #2e7d32; }
svg .mark.crashed { stroke: #c62828; }
svg .mark.stopped { stroke: #616161; }
svg .mark.leader { stroke: #f9a825; }
svg .mark.lost { stroke: #ef6c00; }
svg .mark.fired { stroke: #e65100; }
`;

/** The opening lines of every report page, up to and including <body>; `title` is already escaped. */
export function pageStart(escapedTitle: string): string[] {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>${escapedTitle}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
  ];
}
