// WATCH: where a watch starts and what it is sent first (k8s-api.md §2.7; apiserver
// pkg/storage/cacher/cacher.go Watch, watch_cache.go, and the RunWatchSemantics table in
// pkg/storage/testing/watcher_tests.go):
// - legacy (sendInitialEvents unset) from RV unset or "0": synthetic ADDED for every matching
//   object, then changes;
// - from RV N: the changes after N; N older than the log → one ERROR event (410 Expired,
//   `too old resource version: N (M)`) and the watch closes;
// - sendInitialEvents=true: ADDED for the current state, then (when bookmarks are allowed) a BOOKMARK
//   annotated k8s.io/initial-events-end at the current RV; sendInitialEvents=false from RV unset or
//   "0": only changes from now on;
// - an RV in the future: 504 (thrown), as the watch cache answers once its wait times out.
import { invalid, resourceExpired, tooLargeResourceVersion } from './api-error.js';
import { fieldError } from './field-error.js';
import { parseResourceVersion } from './list-flow.js';
import type { ResourceType } from './registry.js';
import type { ServerContext } from './server-context.js';
import type { StatusCause } from './types.js';
import { INITIAL_EVENTS_END_ANNOTATION, Watcher, type WatchHandle, type WatchSink } from './watch-cache.js';

export interface WatchRequest {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

/** internalversion/validation validateWatchOptions (WatchList enabled, as from Kubernetes 1.32). */
function validateWatchRequest(request: WatchRequest): void {
  const causes: StatusCause[] = [];
  const match = request.resourceVersionMatch as string | undefined;
  if (request.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    causes.push(fieldError.forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (match) {
    if (request.sendInitialEvents === undefined) {
      causes.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    }
    if (match !== 'NotOlderThan') causes.push(fieldError.notSupported('resourceVersionMatch', match, ['NotOlderThan']));
  }
  if (causes.length > 0) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', causes);
}

/** Sends the matching objects of the current state as ADDED, in key order. */
function sendInitialState(ctx: ServerContext, watcher: Watcher): void {
  const namespace = watcher.selection.namespace;
  const table = ctx.store.objects.table(watcher.resource);
  const objects = [...table.valuesWithPrefix(namespace !== undefined ? `${namespace}/` : '')].filter((obj) => watcher.selection.matches(obj));
  for (const obj of objects) {
    if (watcher.stopped) return;
    watcher.sink.event({ type: 'ADDED', object: obj });
  }
}

/**
 * Replays the logged changes after the watcher's lastRv through its own filter until it has seen
 * the current RV (a sink that writes while being caught up only adds to what is replayed next).
 */
function catchUp(ctx: ServerContext, watcher: Watcher): void {
  const cache = ctx.store.cache;
  const deletedView = cache.deletedView.bind(cache);
  while (!watcher.stopped && watcher.lastRv < ctx.store.rv) {
    const through = ctx.store.rv;
    for (const ev of cache.eventsBetween(watcher.lastRv, through)) {
      if (ev.resource === watcher.resource) watcher.deliver(ev, deletedView);
    }
    if (watcher.lastRv < through) watcher.lastRv = through;
  }
}

/** Starts a watch; events reach `sink` synchronously, the first ones before this returns. */
export function startWatch(ctx: ServerContext, type: ResourceType, request: WatchRequest, sink: WatchSink): WatchHandle {
  validateWatchRequest(request);
  const selection = ctx.selections.compile(type, request);
  const requested = parseResourceVersion(request.resourceVersion);
  const current = ctx.store.rv;
  if (requested > current) throw tooLargeResourceVersion(requested, current);
  const cache = ctx.store.cache;
  const watcher = new Watcher(type, selection, request.allowWatchBookmarks === true, sink, (w) => cache.removeWatcher(w));
  const fromNow = requested === 0;
  const initial = request.sendInitialEvents ?? fromNow;
  if (!initial && !fromNow && requested < cache.compactedRv) {
    watcher.fail(resourceExpired(`too old resource version: ${requested} (${cache.compactedRv})`).status);
    return watcher;
  }
  watcher.lastRv = initial || fromNow ? current : requested;
  if (initial) {
    sendInitialState(ctx, watcher);
    if (request.sendInitialEvents === true && watcher.allowBookmarks) watcher.bookmark(current, { [INITIAL_EVENTS_END_ANNOTATION]: 'true' });
  }
  catchUp(ctx, watcher);
  if (!watcher.stopped) cache.addWatcher(watcher);
  return watcher;
}

/**
 * BOOKMARK to every watcher that allowed bookmarks, at the newest RV it has been brought up to:
 * the store's RV, or while a change is still being delivered, what has reached that watcher.
 */
export function emitBookmarks(ctx: ServerContext): void {
  const cache = ctx.store.cache;
  for (const watcher of [...cache.watchers()]) {
    if (watcher.allowBookmarks && !watcher.stopped) watcher.bookmark(Math.max(watcher.lastRv, cache.dispatchedRv));
  }
}
