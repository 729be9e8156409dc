// How long the revision reconciler takes to resolve a new Revision's image tags to digests, and
// where it waits for that.
//
// Upstream: before #9354 (1f7cf2e022, serving v0.18) reconcileDigest (knative/serving
// pkg/reconciler/revision/revision.go at v0.16.0) asked the registry synchronously, inside the
// reconcile, on one of the controller's worker threads (knative/pkg DefaultThreadsPerController = 2):
// a k8schain keychain built from the Revision's service account and pull secrets, then a token
// request and a manifest HEAD per container (in parallel, an errgroup). While it waits, that worker
// reconciles nothing else, so a burst of new Revisions delays every other Revision key in the queue.
// Since #9354 a background resolver does the registry work and re-enqueues the Revision when done;
// the model resolves those digests at once (its latency delays only that Revision's own rollout).
//
// The registry round trip is not in any upstream table: `REGISTRY_RESOLVE_DELAY` is our assumption
// for a public registry (Docker Hub: an auth token, then the manifest) reached from a cloud cluster,
// 0.5 s to 2.5 s, drawn uniformly per Revision through the chooser.

import type { KubeObject } from '../../apiserver/types.js';
import type { ChoiceSource } from '../../sim/chooser.js';
import { sleep, type Proc } from '../../sim/process.js';
import type { KnativeProfile } from '../versions.js';

export const REGISTRY_RESOLVE_DELAY = Object.freeze({ minMs: 500, maxMs: 2_500 });

type Container = { name?: string; image?: string };

function containersOf(rev: KubeObject): { containers: Container[]; init: Container[] } {
  return { containers: rev.spec?.containers ?? [], init: rev.spec?.initContainers ?? [] };
}

/** Whether the Revision's digests are still to be resolved (status has fewer entries than spec). */
export function needsDigests(rev: KubeObject): boolean {
  const { containers, init } = containersOf(rev);
  return (rev.status.containerStatuses?.length ?? 0) + (rev.status.initContainerStatuses?.length ?? 0) !== containers.length + init.length;
}

/**
 * reconcileDigest. The digest of an image is modelled as the image itself. Releases before #9354
 * wait for the registry on the reconciling worker; later ones get the answer from the background
 * resolver, modelled as immediate.
 */
export function* reconcileDigest(rev: KubeObject, options: { profile: KnativeProfile; delays: ChoiceSource }): Proc<void> {
  if (!needsDigests(rev)) return;
  if (!options.profile.has('pr-9354')) yield* sleep(options.delays.between(REGISTRY_RESOLVE_DELAY.minMs, REGISTRY_RESOLVE_DELAY.maxMs));
  const { containers, init } = containersOf(rev);
  rev.status.containerStatuses = containers.map((c) => ({ name: c.name, imageDigest: c.image }));
  if (init.length > 0) rev.status.initContainerStatuses = init.map((c) => ({ name: c.name, imageDigest: c.image }));
}
