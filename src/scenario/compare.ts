// The comparison operators of scenario predicates and oracle shapes (eq, ne, lt, le, gt, ge).
import type { CompareOp } from './types.js';

export function compare(left: number | string, op: CompareOp, right: number | string): boolean {
  switch (op) {
    case '==': return left === right;
    case '!=': return left !== right;
    case '<': return left < right;
    case '<=': return left <= right;
    case '>': return left > right;
    case '>=': return left >= right;
  }
}
