// A fault in a scenario that cannot be made: an unknown component, kind, verb, node, release or
// error code. The message names the file and the field, as a person wrote them.

import type { FaultCommon } from '../scenario/types.js';

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';

  /** `scenario.yaml:12: faults[2].kinds[0]: unknown kind "Revison"`. */
  constructor(spec: Pick<FaultCommon, 'source'>, field: string, problem: string) {
    const { file, line, path } = spec.source;
    super(`${file}${line === undefined ? '' : `:${line}`}: ${path}.${field}: ${problem}`);
  }
}
