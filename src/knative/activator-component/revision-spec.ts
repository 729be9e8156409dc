// What the activator reads from a Revision (knative/serving pkg/apis/serving/v1): its
// containerConcurrency (default 0), its timeouts (timeoutSeconds default 300 s,
// pkg/apis/config/defaults.go; responseStartTimeoutSeconds and idleTimeoutSeconds unset by default),
// and whether the queue-proxy probe may stand for readiness (revision_backends.go
// getOrCreateRevisionWatcher: not with an exec readiness probe on the user container — since
// knative/serving#12250, commit 8f4ab1f896, Knative 1.1; before it an exec probe changed nothing
// (#11693), which `execProbeOptOut: false` selects — nor with a startup probe on it or on any
// sidecar), and the port name of its protocol.

import type { KubeObject } from '../../apiserver/types.js';
import { DEFAULT_REVISION_TIMEOUT_S, effectiveTimeoutMs } from '../queue-proxy/queue-proxy-settings.js';

type ContainerSpec = { name?: string; ports?: { name?: string }[]; readinessProbe?: Record<string, unknown>; startupProbe?: unknown };

export interface RevisionSpecView {
  containerConcurrency: number;
  /** The time after which the TimeoutHandler answers 504 (queued time included). */
  timeoutMs: number;
  enableProbeOptimisation: boolean;
  /** ServicePortName(GetProtocol()): 'http2' when the serving port is named h2c, else 'http'. */
  portName: string;
}

const seconds = (value: unknown): number => (typeof value === 'number' && value > 0 ? value * 1000 : 0);

/** RevisionSpec.GetContainer: the container with ports, or the only/first one. */
function servingContainer(containers: ContainerSpec[]): ContainerSpec | undefined {
  return containers.find((c) => (c.ports ?? []).length > 0) ?? containers[0];
}

export interface RevisionSpecViewOptions {
  /** An exec readiness probe turns probe optimisation off (knative/serving#12250). Default true. */
  execProbeOptOut?: boolean;
}

export function revisionSpecView(rev: KubeObject, options: RevisionSpecViewOptions = {}): RevisionSpecView {
  const spec = (rev.spec ?? {}) as Record<string, unknown>;
  const cc = Number(spec.containerConcurrency ?? 0);
  const containers = (spec.containers ?? []) as ContainerSpec[];
  const main = servingContainer(containers);
  const sidecars = containers.filter((c) => c !== main);
  const execOptOut = (options.execProbeOptOut ?? true) && main?.readinessProbe?.exec !== undefined;
  const enableProbeOptimisation = !execOptOut && main?.startupProbe === undefined && sidecars.every((c) => c.startupProbe === undefined);
  return {
    containerConcurrency: Number.isInteger(cc) && cc > 0 ? cc : 0,
    timeoutMs: effectiveTimeoutMs({
      revisionTimeoutMs: seconds(spec.timeoutSeconds) || DEFAULT_REVISION_TIMEOUT_S * 1000,
      responseStartTimeoutMs: seconds(spec.responseStartTimeoutSeconds),
      idleTimeoutMs: seconds(spec.idleTimeoutSeconds),
    }),
    enableProbeOptimisation,
    portName: main?.ports?.[0]?.name === 'h2c' ? 'http2' : 'http',
  };
}
