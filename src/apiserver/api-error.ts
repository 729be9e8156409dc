// API errors are data: an ApiError carries the meta/v1 Status the API server would send. The
// constructors below mirror apimachinery pkg/api/errors/errors.go (NewNotFound, NewConflict, ...)
// down to the message formats, since clients and kubectl print and match on them. Where the
// apiserver builds a Status elsewhere the source is named at the constructor.
import { fieldError } from './field-error.js';
import type { Status, StatusCause } from './types.js';

/** A group-qualified resource, e.g. { group: 'apps', resource: 'deployments' }. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A group-qualified kind, e.g. { group: 'apps', kind: 'Deployment' }. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** schema.GroupResource.String(): "deployments.apps", or "pods" for the core group. */
export function formatGroupResource(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

/** schema.GroupKind.String(): "Deployment.apps", or "Pod" for the core group. */
export function formatGroupKind(gk: GroupKind): string {
  return gk.group === '' ? gk.kind : `${gk.kind}.${gk.group}`;
}

/** Go's %q for the names that appear in messages (JSON quoting agrees for printable ASCII). */
const quote = (text: string): string => JSON.stringify(text);

/**
 * An API error. It stays an Error (callers test `instanceof Error` and read `message`), but carries
 * no stack trace: it is the server's answer, thrown and caught by the simulation on every 404 and
 * 409 (tens per run), and capturing a stack through the simulation's deep process stacks was
 * most of what building one cost. The Status says what happened.
 */
export class ApiError extends Error {
  readonly status: Status;

  constructor(status: Status) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'ApiError';
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }
}

interface FailureFields {
  code: number;
  reason: string;
  message: string;
  details?: Status['details'];
}

function failure(fields: FailureFields): ApiError {
  const status: Status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: fields.message, reason: fields.reason, code: fields.code };
  if (fields.details) status.details = fields.details;
  return new ApiError(status);
}

/** NewNotFound: `deployments.apps "x" not found`. details.kind is the resource. */
export function notFound(gr: GroupResource, name: string): ApiError {
  return failure({
    code: 404, reason: 'NotFound', message: `${formatGroupResource(gr)} ${quote(name)} not found`,
    details: { name, group: gr.group, kind: gr.resource },
  });
}

/** An unknown path (no such resource registered): the handler's plain 404. */
export function resourceNotServed(): ApiError {
  return failure({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
}

/** NewAlreadyExists. */
export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return failure({
    code: 409, reason: 'AlreadyExists', message: `${formatGroupResource(gr)} ${quote(name)} already exists`,
    details: { name, group: gr.group, kind: gr.resource },
  });
}

/** NewGenerateNameConflict: generateName ran out of attempts. */
export function generateNameConflict(gr: GroupResource, name: string, retryAfterSeconds = 1): ApiError {
  return failure({
    code: 409, reason: 'AlreadyExists',
    message: `${formatGroupResource(gr)} ${quote(name)} already exists, the server was not able to generate a unique name for the object`,
    details: { name, group: gr.group, kind: gr.resource, retryAfterSeconds },
  });
}

/** registry/generic/registry/store.go OptimisticLockErrorMsg. */
export const OPTIMISTIC_LOCK_ERROR_MSG = 'the object has been modified; please apply your changes to the latest version and try again';

/** NewConflict: `Operation cannot be fulfilled on deployments.apps "x": <detail>`. */
export function conflict(gr: GroupResource, name: string, detailMessage = OPTIMISTIC_LOCK_ERROR_MSG): ApiError {
  return failure({
    code: 409, reason: 'Conflict', message: `Operation cannot be fulfilled on ${formatGroupResource(gr)} ${quote(name)}: ${detailMessage}`,
    details: { name, group: gr.group, kind: gr.resource },
  });
}

/** NewApplyConflict: server-side apply field-manager conflicts. */
export function applyConflict(causes: StatusCause[], message: string): ApiError {
  return failure({ code: 409, reason: 'Conflict', message, details: { causes } });
}

/** NewInvalid: `Deployment.apps "x" is invalid: spec.selector: Required value`. details.kind is a Kind. */
export function invalid(gk: GroupKind, name: string, causes: StatusCause[]): ApiError {
  const head = `${formatGroupKind(gk)} ${quote(name)} is invalid`;
  return failure({
    code: 422, reason: 'Invalid', message: causes.length > 0 ? `${head}: ${fieldError.aggregate(causes)}` : head,
    details: { name, group: gk.group, kind: gk.kind, causes },
  });
}

/** NewGenericServerResponse(422, ...): a patch that does not fit the object (handlers/patch.go). */
export function unprocessable(causeMessage?: string): ApiError {
  return failure({
    code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request',
    details: causeMessage === undefined ? {} : { causes: [{ message: causeMessage }] },
  });
}

/** NewBadRequest. */
export function badRequest(message: string): ApiError {
  return failure({ code: 400, reason: 'BadRequest', message });
}

/** NewGone (deprecated upstream in favour of resourceExpired). */
export function gone(message: string): ApiError {
  return failure({ code: 410, reason: 'Gone', message });
}

/** NewResourceExpired: 410 with reason Expired, e.g. `too old resource version: 5 (10)`. */
export function resourceExpired(message: string, continueToken?: string): ApiError {
  const error = failure({ code: 410, reason: 'Expired', message });
  if (continueToken !== undefined) error.status.metadata = { continue: continueToken };
  return error;
}

/** NewMethodNotSupported. */
export function methodNotAllowed(gr: GroupResource, action: string): ApiError {
  return failure({
    code: 405, reason: 'MethodNotAllowed', message: `${action} is not supported on resources of kind ${quote(formatGroupResource(gr))}`,
    details: { group: gr.group, kind: gr.resource },
  });
}

/** NewTimeoutError: `Timeout: <message>`. */
export function timeout(message: string, retryAfterSeconds = 0): ApiError {
  return failure({ code: 504, reason: 'Timeout', message: `Timeout: ${message}`, details: { retryAfterSeconds } });
}

/** storage.NewTooLargeResourceVersionError (apiserver pkg/storage/errors.go). */
export function tooLargeResourceVersion(requested: number, current: number, retryAfterSeconds = 1): ApiError {
  const error = timeout(`Too large resource version: ${requested}, current: ${current}`, retryAfterSeconds);
  error.status.details = { retryAfterSeconds, causes: [{ type: 'ResourceVersionTooLarge', message: 'Too large resource version' }] };
  return error;
}

/** NewForbidden: `namespaces "default" is forbidden: this namespace may not be deleted`. */
export function forbidden(gr: GroupResource, name: string, reason: string, causes?: StatusCause[]): ApiError {
  const qualified = formatGroupResource(gr);
  let message = `forbidden: ${reason}`;
  if (qualified !== '') message = name === '' ? `${qualified} is forbidden: ${reason}` : `${qualified} ${quote(name)} is forbidden: ${reason}`;
  const details: Status['details'] = { name, group: gr.group, kind: gr.resource };
  if (causes) details.causes = causes;
  return failure({ code: 403, reason: 'Forbidden', message, details });
}

/** negotiation.NewUnsupportedMediaTypeError (handlers/negotiation/errors.go). */
export function unsupportedMediaType(accepted: readonly string[]): ApiError {
  return failure({
    code: 415, reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  });
}

/** NewRequestEntityTooLargeError. */
export function requestEntityTooLarge(message: string): ApiError {
  return failure({ code: 413, reason: 'RequestEntityTooLarge', message: `Request entity too large: ${message}` });
}

/** NewInternalError. */
export function internalError(message: string): ApiError {
  return failure({ code: 500, reason: 'InternalError', message: `Internal error occurred: ${message}`, details: { causes: [{ message }] } });
}

/** What handlers answer for an error that is not a Status (ErrorToAPIStatus): 500, reason Unknown. */
export function unknownError(message: string): ApiError {
  return failure({ code: 500, reason: 'Unknown', message });
}

/** NewServiceUnavailable. */
export function serviceUnavailable(message: string): ApiError {
  return failure({ code: 503, reason: 'ServiceUnavailable', message });
}

/** NewTooManyRequests: what fault injection answers for throttled requests. */
export function tooManyRequests(message: string, retryAfterSeconds = 1): ApiError {
  return failure({ code: 429, reason: 'TooManyRequests', message, details: { retryAfterSeconds } });
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

const hasReason = (error: unknown, reason: string): boolean => isApiError(error) && error.status.reason === reason;

export function isNotFound(error: unknown): boolean {
  return hasReason(error, 'NotFound');
}

export function isConflict(error: unknown): boolean {
  return hasReason(error, 'Conflict');
}

export function isAlreadyExists(error: unknown): boolean {
  return hasReason(error, 'AlreadyExists');
}

/** 410: reason Gone or Expired (apimachinery IsGone / IsResourceExpired). */
export function isGone(error: unknown): boolean {
  return hasReason(error, 'Gone') || hasReason(error, 'Expired');
}

export function isInvalid(error: unknown): boolean {
  return hasReason(error, 'Invalid');
}

export function isForbidden(error: unknown): boolean {
  return hasReason(error, 'Forbidden');
}

export function isTimeout(error: unknown): boolean {
  return hasReason(error, 'Timeout');
}
