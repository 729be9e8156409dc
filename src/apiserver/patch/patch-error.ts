// Why a patch failed, in the two classes the API server answers differently
// (k8s.io/apiserver pkg/endpoints/handlers/patch.go):
//
// - 'decode': the patch document itself is malformed (a JSON patch that is not an array, an
//   operation without `op` or `path`, an unknown strategic-merge directive). Answer 400 BadRequest.
//   A JSON patch with more than 10000 operations is also 'decode' here; upstream answers 413
//   RequestEntityTooLarge (`maxJSONPatchOperations`), which the server can tell apart by
//   checking the operation count itself.
// - 'apply': a well-formed patch that does not fit the object (a JSON-patch `test` that fails, a
//   path that does not exist, a list element type mismatch). Answer 422 Invalid; upstream builds
//   it with NewGenericServerResponse(422, ...) and the message below.
//
// Messages follow upstream's (evanphx/json-patch v4 patch.go, apimachinery
// pkg/util/mergepatch/errors.go) so that clients print what they would print against a real server.

export type PatchErrorKind = 'decode' | 'apply';

export class PatchError extends Error {
  readonly kind: PatchErrorKind;

  constructor(kind: PatchErrorKind, message: string) {
    super(message);
    this.name = 'PatchError';
    this.kind = kind;
  }
}
