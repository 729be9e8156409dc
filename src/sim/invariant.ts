// An invariant violation aborts the run: nothing inside the simulation catches InvariantError.

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

export function invariant(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new InvariantError(typeof message === 'string' ? message : message());
}

/**
 * An error that means the model itself is broken (an invariant, or a JavaScript TypeError,
 * RangeError or ReferenceError — a panic in a Go controller, which client-go's HandleCrash re-raises).
 * Retry loops, fire-and-forget writes and error-tolerant handlers must rethrow it so the run aborts.
 */
export function isModelBug(error: unknown): boolean {
  return error instanceof InvariantError || error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError;
}
