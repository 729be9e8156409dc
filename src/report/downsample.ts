// Thinning a sampled series so a chart stays small without hiding what matters. A step line holds
// each value until the next sample, so repeated values can go without changing the picture; past
// that, each time bucket keeps its lowest and highest sample (and a gap if it has one), so a one-
// sample dip to zero ready pods survives thinning.

export interface StepPoint {
  atMs: number;
  /** Undefined: no value (a gap in the line). */
  value: number | undefined;
}

function dropRepeats(points: readonly StepPoint[]): StepPoint[] {
  const kept: StepPoint[] = [];
  for (const p of points) {
    const last = kept[kept.length - 1];
    if (last !== undefined && last.value === p.value) continue;
    kept.push(p);
  }
  return kept;
}

/** At most `maxPoints` points (time-ordered input) drawing the same step line, up to bucket resolution. */
export function downsampleSteps(points: readonly StepPoint[], maxPoints: number): StepPoint[] {
  const distinct = dropRepeats(points);
  if (distinct.length <= maxPoints) return distinct;
  const buckets = Math.max(1, Math.floor(maxPoints / 3));
  const firstMs = distinct[0].atMs;
  const spanMs = Math.max(1, distinct[distinct.length - 1].atMs - firstMs + 1);
  const out: StepPoint[] = [];
  let i = 0;
  for (let b = 0; b < buckets && i < distinct.length; b += 1) {
    const endMs = firstMs + ((b + 1) * spanMs) / buckets;
    let lo: StepPoint | undefined;
    let hi: StepPoint | undefined;
    let gap: StepPoint | undefined;
    for (; i < distinct.length && distinct[i].atMs < endMs; i += 1) {
      const p = distinct[i];
      if (p.value === undefined) gap ??= p;
      else {
        if (lo === undefined || p.value < (lo.value as number)) lo = p;
        if (hi === undefined || p.value > (hi.value as number)) hi = p;
      }
    }
    const picked = [lo, hi, gap].filter((p): p is StepPoint => p !== undefined);
    picked.sort((a, b2) => a.atMs - b2.atMs);
    for (const p of picked) if (out[out.length - 1] !== p) out.push(p);
  }
  return dropRepeats(out);
}
