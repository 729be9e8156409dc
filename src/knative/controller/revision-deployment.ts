// A Revision's Deployment `<rev>-deployment` (knative/serving pkg/reconciler/revision/resources/
// deploy.go MakeDeployment, makePodSpec, BuildUserContainers, makeServingContainer, BuildPodSpec;
// meta.go UpdateDeploymentHashLabel): replicas = the initial-scale annotation or config-autoscaler
// initial-scale; progressDeadlineSeconds = the progress-deadline annotation or config-deployment;
// RollingUpdate with maxUnavailable 0 (fix #11140 for #11092; before it no strategy, so the API
// server's default 25% maxUnavailable / 25% maxSurge); revisionHistoryLimit 0; selector on revisionUID.
// The pod: the user container (image = its resolved digest, port `user-port`, env PORT, the
// preStop GET /wait-for-drain on queue-proxy's admin port 8022, its HTTP/TCP readiness probe
// removed because queue-proxy runs it, liveness probe on the user port) and the queue-proxy
// container; terminationGracePeriodSeconds = timeoutSeconds; enableServiceLinks from
// config-defaults; a soft anti-affinity spreading the revision over nodes (the default
// default-affinity-type). A hash of the desired object is kept in the deployment-hash label so
// that a change of the Revision or of the config is noticed (checkAndUpdateDeployment).

import type { KubeObject } from '../../apiserver/types.js';
import { lookupAnnotation, ANNOTATIONS as AUTOSCALING } from '../autoscaler/annotation-keys.js';
import type { AutoscalerConfig } from '../config/autoscaler-config.js';
import type { DeploymentConfig } from '../config/deployment-config.js';
import { DurationSyntaxError, parseDurationMs } from '../config/duration.js';
import { LABELS } from '../apis/serving-labels.js';
import type { DefaultsConfig } from './defaults-config.js';
import { jsonClone } from './json-clone.js';
import { controllerRef } from './owner-refs.js';
import { makeQueueContainer, userPort } from './queue-container.js';
import { deploymentAnnotations, deploymentName, makeLabels, makeSelector, podAnnotations } from './revision-meta.js';
import type { KnativeProfile } from '../versions.js';
import type { NetworkConfig } from './network-config.js';
import { QUEUE_CERT_DIRECTORY } from '../serving-system.js';

type Json = Record<string, any>;

export const DEPLOYMENT_HASH_LABEL = 'serving.knative.dev/deployment-hash';
export const QUEUE_ADMIN_PORT = 8022;
export const DRAIN_PATH = '/wait-for-drain';

export interface RevisionConfigs {
  autoscaler: AutoscalerConfig;
  deployment: DeploymentConfig;
  defaults: DefaultsConfig;
  /** config-network (system-internal-tls); absent: the defaults (TLS off). */
  network?: Pick<NetworkConfig, 'systemInternalTls'>;
}

/** networking.ServingCertName, mounted at queue.CertDirectory. */
const SERVING_CERT_SECRET = 'serving-certs';
const CERT_VOLUME = 'server-certs';

function rewriteLivenessProbe(probe: Json | undefined, port: number): void {
  if (probe?.httpGet) probe.httpGet.port = port;
  else if (probe?.tcpSocket) probe.tcpSocket.port = port;
}

/** makeContainer / makeServingContainer for the container at `index`. */
function userContainer(rev: KubeObject, index: number): Json {
  const containers: Json[] = rev.spec?.containers ?? [];
  const c: Json = jsonClone(containers[index]);
  const serving = (c.ports?.length ?? 0) !== 0 || containers.length === 1;
  if (serving) {
    const port = userPort(rev);
    c.ports = [{ name: 'user-port', containerPort: port }];
    c.env = [...(c.env ?? []), { name: 'PORT', value: String(port) }];
  }
  c.lifecycle = { preStop: { httpGet: { port: QUEUE_ADMIN_PORT, path: DRAIN_PATH } } };
  delete c.stdin;
  delete c.tty;
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'FallbackToLogsOnError';
  if (c.readinessProbe && (c.readinessProbe.httpGet || c.readinessProbe.tcpSocket || c.readinessProbe.grpc)) delete c.readinessProbe;
  if (serving) rewriteLivenessProbe(c.livenessProbe, userPort(rev));
  const digest = rev.status?.containerStatuses?.[index]?.imageDigest;
  if (digest) c.image = digest;
  return c;
}

function makePodSpec(rev: KubeObject, cfg: RevisionConfigs, profile: KnativeProfile): Json {
  const { containers: _c, ...rest } = (rev.spec ?? {}) as Json;
  const spec: Json = jsonClone(rest);
  delete spec.containerConcurrency;
  delete spec.timeoutSeconds;
  delete spec.responseStartTimeoutSeconds;
  delete spec.idleTimeoutSeconds;
  const users = ((rev.spec?.containers ?? []) as Json[]).map((_, i) => userContainer(rev, i));
  const queue = makeQueueContainer(rev, cfg.deployment);
  spec.containers = [...users, queue];
  // deploy.go: with system-internal-tls (knative/serving#14472, commit 3cafe59d32, Knative 1.12)
  // queue-proxy mounts the serving certificate, and finding it there makes it serve TLS. Earlier
  // releases mounted certificates under older settings (internal-encryption, a queue-proxy
  // certificate secret) that the model does not read.
  if (profile.has('pr-14472') && cfg.network?.systemInternalTls === true) {
    queue.volumeMounts = [...(queue.volumeMounts ?? []), { name: CERT_VOLUME, mountPath: QUEUE_CERT_DIRECTORY, readOnly: true }];
    spec.volumes = [...(spec.volumes ?? []), { name: CERT_VOLUME, secret: { secretName: SERVING_CERT_SECRET } }];
  }
  spec.terminationGracePeriodSeconds = rev.spec?.timeoutSeconds;
  if (spec.enableServiceLinks === undefined && cfg.defaults.enableServiceLinks !== null) spec.enableServiceLinks = cfg.defaults.enableServiceLinks;
  if (cfg.deployment.defaultAffinityType === 'prefer-spread-revision-over-nodes' && rev.spec?.affinity === undefined) {
    spec.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{
      weight: 100,
      podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { [LABELS.revision]: rev.metadata.name! } } },
    }] } };
  }
  return spec;
}

function initialReplicas(rev: KubeObject, cfg: AutoscalerConfig): number {
  const hit = lookupAnnotation(rev.metadata.annotations, AUTOSCALING.initialScale);
  const parsed = hit !== undefined ? Number.parseInt(hit.value, 10) : Number.NaN;
  return Number.isInteger(parsed) ? parsed : cfg.initialScale;
}

function progressDeadlineSeconds(rev: KubeObject, cfg: DeploymentConfig): number {
  const hit = lookupAnnotation(rev.metadata.annotations, AUTOSCALING.progressDeadline);
  if (hit !== undefined) {
    try {
      return Math.trunc(parseDurationMs(hit.value) / 1000);
    } catch (e) {
      if (!(e instanceof DurationSyntaxError)) throw e;
      return 0;
    }
  }
  return Math.trunc(cfg.progressDeadlineMs / 1000);
}

// FNV-32a over the UTF-8 bytes of a text fed in pieces (UpdateDeploymentHashLabel hashes a dump of
// spec, annotations, labels), printed base-36. Hashing the pieces as they are produced gives the
// value the hash of their concatenation would, without building the text or its byte array. The
// running hash is threaded through as a number (no hasher object on the hot path).

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;
const QUOTE = 0x22;

function fnvByte(h: number, byte: number): number {
  return Math.imul(h ^ byte, FNV32_PRIME) >>> 0;
}

/** The UTF-8 encoding of `text` (a lone surrogate as U+FFFD, as TextEncoder writes it). */
function fnvText(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV32_PRIME) >>> 0;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x800) {
      h = fnvByte(h, 0xc0 | (c >> 6));
    } else if (c < 0x10000) {
      h = fnvByte(h, 0xe0 | (c >> 12));
      h = fnvByte(h, 0x80 | ((c >> 6) & 0x3f));
    } else {
      h = fnvByte(h, 0xf0 | (c >> 18));
      h = fnvByte(h, 0x80 | ((c >> 12) & 0x3f));
      h = fnvByte(h, 0x80 | ((c >> 6) & 0x3f));
    }
    h = fnvByte(h, 0x80 | (c & 0x3f));
  }
  return h;
}

/** JSON.stringify(text): hashed as is between quotes when no character needs an escape. */
function fnvQuoted(hash: number, text: string): number {
  let h = fnvByte(hash, QUOTE);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === QUOTE || c === 0x5c || c > 0x7e) return fnvText(hash, JSON.stringify(text));
    h = Math.imul(h ^ c, FNV32_PRIME) >>> 0;
  }
  return fnvByte(h, QUOTE);
}

/**
 * Hashes JSON with object keys sorted (arrays keep their order), the text the deployment hash is
 * taken of. An undefined value prints as nothing inside an array and as `undefined` after an object
 * key (what the first version of this dump printed; the hash must not move).
 */
function fnvCanonical(hash: number, value: unknown, inArray: boolean): number {
  let h = hash;
  if (Array.isArray(value)) {
    h = fnvByte(h, OPEN_BRACKET);
    for (let i = 0; i < value.length; i++) {
      if (i > 0) h = fnvByte(h, COMMA);
      h = fnvCanonical(h, value[i], true);
    }
    return fnvByte(h, CLOSE_BRACKET);
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    h = fnvByte(h, OPEN_BRACE);
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) h = fnvByte(h, COMMA);
      h = fnvQuoted(h, keys[i]);
      h = fnvByte(h, COLON);
      h = fnvCanonical(h, (value as Json)[keys[i]], false);
    }
    return fnvByte(h, CLOSE_BRACE);
  }
  if (typeof value === 'string') return fnvQuoted(h, value);
  const text: string | undefined = JSON.stringify(value);
  if (text !== undefined) return fnvText(h, text);
  return inArray ? h : fnvText(h, 'undefined');
}

export function makeDeployment(rev: KubeObject, cfg: RevisionConfigs, profile: KnativeProfile): KubeObject {
  const labels = makeLabels(rev);
  const d: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: deploymentName(rev), namespace: rev.metadata.namespace, labels,
      annotations: deploymentAnnotations(rev), ownerReferences: [controllerRef(rev)],
    },
    spec: {
      replicas: initialReplicas(rev, cfg.autoscaler),
      selector: makeSelector(rev),
      progressDeadlineSeconds: progressDeadlineSeconds(rev, cfg.deployment),
      revisionHistoryLimit: 0,
      // knative/serving pkg/reconciler/revision/resources/deploy.go, fix #11140 (5af4e84d14).
      ...(profile.has('pr-11140') ? { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } } } : {}),
      template: { metadata: { labels: { ...labels }, annotations: podAnnotations(rev) }, spec: makePodSpec(rev, cfg, profile) },
    },
  };
  d.metadata.labels![DEPLOYMENT_HASH_LABEL] = fnvCanonical(FNV32_OFFSET, [d.spec, d.metadata.annotations, labels], true).toString(36);
  return d;
}
