// The autoscaler's stat server (knative/serving pkg/autoscaler/statserver/server.go, and the stamping
// loop of cmd/autoscaler/main.go): it listens on the pod IP at :8080; every batch of activator stat
// messages (one HTTP POST per websocket message, see stat-message.ts) is decoded, each stat without
// a timestamp is stamped with the receipt time truncated to the second (time.Now().Unix()), and each
// message goes to the forwarder, which accepts it here or sends it to the bucket's owner. Kubelet
// probes (User-Agent kube-probe/…, or K-Kubelet-Probe) get 200. A body that does not decode is
// dropped (upstream logs the unmarshalling error and keeps reading). Stopping unlistens.

import type { Exchange, HttpNetwork } from '../../dataplane/http-network.js';
import { SIM_EPOCH_MS } from '../../sim/time-format.js';
import { decodeStatBatch } from './stat-decoding.js';
import type { StatMessage } from './stat-message.js';

export interface StatServerOptions {
  http: HttpNetwork;
  ip: string;
  port: number;
  nowMs: () => number;
  process: (message: StatMessage) => void;
  record: (kind: string, fields: Record<string, string | number | boolean>) => void;
}

/** Unix seconds of a virtual time (the simulation's epoch is a whole second). */
export function unixSeconds(simMs: number): number {
  return Math.floor((SIM_EPOCH_MS + simMs) / 1000);
}

/** The virtual time of a stat's unix-seconds timestamp. */
export function simMsOfUnixSeconds(seconds: number): number {
  return seconds * 1000 - SIM_EPOCH_MS;
}

function isKubeletProbe(headers: Readonly<Record<string, string>>): boolean {
  const ua = headers['User-Agent'] ?? headers['user-agent'] ?? '';
  return ua.startsWith('kube-probe/') || headers['K-Kubelet-Probe'] !== undefined;
}

/** Starts serving; returns the function that stops it. */
export function startStatServer(options: StatServerOptions): () => void {
  const handler = (ex: Exchange): void => {
    const req = ex.request;
    if (isKubeletProbe(req.headers)) {
      ex.respond({ status: 200 });
      return;
    }
    if (req.method !== 'POST') {
      ex.respond({ status: 400, body: 'Bad Request' });
      return;
    }
    const batch = decodeStatBatch(req.body);
    if (batch === undefined) {
      options.record('autoscaler/stat-server', { event: 'undecodable', from: ex.fromIp });
      ex.respond({ status: 200 });
      return;
    }
    ex.respond({ status: 200 });
    const now = unixSeconds(options.nowMs());
    for (const message of batch) {
      if (!message.stat.timestamp) message.stat.timestamp = now;
      options.process(message);
    }
  };
  return options.http.listen(options.ip, options.port, handler);
}
