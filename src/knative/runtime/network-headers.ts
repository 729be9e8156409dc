// The HTTP headers the Knative data plane speaks (knative/networking pkg/http/header/header.go,
// knative/serving pkg/activator/activator.go, pkg/queue/constants.go), a case-insensitive lookup
// on our simulated requests, and the few sim-only response headers through which a response says
// which pod served it and which activator it passed (the history records them; no upstream
// component reads them).

import type { HttpRequest, HttpResponse } from '../../dataplane/http-network.js';

export const HEADER = {
  /** K-Network-Probe: 'queue' (queue-proxy health), 'activator', or 'probe' (network probe). */
  probe: 'K-Network-Probe',
  hash: 'K-Network-Hash',
  /** K-Proxy-Request: 'activator' on requests the activator forwards. */
  proxy: 'K-Proxy-Request',
  kubeletProbe: 'K-Kubelet-Probe',
  userAgent: 'User-Agent',
  host: 'Host',
  revisionName: 'Knative-Serving-Revision',
  revisionNamespace: 'Knative-Serving-Namespace',
  /** Sim-only: the pod whose user container answered. */
  servedByPod: 'X-Sleeveless-Pod',
  /** Sim-only: the activator pod the request went through. */
  viaActivator: 'X-Sleeveless-Activator',
} as const;

/** header.ProbeValue: the K-Network-Probe value of a network (hash) probe. */
export const NETWORK_PROBE_VALUE = 'probe';
/** queue.Name: the K-Network-Probe value and body of a queue-proxy health probe. */
export const QUEUE_PROBE_VALUE = 'queue';
/** activator.Name: the K-Proxy-Request value, and the K-Network-Probe value the activator answers. */
export const ACTIVATOR_NAME = 'activator';
export const KUBE_PROBE_UA_PREFIX = 'kube-probe/';
export const ACTIVATOR_USER_AGENT = 'Knative-Activator-Probe';
export const AUTOSCALING_USER_AGENT = 'Knative-Autoscaling-Probe';

/**
 * A header of a request or response. Go's net/http canonicalizes header keys on the wire
 * (textproto.CanonicalMIMEHeaderKey), and every simulated sender writes canonical keys (the HEADER
 * constants), so a lookup by the canonical key is exact. `name` must be canonical (a HEADER
 * constant, or canonicalHeaderKey of anything else).
 * The handlers every user request passes (gateway, activator, queue-proxy) read `headers[HEADER.x]`
 * themselves instead: a lookup here shares one inline cache among every caller and every header
 * shape in the run (megamorphic), where a lookup at the call site sees the few shapes that reach it.
 */
export function headerOf(message: Pick<HttpRequest | HttpResponse, 'headers'>, name: string): string | undefined {
  return message.headers?.[name];
}

/** textproto.CanonicalMIMEHeaderKey for ASCII keys: `k-network-probe` → `K-Network-Probe`. */
export function canonicalHeaderKey(name: string): string {
  let out = '';
  let upper = true;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === '-';
  }
  return out;
}

/** header.IsKubeletProbe: a kube-probe/ user agent, or the K-Kubelet-Probe header. */
export function isKubeletProbe(req: HttpRequest): boolean {
  return kubeletProbeHeaders(headerOf(req, HEADER.userAgent), headerOf(req, HEADER.kubeletProbe));
}

/** header.IsKubeletProbe on the two headers it reads (for a handler that has read them itself). */
export function kubeletProbeHeaders(userAgent: string | undefined, kubeletProbe: string | undefined): boolean {
  return (userAgent ?? '').startsWith(KUBE_PROBE_UA_PREFIX) || kubeletProbe !== undefined;
}

/** The headers without the named ones (case-insensitive), e.g. what a header-pruning proxy forwards. */
export function withoutHeaders(headers: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = Object.keys(headers);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    let dropped = false;
    for (let j = 0; j < names.length && !dropped; j++) dropped = sameHeaderName(names[j], key);
    if (!dropped) out[key] = headers[key];
  }
  return out;
}

/** Case-insensitive equality of two header names (lengths first: most pairs differ there). */
function sameHeaderName(a: string, b: string): boolean {
  return a.length === b.length && (a === b || a.toLowerCase() === b.toLowerCase());
}

/**
 * One proxy's header edit: drop some headers (case-insensitive), set one. The result for a frozen
 * header object (the router's per-route headers, a server's constant response headers) is frozen
 * and remembered, so the same shared headers are not copied again for every request.
 */
export class HeaderEdit {
  readonly #drop: readonly string[];
  readonly #name: string;
  readonly #value: string;
  readonly #remembered = new WeakMap<object, Readonly<Record<string, string>>>();
  #fromNone: Readonly<Record<string, string>> | undefined;

  constructor(options: { drop?: readonly string[]; set: string; to: string }) {
    this.#drop = options.drop ?? [];
    this.#name = options.set;
    this.#value = options.to;
  }

  apply(headers: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
    if (headers === undefined) return (this.#fromNone ??= Object.freeze({ [this.#name]: this.#value }));
    const remembered = this.#remembered.get(headers);
    if (remembered !== undefined) return remembered;
    const out = withoutHeaders(headers, this.#drop);
    out[this.#name] = this.#value;
    if (!Object.isFrozen(headers)) return out;
    Object.freeze(out);
    this.#remembered.set(headers, out);
    return out;
  }
}

/** A copy of `res` with its headers edited (the original is left alone: it may be shared). */
export function withEditedHeaders(res: HttpResponse, edit: HeaderEdit): HttpResponse {
  const body = res.body;
  // With a body (the usual answer) in one literal: fields added to a literal later go to a separate property store.
  const out: HttpResponse = body !== undefined ? { status: res.status, headers: edit.apply(res.headers), body } : { status: res.status, headers: edit.apply(res.headers) };
  if (res.error !== undefined) out.error = res.error;
  return out;
}
