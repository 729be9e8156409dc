// A reconcile error that must not be retried (controller-runtime pkg/reconcile TerminalError;
// knative.dev/pkg controller.NewPermanentError): the key is dropped from the queue.

export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}
