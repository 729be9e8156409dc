// LIST: which resourceVersion a list is served at and how it pages (k8s-api.md §2.2; apiserver
// pkg/storage/interfaces.go ValidateListOptions, etcd3/store.go GetList, continue.go), with the
// ListOptions rules of apimachinery pkg/apis/meta/internalversion/validation (422).
//
// - RV unset: the current state. "0": any state (we serve the current one). N: not older than N,
//   i.e. current, unless N is in the future (504). With a limit, or match=Exact, N is exact: the
//   state at N, rebuilt from the event log (410 once that part of the log is gone).
// - A continue token serves the next page at the first page's RV; an RV other than "0" with it is
//   a 400, and a token whose RV has left the log is a 410 carrying a fresh token at the latest RV.
// - Items come in key order; `limit` counts matching items; remainingItemCount only without selectors.
import { badRequest, invalid, resourceExpired, tooLargeResourceVersion } from './api-error.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { fieldError } from './field-error.js';
import { apiVersionOf, type ResourceType } from './registry.js';
import type { Selection } from './selection.js';
import type { ServerContext } from './server-context.js';
import type { KubeList, KubeObject, StatusCause } from './types.js';

export interface ListRequest {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

const LIST_EXPIRED = 'The resourceVersion for the provided list is too old.';
const CONTINUE_EXPIRED = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without ' +
  'the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the ' +
  'provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk ' +
  'was returned and now may show up in the list.';

/** internalversion/validation ValidateListOptions (list branch). */
function validateListRequest(request: ListRequest): void {
  const causes: StatusCause[] = [];
  const match = request.resourceVersionMatch as string | undefined;
  if (match) {
    if (!request.resourceVersion) causes.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (request.continue) causes.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') causes.push(fieldError.notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && request.resourceVersion === '0') causes.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (causes.length > 0) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', causes);
}

/** APIObjectVersioner.ParseResourceVersion; "" is 0. */
export function parseResourceVersion(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  if (!/^\d+$/.test(text)) {
    throw badRequest(`invalid resource version: resourceVersion: Invalid value: ${JSON.stringify(text)}: strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  return Number(text);
}

interface Resolved {
  rv: number;
  /** Key (relative to the listed prefix) to start from. */
  start: string;
}

function resolveContinue(ctx: ServerContext, request: ListRequest): Resolved {
  let token;
  try {
    token = decodeContinue(request.continue as string);
  } catch (error) {
    throw badRequest(`invalid continue token: ${(error as Error).message}`);
  }
  if (request.resourceVersion && request.resourceVersion !== '0') throw badRequest('specifying resource version is not allowed when using continue');
  const current = ctx.store.rv;
  const rv = token.rv > 0 ? token.rv : current;
  if (rv > current) throw tooLargeResourceVersion(rv, current);
  if (rv < ctx.store.cache.compactedRv) throw resourceExpired(CONTINUE_EXPIRED, encodeContinue({ rv: -1, start: token.start }));
  return { rv, start: token.start };
}

function resolveListRv(ctx: ServerContext, request: ListRequest): Resolved {
  if (request.continue) return resolveContinue(ctx, request);
  const current = ctx.store.rv;
  if (!request.resourceVersion) return { rv: current, start: '' };
  const requested = parseResourceVersion(request.resourceVersion);
  const limited = (request.limit ?? 0) > 0;
  const exact = request.resourceVersionMatch === 'Exact' || (request.resourceVersionMatch === undefined && limited && requested > 0);
  if (requested > current) throw tooLargeResourceVersion(requested, current);
  if (!exact) return { rv: current, start: '' };
  if (requested < ctx.store.cache.compactedRv) throw resourceExpired(LIST_EXPIRED);
  return { rv: requested, start: '' };
}

interface Page {
  items: KubeObject[];
  lastKey?: string;
  remaining: number;
}

function collectPage(ctx: ServerContext, type: ResourceType, selection: Selection, at: Resolved, limit: number): Page {
  const table = ctx.store.tableAt(type, at.rv);
  const prefix = selection.namespace !== undefined ? `${selection.namespace}/` : '';
  const items: KubeObject[] = [];
  let lastKey: string | undefined;
  let remaining = 0;
  for (const key of table.keysFrom(prefix, prefix + at.start)) {
    if (lastKey !== undefined) {
      remaining++;
      // Only an unfiltered list reports how many remain; a filtered one only needs to know that some do.
      if (!selection.empty) break;
      continue;
    }
    const obj = table.get(key) as KubeObject;
    if (!selection.matches(obj)) continue;
    items.push(obj);
    if (limit > 0 && items.length === limit) lastKey = key;
  }
  return { items, lastKey: remaining > 0 ? lastKey : undefined, remaining };
}

/** LIST; items are the stored frozen objects. */
export function listObjects(ctx: ServerContext, type: ResourceType, request: ListRequest): KubeList {
  validateListRequest(request);
  const selection = ctx.selections.compile(type, request);
  const at = resolveListRv(ctx, request);
  const page = collectPage(ctx, type, selection, at, Math.max(0, Math.floor(request.limit ?? 0)));
  const list: KubeList = { apiVersion: apiVersionOf(type), kind: type.listKind, metadata: { resourceVersion: String(at.rv) }, items: page.items };
  if (page.lastKey !== undefined) {
    const prefix = selection.namespace !== undefined ? `${selection.namespace}/` : '';
    list.metadata.continue = encodeContinue({ rv: at.rv, start: `${page.lastKey.slice(prefix.length)}\u0000` });
    if (selection.empty) list.metadata.remainingItemCount = page.remaining;
  }
  return list;
}
