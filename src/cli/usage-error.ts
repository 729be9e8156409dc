// Bad command-line input: the command prints the message and the usage and exits 2.
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
