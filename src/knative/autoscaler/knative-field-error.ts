// Validation errors in the shape of knative.dev/pkg apis/field_error.go: leaves of
// (message, paths, details) collected with also(), printed the way FieldError.Error() prints them
// (leaves with equal message and details merged, paths sorted, then sorted by message and details,
// one "message: path, path" line each).

export interface FieldErrorLeaf {
  readonly message: string;
  readonly paths: readonly string[];
  readonly details: string;
}

export class KnativeFieldError {
  readonly leaves: readonly FieldErrorLeaf[];

  private constructor(leaves: readonly FieldErrorLeaf[]) {
    this.leaves = leaves;
  }

  /** A single error, like &apis.FieldError{Message, Paths}. */
  static of(message: string, paths: readonly string[], details = ''): KnativeFieldError {
    return new KnativeFieldError([{ message, paths: [...paths], details }]);
  }

  /** apis.ErrInvalidValue(value, path, details...). */
  static invalidValue(value: string, path: string, ...details: string[]): KnativeFieldError {
    return KnativeFieldError.of(`invalid value: ${value}`, [path], details.join(', '));
  }

  /** apis.ErrOutOfBoundsValue(value, lower, upper, path), with the bounds already printed as Go's %v prints them. */
  static outOfBounds(value: string, lower: string, upper: string, path: string): KnativeFieldError {
    return KnativeFieldError.of(`expected ${lower} <= ${value} <= ${upper}`, [path]);
  }

  /** apis.ErrGeneric(message, paths...). */
  static generic(message: string, ...paths: string[]): KnativeFieldError {
    return KnativeFieldError.of(message, paths);
  }

  /** FieldError.Also on possibly-nil errors: null when nothing was collected. */
  static also(...errors: ReadonlyArray<KnativeFieldError | null>): KnativeFieldError | null {
    const leaves = errors.flatMap((e) => (e === null ? [] : e.leaves));
    return leaves.length === 0 ? null : new KnativeFieldError(leaves);
  }

  /** The merged, sorted leaves that Error() prints. */
  merged(): FieldErrorLeaf[] {
    const byKey = new Map<string, { message: string; details: string; paths: string[] }>();
    for (const leaf of this.leaves) {
      const key = `${leaf.message}\u0000${leaf.details}`;
      const seen = byKey.get(key);
      if (seen === undefined) byKey.set(key, { message: leaf.message, details: leaf.details, paths: [...leaf.paths] });
      else for (const path of leaf.paths) if (!seen.paths.includes(path)) seen.paths.push(path);
    }
    const out = [...byKey.values()].map((e) => ({ ...e, paths: [...e.paths].sort(compare) }));
    return out.sort((a, b) => compare(a.message, b.message) || compare(a.details, b.details));
  }

  /** FieldError.Error(). */
  error(): string {
    return this.merged()
      .map((e) => `${e.message}: ${e.paths.join(', ')}${e.details === '' ? '' : `\n${e.details}`}`)
      .join('\n');
  }

  /** Every annotation (path) the error names. */
  paths(): string[] {
    return [...new Set(this.leaves.flatMap((leaf) => leaf.paths))].sort(compare);
  }

  toString(): string {
    return this.error();
  }
}

/** Go's byte-wise string order (sort.Slice with <). */
function compare(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
