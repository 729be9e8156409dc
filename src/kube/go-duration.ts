// Go's time.Duration.String() for whole milliseconds, as upstream messages print durations
// ("back-off 10s restarting failed container", "5m0s", "1m20s", "500ms").

export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalS = ms / 1000;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS - h * 3600 - m * 60;
  const sText = Number.isInteger(s) ? String(s) : String(Number(s.toFixed(3)));
  if (h > 0) return `${h}h${m}m${sText}s`;
  if (m > 0) return `${m}m${sText}s`;
  return `${sText}s`;
}
