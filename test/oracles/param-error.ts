// What an oracle's parse throws, as {field, message}, for t.match (undefined when it does not throw).
import { OracleParamError } from '../../src/oracles/oracle.js';

export function paramErrorOf(parse: () => unknown): { field: string; message: string } | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    if (error instanceof OracleParamError) return { field: error.field, message: error.message };
    throw error;
  }
}
