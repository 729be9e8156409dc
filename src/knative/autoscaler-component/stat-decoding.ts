// Reading stats off the simulated wire: a queue-proxy's /metrics answer (upstream a protobuf Stat,
// decoded by pkg/autoscaler/metrics/http_scrape_client.go statFromProto) and the activator's stat
// batches (WireStatMessages, decoded by pkg/autoscaler/statserver/server.go). Bodies are plain
// objects here; anything that is not a stat fails to decode, as a bad protobuf would. Decoding
// copies, so a sender that keeps mutating its object cannot reach into the autoscaler's buckets.
//
// Field names: those of src/knative/autoscaler/stat.ts; `processUptime` (the proto's field name)
// is accepted as an alias of `processUptimeS`.

import type { StatMessage, WireStat } from './stat-message.js';

const NUMERIC = ['averageConcurrentRequests', 'averageProxiedConcurrentRequests', 'requestCount', 'proxiedRequestCount'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalNumber(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A Stat from a body, or undefined when it is not one (missing counters read as 0, as proto3 does). */
export function decodeStat(body: unknown): WireStat | undefined {
  if (!isRecord(body)) return undefined;
  const stat: WireStat = { averageConcurrentRequests: 0, averageProxiedConcurrentRequests: 0, requestCount: 0, proxiedRequestCount: 0 };
  for (const field of NUMERIC) {
    const value = optionalNumber(body[field]);
    if (value === null) return undefined;
    stat[field] = value ?? 0;
  }
  if (body.podName !== undefined) {
    if (typeof body.podName !== 'string') return undefined;
    stat.podName = body.podName;
  }
  const uptime = optionalNumber(body.processUptimeS ?? body.processUptime);
  const timestamp = optionalNumber(body.timestamp);
  if (uptime === null || timestamp === null) return undefined;
  if (uptime !== undefined) stat.processUptimeS = uptime;
  if (timestamp !== undefined) stat.timestamp = timestamp;
  return stat;
}

/**
 * A batch of stat messages, or undefined when the body is not a list (a message that failed to
 * unmarshal). Entries without a stat are skipped, as the stat server skips `wsm.Stat == nil`.
 */
export function decodeStatBatch(body: unknown): StatMessage[] | undefined {
  if (!Array.isArray(body)) return undefined;
  const out: StatMessage[] = [];
  for (const entry of body) {
    if (!isRecord(entry) || typeof entry.key !== 'string') return undefined;
    if (entry.stat === undefined || entry.stat === null) continue;
    const stat = decodeStat(entry.stat);
    if (stat === undefined) return undefined;
    out.push({ key: entry.key, stat });
  }
  return out;
}
