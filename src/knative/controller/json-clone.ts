// A deep copy with the result of JSON.parse(JSON.stringify(value)) for plain data, without the
// text in between: the reconcilers building child objects from a parent's spec copy parts of it
// this way (a Go DeepCopy of the parent's struct). Object keys whose value is undefined (or a
// function or symbol) are dropped, such array elements become null, non-finite numbers become
// null and -0 becomes 0, as the round trip does; a "__proto__" key stays an own data property.

import { setOwn } from '../../apiserver/json-value.js';

export function jsonClone<T>(value: T): T {
  return cloneValue(value) as T;
}

function cloneValue(value: unknown): unknown {
  switch (typeof value) {
    case 'object':
      if (value === null) return null;
      if (Array.isArray(value)) {
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          const v = cloneValue(value[i]);
          out[i] = v === undefined ? null : v;
        }
        return out;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(value)) as unknown;
      {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
          const v = cloneValue((value as Record<string, unknown>)[key]);
          if (v !== undefined) setOwn(out, key, v);
        }
        return out;
      }
    case 'number':
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return JSON.stringify(value);
    default:
      return undefined;
  }
}
