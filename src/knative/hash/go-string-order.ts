// Go orders strings by their UTF-8 bytes (`<` on string, `sort.Strings`, `sets.List`), which is
// code point order. JavaScript's `<` compares UTF-16 code units and disagrees for characters above
// U+FFFF, so every model that sorts like Go (ChooseSubset's candidate list, the activator's sorted
// pod and activator IPs) compares with this function.

/** Negative, zero or positive as `a` sorts before, equal to, or after `b` in Go's string order. */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** A sorted copy, as `sets.List` returns it. */
export function sortGoStrings(values: Iterable<string>): string[] {
  return [...values].sort(compareGoStrings);
}
