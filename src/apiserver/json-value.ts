// JSON-shaped values as the API server stores them: what JSON.parse returns. The helpers read and
// write own properties only, so a key such as "__proto__" (legal in, say, ConfigMap data) is plain
// data and never reaches Object.prototype.

/** A JSON object: a plain object with string keys. */
export type JsonObject = Record<string, unknown>;

/** True for plain JSON objects: not null, not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own property `key` of `object`, or undefined. Never reads the prototype chain. */
export function getOwn(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Sets the own property `key`; "__proto__" becomes an ordinary data property. */
export function setOwn(object: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}
