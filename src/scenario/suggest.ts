// "Did you mean": the known name nearest to a misspelt one, by edit distance (insertions, deletions,
// substitutions and transpositions of adjacent characters, case-insensitive).

function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[rows - 1][cols - 1];
}

/** The nearest of `known` to `name` when close enough to be a typo (two edits, or a third of a long name), else undefined. */
export function suggest(name: string, known: readonly string[]): string | undefined {
  if (name.length > 100) return undefined;
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const dist = distance(lower, candidate.toLowerCase());
    if (dist < bestDistance) {
      best = candidate;
      bestDistance = dist;
    }
  }
  const limit = name.length <= 2 ? 0 : name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3));
  // Distance 0 is a difference in case only (`Duration` for `duration`).
  return best !== undefined && best !== name && bestDistance <= limit ? best : undefined;
}

/** `unknown component "autoscalr" (did you mean "autoscaler"? known: controller, autoscaler, ...)`. */
export function unknownName(noun: string, value: string, known: readonly string[]): string {
  const hint = suggest(value, known);
  const list = known.length > 30 ? `${known.slice(0, 30).join(', ')}, ...` : known.join(', ');
  return `unknown ${noun} ${JSON.stringify(value)} (${hint === undefined ? '' : `did you mean ${JSON.stringify(hint)}? `}known: ${list})`;
}
