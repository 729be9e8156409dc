// What the activator sends the autoscaler: batches of per-revision stats (knative/serving
// pkg/autoscaler/metrics/stat.proto WireStatMessages, sent by pkg/activator/stat_reporter.go over
// the websocket to ws://autoscaler.knative-serving:8080, received by pkg/autoscaler/statserver).
//
// Modelling choice: the websocket is not modelled as a connection. Each batch travels as its own
// HTTP POST to <autoscaler pod IP>:8080 with the batch as its body; the stat server answers 200 on
// receipt (a websocket write has no answer upstream: the sender only learns of a broken
// connection). A batch sent to an address nobody listens on fails with 'connection refused', as
// the activator's dial would while the autoscaler is down.

import type { HttpRequest } from '../../dataplane/http-network.js';
import type { Stat } from '../autoscaler/stat.js';
import { PORTS } from '../serving-system.js';

/** A stat on the wire: the activator leaves `timestamp` unset; the receiving autoscaler stamps it. */
export interface WireStat extends Stat {
  /** Unix seconds (Stat.Timestamp). 0 or absent: stamp with the receipt time, truncated to the second. */
  timestamp?: number;
}

/** One revision's stat (metrics.StatMessage): `key` is `<namespace>/<revision>`. */
export interface StatMessage {
  key: string;
  stat: WireStat;
}

/** The stat server's address: the autoscaler pod's IP, this port, this path. */
export const STAT_SERVER = Object.freeze({ port: PORTS.autoscalerStats, path: '/' });

/** The HTTP request that carries one batch (copies the messages, so the sender may reuse them). */
export function statBatchRequest(messages: readonly StatMessage[]): HttpRequest {
  return {
    method: 'POST',
    path: STAT_SERVER.path,
    headers: { 'Content-Type': 'application/x-knative-stat-messages' },
    body: messages.map((m) => ({ key: m.key, stat: { ...m.stat } })),
  };
}
