// Field-level validation errors as Status causes, worded as apimachinery
// pkg/util/validation/field/errors.go words them: the cause `type` is the ErrorType
// ("FieldValueRequired", ...), `message` is ErrorBody() ("Required value", "Invalid value: \"x\": why")
// and `field` is the path ("spec.selector"). An Invalid Status aggregates them as "field: body",
// one error alone or "[a, b]" for several (apimachinery pkg/util/errors/errors.go aggregate.Error).
import type { StatusCause } from './types.js';

/** Renders a bad value as Go's ErrorBody does: numbers and booleans plain, strings quoted, the rest as JSON. */
function formatBadValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return 'null';
  return JSON.stringify(value);
}

function withDetail(body: string, detail: string): string {
  return detail.length > 0 ? `${body}: ${detail}` : body;
}

export const fieldError = Object.freeze({
  /** field.Required: the value must be set. */
  required(field: string, detail = ''): StatusCause {
    return { type: 'FieldValueRequired', message: withDetail('Required value', detail), field };
  },
  /** field.Invalid: the value is malformed or out of range. */
  invalid(field: string, value: unknown, detail: string): StatusCause {
    return { type: 'FieldValueInvalid', message: withDetail(`Invalid value: ${formatBadValue(value)}`, detail), field };
  },
  /** field.Forbidden: well-formed but not allowed here. */
  forbidden(field: string, detail: string): StatusCause {
    return { type: 'FieldValueForbidden', message: withDetail('Forbidden', detail), field };
  },
  /** field.NotSupported: not one of the listed values. */
  notSupported(field: string, value: unknown, validValues: readonly string[]): StatusCause {
    const detail = validValues.length > 0 ? `supported values: ${validValues.map((v) => JSON.stringify(v)).join(', ')}` : '';
    return { type: 'FieldValueNotSupported', message: withDetail(`Unsupported value: ${formatBadValue(value)}`, detail), field };
  },
  /** field.TooLong with a byte limit. */
  tooLong(field: string, maxLength: number): StatusCause {
    return { type: 'FieldValueTooLong', message: `Too long: may not be more than ${maxLength} bytes`, field };
  },
  /** field.Duplicate: the value must be unique. */
  duplicate(field: string, value: unknown): StatusCause {
    return { type: 'FieldValueDuplicate', message: `Duplicate value: ${formatBadValue(value)}`, field };
  },
  /** apimachinery ValidateImmutableField: "field is immutable". */
  immutable(field: string, value: unknown): StatusCause {
    return fieldError.invalid(field, value, 'field is immutable');
  },
  /** The aggregated text an Invalid Status carries after "is invalid: ". */
  aggregate(causes: readonly StatusCause[]): string {
    const seen: string[] = [];
    for (const cause of causes) {
      const text = `${cause.field ?? ''}: ${cause.message ?? ''}`;
      if (!seen.includes(text)) seen.push(text);
    }
    return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
  },
});
