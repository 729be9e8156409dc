// The user readiness probe queue-proxy runs, as knative/serving pkg/reconciler/revision/resources/
// queue.go applyReadinessProbeDefaults prepares it and pkg/queue/readiness/probe_encoding.go
// EncodeSingleProbe serializes it into SERVING_READINESS_PROBE (Go's encoding/json of a
// corev1.Probe: struct field order, zero-valued omitempty fields left out).

type Json = Record<string, any>;

const PROBE_ORDER = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'initialDelaySeconds', 'timeoutSeconds', 'periodSeconds',
  'successThreshold', 'failureThreshold', 'terminationGracePeriodSeconds'];
const ACTION_ORDER: Record<string, string[]> = {
  httpGet: ['path', 'port', 'host', 'scheme', 'httpHeaders'],
  tcpSocket: ['port', 'host'],
  grpc: ['port', 'service'],
  exec: ['command'],
};
const ALWAYS = new Set(['port', 'service']);

function ordered(obj: Json, order: readonly string[], nested: (key: string, value: unknown) => unknown): Json {
  const out: Json = {};
  for (const key of [...order, ...Object.keys(obj).filter((k) => !order.includes(k)).sort()]) {
    const value = obj[key];
    if (value === undefined || value === null) continue;
    if (!ALWAYS.has(key) && (value === 0 || value === '' || (Array.isArray(value) && value.length === 0))) continue;
    out[key] = nested(key, value);
  }
  return out;
}

/** EncodeSingleProbe. */
export function encodeProbe(probe: Json): string {
  return JSON.stringify(ordered(probe, PROBE_ORDER, (key, value) => (ACTION_ORDER[key] ? ordered(value as Json, ACTION_ORDER[key], (_k, v) => v) : value)));
}

/** applyReadinessProbeDefaults: probe the user container on 127.0.0.1 at `port`; an exec probe becomes TCP. */
export function applyReadinessProbeDefaults(probe: Json, port: number): void {
  if (probe.httpGet) {
    probe.httpGet.host = '127.0.0.1';
    probe.httpGet.port = port;
    if (!probe.httpGet.scheme) probe.httpGet.scheme = 'HTTP';
  } else if (probe.tcpSocket) {
    probe.tcpSocket.host = '127.0.0.1';
    probe.tcpSocket.port = port;
  } else if (probe.exec) {
    probe.tcpSocket = { host: '127.0.0.1', port };
    delete probe.exec;
  } else if (probe.grpc) {
    probe.grpc.port = port;
  }
  if ((probe.periodSeconds ?? 0) > 0 && (probe.timeoutSeconds ?? 0) < 1) probe.timeoutSeconds = 1;
}
