// Kubernetes resource quantity syntax, as k8s.io/apimachinery pkg/api/resource/quantity.go
// (ParseQuantity) accepts it: <sign>?<digits>[.<digits>]<suffix>, with suffix a binary SI unit
// (Ki..Ei), a decimal SI unit (n, u, m, "", k, M, G, T, P, E) or a decimal exponent (e3, E-2).
// config-deployment keeps quantities as written; only their syntax matters to the simulation.

const FORMAT = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const SHAPE = new RegExp(FORMAT);
const NUMBER = /^[+-]?(?:\d+|\d+\.\d*|\.\d+)$/;
const SUFFIXES = new Set(['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E']);
const EXPONENT = /^[eE][+-]?\d+$/;

/** Upstream's error text for a malformed quantity, or null when it parses. */
export function quantitySyntaxError(text: string): string | null {
  const match = SHAPE.exec(text);
  if (match === null) return `quantities must match the regular expression '${FORMAT}'`;
  const [, number, suffix] = match;
  if (!NUMBER.test(number)) return 'unable to parse numeric part of quantity';
  if (!SUFFIXES.has(suffix) && !EXPONENT.test(suffix)) return "unable to parse quantity's suffix";
  return null;
}
