// List continue tokens in upstream's format (apiserver pkg/storage/continue.go):
// base64url (no padding) of {"v":"meta.k8s.io/v1","rv":<list RV>,"start":"<next key>"}, where
// the start key is relative to the listed prefix ("name\u0000" within a namespace,
// "namespace/name\u0000" across namespaces). rv -1 means "continue at the latest RV", which is what
// the token handed back with an expired-continue 410 carries.
import { Buffer } from 'node:buffer';

export interface ContinueToken {
  rv: number;
  start: string;
}

const VERSION = 'meta.k8s.io/v1';
const INVALID = 'continue key is not valid';

export function encodeContinue(token: ContinueToken): string {
  const json = JSON.stringify({ v: VERSION, rv: token.rv, start: token.start });
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** Decodes a token; throws an Error with upstream's wording when it is not one. */
export function decodeContinue(text: string): ContinueToken {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error(`${INVALID}: illegal base64 data`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new Error(`${INVALID}: invalid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new Error(INVALID);
  const { v, rv, start } = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== VERSION) throw new Error(`${INVALID}: server does not recognize this encoded version ${String(v)}`);
  if (typeof rv !== 'number' || !Number.isInteger(rv) || rv === 0) {
    throw new Error(`${INVALID}: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`);
  }
  if (typeof start !== 'string' || start.length === 0) throw new Error(`${INVALID}: encoded start key empty (version meta.k8s.io/v1)`);
  return { rv, start };
}
