// Status objects and messages as apimachinery pkg/api/errors/errors.go builds them, and the
// field error wording of pkg/util/validation/field/errors.go.
import t from 'tap';
import {
  ApiError, alreadyExists, badRequest, conflict, forbidden, generateNameConflict, gone, internalError, invalid, isAlreadyExists,
  isApiError, isConflict, isGone, isNotFound, methodNotAllowed, notFound, resourceExpired, serviceUnavailable, timeout,
  tooLargeResourceVersion, tooManyRequests, unsupportedMediaType,
} from '../../src/apiserver/api-error.js';
import { fieldError } from '../../src/apiserver/field-error.js';

const deployments = { group: 'apps', resource: 'deployments' };
const configmaps = { group: '', resource: 'configmaps' };

t.test('constructors: code, reason and upstream message format', (t) => {
  const rows: [string, ApiError, number, string, string][] = [
    ['NewNotFound (core)', notFound(configmaps, 'x'), 404, 'NotFound', 'configmaps "x" not found'],
    ['NewNotFound (group)', notFound(deployments, 'x'), 404, 'NotFound', 'deployments.apps "x" not found'],
    ['NewAlreadyExists', alreadyExists(deployments, 'x'), 409, 'AlreadyExists', 'deployments.apps "x" already exists'],
    ['NewGenerateNameConflict', generateNameConflict(deployments, 'x-abcde'), 409, 'AlreadyExists', 'deployments.apps "x-abcde" already exists, the server was not able to generate a unique name for the object'],
    ['NewConflict', conflict(deployments, 'x'), 409, 'Conflict', 'Operation cannot be fulfilled on deployments.apps "x": the object has been modified; please apply your changes to the latest version and try again'],
    ['NewInvalid', invalid({ group: 'apps', kind: 'Deployment' }, 'x', [fieldError.required('spec.selector')]), 422, 'Invalid', 'Deployment.apps "x" is invalid: spec.selector: Required value'],
    ['NewInvalid, several causes', invalid({ group: '', kind: 'Pod' }, 'p', [fieldError.required('a'), fieldError.invalid('b', 3, 'too big')]), 422, 'Invalid', 'Pod "p" is invalid: [a: Required value, b: Invalid value: 3: too big]'],
    ['NewBadRequest', badRequest('nope'), 400, 'BadRequest', 'nope'],
    ['NewGone', gone('old'), 410, 'Gone', 'old'],
    ['NewResourceExpired', resourceExpired('too old resource version: 5 (10)'), 410, 'Expired', 'too old resource version: 5 (10)'],
    ['NewMethodNotSupported', methodNotAllowed(deployments, 'watch'), 405, 'MethodNotAllowed', 'watch is not supported on resources of kind "deployments.apps"'],
    ['NewTimeoutError', timeout('slow'), 504, 'Timeout', 'Timeout: slow'],
    ['NewTooLargeResourceVersionError', tooLargeResourceVersion(12, 10), 504, 'Timeout', 'Timeout: Too large resource version: 12, current: 10'],
    ['NewForbidden', forbidden({ group: '', resource: 'namespaces' }, 'default', 'this namespace may not be deleted'), 403, 'Forbidden', 'namespaces "default" is forbidden: this namespace may not be deleted'],
    ['UnsupportedMediaType', unsupportedMediaType(['a', 'b']), 415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: a, b'],
    ['NewInternalError', internalError('boom'), 500, 'InternalError', 'Internal error occurred: boom'],
    ['NewServiceUnavailable', serviceUnavailable('down'), 503, 'ServiceUnavailable', 'down'],
    ['NewTooManyRequests', tooManyRequests('slow down', 2), 429, 'TooManyRequests', 'slow down'],
  ];
  for (const [name, error, code, reason, message] of rows) {
    t.match(error.status, { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', code, reason, message }, name);
    t.equal(error.code, code, `${name}: code getter`);
    t.equal(error.reason, reason, `${name}: reason getter`);
    t.equal(error.message, message, `${name}: Error.message`);
  }
  t.match(notFound(deployments, 'x').status.details, { name: 'x', group: 'apps', kind: 'deployments' }, 'details.kind holds the resource');
  t.match(tooLargeResourceVersion(12, 10).status.details, { causes: [{ type: 'ResourceVersionTooLarge', message: 'Too large resource version' }] }, 'ResourceVersionTooLarge cause');
  t.match(tooManyRequests('x', 2).status.details, { retryAfterSeconds: 2 }, 'retryAfterSeconds');
  t.end();
});

t.test('predicates recognise errors by reason', (t) => {
  t.ok(isApiError(notFound(configmaps, 'x')) && !isApiError(new Error('x')), 'isApiError');
  t.ok(isNotFound(notFound(configmaps, 'x')) && !isNotFound(conflict(configmaps, 'x')), 'isNotFound');
  t.ok(isConflict(conflict(configmaps, 'x')) && !isConflict(alreadyExists(configmaps, 'x')), 'isConflict');
  t.ok(isAlreadyExists(alreadyExists(configmaps, 'x')) && isAlreadyExists(generateNameConflict(configmaps, 'x')), 'isAlreadyExists');
  t.ok(isGone(gone('x')) && isGone(resourceExpired('x')) && !isGone(badRequest('x')), 'isGone covers Gone and Expired');
  t.end();
});

t.test('field errors render as ErrorBody does', (t) => {
  t.same(fieldError.required('spec.x'), { type: 'FieldValueRequired', message: 'Required value', field: 'spec.x' }, 'required');
  t.same(fieldError.invalid('spec.x', 'v', 'why'), { type: 'FieldValueInvalid', message: 'Invalid value: "v": why', field: 'spec.x' }, 'invalid string');
  t.same(fieldError.invalid('spec.x', { a: 1 }, 'why'), { type: 'FieldValueInvalid', message: 'Invalid value: {"a":1}: why', field: 'spec.x' }, 'invalid object as JSON');
  t.same(fieldError.forbidden('f', 'no'), { type: 'FieldValueForbidden', message: 'Forbidden: no', field: 'f' }, 'forbidden');
  t.same(fieldError.notSupported('m', 'X', ['A', 'B']), { type: 'FieldValueNotSupported', message: 'Unsupported value: "X": supported values: "A", "B"', field: 'm' }, 'not supported');
  t.same(fieldError.immutable('spec.selector', 'x'), { type: 'FieldValueInvalid', message: 'Invalid value: "x": field is immutable', field: 'spec.selector' }, 'immutable');
  t.end();
});
