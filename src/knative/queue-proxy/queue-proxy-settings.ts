// What a queue-proxy reads at start-up: its environment as the Revision reconciler writes it
// (knative/serving pkg/reconciler/revision/resources/queue.go makeQueueContainer; parsed by
// pkg/queue/sharedmain/main.go config), and which container of the pod is the user's.
//
// Defaults when the pod does not say (documented deviations from upstream, whose env is required):
// - CONTAINER_CONCURRENCY absent: 0 (no breaker);
// - REVISION_TIMEOUT_SECONDS absent or 0: 300 s, the revision default (pkg/apis/config/defaults.go);
//   upstream would time every request out at once with 0, but revision defaulting never yields 0;
// - REVISION_RESPONSE_START_TIMEOUT_SECONDS / REVISION_IDLE_TIMEOUT_SECONDS absent: 0 (off);
// - USER_PORT absent: 8080; QUEUE_SERVING_PORT absent: 8012;
// - SERVING_READINESS_PROBE absent: the probe revision defaulting produces for a user container
//   without one (revision_defaults.go: TCP on the user port, successThreshold 1, periodSeconds 0,
//   i.e. aggressive); present but empty: no probe at all (main.go: the prober always says true).

import type { KubeObject } from '../../apiserver/types.js';
import { PORTS } from '../serving-system.js';
import { LABELS } from '../apis/serving-labels.js';

/** resources.QueueContainerName. */
export const QUEUE_CONTAINER_NAME = 'queue-proxy';
/** The revision timeout when none is given (config-defaults revision-timeout-seconds). */
export const DEFAULT_REVISION_TIMEOUT_S = 300;

/** The part of the user's readiness probe queue-proxy's prober uses (pkg/queue/readiness/probe.go). */
export interface ReadinessProbeSettings {
  /** periodSeconds 0: retry every 50 ms for up to 10 s until successThreshold successes in a row. */
  aggressive: boolean;
  successThreshold: number;
}

export interface QueueProxySettings {
  containerConcurrency: number;
  revisionTimeoutMs: number;
  /** 0: not set. */
  responseStartTimeoutMs: number;
  /** 0: not set. */
  idleTimeoutMs: number;
  userPort: number;
  servingPort: number;
  /** Undefined: no readiness probe, the prober always succeeds. */
  readiness: ReadinessProbeSettings | undefined;
  namespace: string;
  revision: string;
  podName: string;
  userContainer: string;
}

function envOf(container: Record<string, any> | undefined): Map<string, string> {
  const env = new Map<string, string>();
  for (const e of (container?.env ?? []) as { name?: string; value?: string }[]) {
    if (typeof e.name === 'string' && typeof e.value === 'string') env.set(e.name, e.value);
  }
  return env;
}

function intEnv(env: Map<string, string>, name: string, fallback: number): number {
  const text = env.get(name);
  const value = text === undefined || text.trim() === '' ? NaN : Number(text);
  return Number.isInteger(value) && value >= 0 ? value : fallback;
}

/** readiness.DecodeProbes: one probe, or a list (multi-container probing); the first one decides the mode. */
export function parseReadinessProbe(encoded: string | undefined): ReadinessProbeSettings | undefined {
  if (encoded === undefined) return { aggressive: true, successThreshold: 1 };
  if (encoded === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(encoded);
  } catch {
    return { aggressive: true, successThreshold: 1 };
  }
  const first = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown> | undefined;
  const period = Number(first?.periodSeconds ?? 0);
  const threshold = Number(first?.successThreshold ?? 1);
  return { aggressive: !(period > 0), successThreshold: threshold >= 1 ? threshold : 1 };
}

/** The user container: the one that is not queue-proxy and declares ports, else the first other one. */
export function userContainerOf(pod: KubeObject): string {
  const containers = (pod.spec?.containers ?? []) as { name: string; ports?: unknown[] }[];
  const others = containers.filter((c) => c.name !== QUEUE_CONTAINER_NAME);
  return (others.find((c) => (c.ports ?? []).length > 0) ?? others[0])?.name ?? 'user-container';
}

export function queueProxySettings(pod: KubeObject): QueueProxySettings {
  const containers = (pod.spec?.containers ?? []) as Record<string, any>[];
  const env = envOf(containers.find((c) => c.name === QUEUE_CONTAINER_NAME));
  const timeoutS = intEnv(env, 'REVISION_TIMEOUT_SECONDS', 0);
  return {
    containerConcurrency: intEnv(env, 'CONTAINER_CONCURRENCY', 0),
    revisionTimeoutMs: (timeoutS > 0 ? timeoutS : DEFAULT_REVISION_TIMEOUT_S) * 1000,
    responseStartTimeoutMs: intEnv(env, 'REVISION_RESPONSE_START_TIMEOUT_SECONDS', 0) * 1000,
    idleTimeoutMs: intEnv(env, 'REVISION_IDLE_TIMEOUT_SECONDS', 0) * 1000,
    userPort: intEnv(env, 'USER_PORT', PORTS.userDefault),
    servingPort: intEnv(env, 'QUEUE_SERVING_PORT', PORTS.http1),
    readiness: parseReadinessProbe(env.get('SERVING_READINESS_PROBE')),
    namespace: env.get('SERVING_NAMESPACE') ?? pod.metadata.namespace ?? '',
    revision: env.get('SERVING_REVISION') ?? pod.metadata.labels?.[LABELS.revision] ?? '',
    podName: pod.metadata.name ?? '',
    userContainer: userContainerOf(pod),
  };
}

/**
 * The time a request may take before the timeout handler answers 504 (pkg/http/handler/timeout.go).
 * Responses here are written at once when they are ready, so the response-start and idle timeouts
 * also run from the request's start: the first of the three to fire wins.
 */
export function effectiveTimeoutMs(t: { revisionTimeoutMs: number; responseStartTimeoutMs: number; idleTimeoutMs: number }): number {
  return Math.min(...[t.revisionTimeoutMs, t.responseStartTimeoutMs, t.idleTimeoutMs].filter((ms) => ms > 0));
}
