// The deployment-hash label the Revision reconciler last computed for each Revision, with what it
// was computed from. checkAndUpdateDeployment (knative/serving pkg/reconciler/revision/
// cruds.go, resources/meta.go UpdateDeploymentHashLabel) builds the desired Deployment on every
// reconcile only to compare its hash with the one on the existing Deployment; the desired object is
// needed only when they differ. makeDeployment reads nothing of the Revision but its apiVersion,
// kind, name, namespace, uid, labels, annotations, owner references, spec and container statuses,
// and the configs and profile it is given: while those are the same as last time, the hash is too,
// and the reconciler can compare it without building the Deployment again.

import type { KubeObject } from '../../apiserver/types.js';
import type { KnativeProfile } from '../versions.js';
import type { RevisionConfigs } from './revision-deployment.js';

/** What the hash was computed from: copies of the Revision's parts, the configs by identity. */
interface HashInputs {
  revision: unknown;
  autoscaler: RevisionConfigs['autoscaler'];
  deployment: RevisionConfigs['deployment'];
  defaults: RevisionConfigs['defaults'];
  network: RevisionConfigs['network'];
  profile: KnativeProfile;
  hash: string | undefined;
}

/** The parts of a Revision makeDeployment reads (references into `rev`, not copies). */
function readParts(rev: KubeObject): Record<string, unknown> {
  const m = rev.metadata;
  return {
    apiVersion: rev.apiVersion, kind: rev.kind,
    name: m.name, namespace: m.namespace, uid: m.uid, labels: m.labels, annotations: m.annotations, ownerReferences: m.ownerReferences,
    spec: rev.spec, containerStatuses: rev.status?.containerStatuses,
  };
}

/**
 * Strict structural equality: an own key whose value is undefined differs from an absent key
 * (the hash prints such a member), and numbers compare with ===.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  for (const key of keysA) {
    if (!Object.hasOwn(b, key) || !sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** A copy of plain JSON-like data that keeps undefined-valued keys (they count in `sameValue`). */
function copyValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyValue);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyValue((value as Record<string, unknown>)[key]);
  return out;
}

export class DeploymentHashMemo {
  readonly #byKey = new Map<string, HashInputs>();

  /** The hash remembered for `key` if it was computed from the same Revision parts, configs and profile. */
  lookup(key: string, rev: KubeObject, cfg: RevisionConfigs, profile: KnativeProfile): string | undefined {
    const hit = this.#byKey.get(key);
    if (hit === undefined || hit.profile !== profile || hit.autoscaler !== cfg.autoscaler || hit.deployment !== cfg.deployment
      || hit.defaults !== cfg.defaults || hit.network !== cfg.network) return undefined;
    return sameValue(hit.revision, readParts(rev)) ? hit.hash : undefined;
  }

  /** Remembers `hash`, computed now from `rev`, `cfg` and `profile`. */
  remember(key: string, rev: KubeObject, cfg: RevisionConfigs, profile: KnativeProfile, hash: string | undefined): void {
    this.#byKey.set(key, {
      revision: copyValue(readParts(rev)),
      autoscaler: cfg.autoscaler, deployment: cfg.deployment, defaults: cfg.defaults, network: cfg.network, profile, hash,
    });
  }

  forget(key: string): void {
    this.#byKey.delete(key);
  }
}
