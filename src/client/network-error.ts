// A failure of the connection between a component and the API server (not an API error: the server
// never answered). client-go surfaces these as url.Error / net.OpError; controllers treat them as
// retryable like any other error.

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    message: string,
    readonly reason: 'partitioned' | 'timeout' | 'crashed',
  ) {
    super(message);
  }
}

export function isNetworkError(e: unknown): e is NetworkError {
  return e instanceof NetworkError;
}
