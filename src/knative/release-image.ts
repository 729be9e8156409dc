// The images a Knative Serving release ships, and the release an image belongs to. A release's
// manifests (knative/serving config/core/deployments/*.yaml, config/core/configmaps/deployment.yaml)
// name every component's image under gcr.io/knative-releases/knative.dev/serving/cmd/<component>,
// pinned to that release; the simulation pins by tag (`:v1.20`, `:v0.16`). A process learns which
// release it runs from the image its container was started from, so after an upgrade old and new
// pods run side by side, each with its own release's behaviour.

import { parseRelease, UnknownReleaseError, type Release } from './versions.js';

const REPOSITORY = 'gcr.io/knative-releases/knative.dev/serving/cmd';

/** The image of `component` (controller, autoscaler, activator, queue, ...) in `release`. */
export function releaseImage(component: string, release: Release): string {
  return `${REPOSITORY}/${component}:v${release.name}`;
}

/** The release a Knative release image's tag names (`...:v1.20` → 1.20); undefined for any other image or tag. */
export function releaseOfImage(image: string): Release | undefined {
  if (!image.startsWith(`${REPOSITORY}/`)) return undefined;
  const colon = image.lastIndexOf(':');
  if (colon < REPOSITORY.length) return undefined;
  try {
    return parseRelease(image.slice(colon + 1));
  } catch (e) {
    if (e instanceof UnknownReleaseError) return undefined;
    throw e;
  }
}
