// `upgrade {to}`: a person upgrades Knative Serving by applying the other release's manifests
// (`kubectl apply -f serving-core.yaml`), writing as the `user` client. What changes between two
// releases' manifests in the simulation (src/knative/install/serving-manifests.ts) is exactly what
// the fault patches, in the file's order — ConfigMaps before Deployments:
// - config-deployment's queue-sidecar-image, the new release's queue-proxy image. Every running
//   controller (old and new) resyncs its revisions on that change and rewrites each revision
//   Deployment's queue-proxy container, so every revision rolls — with whatever rollout strategy
//   the writing controller's release puts on revision Deployments (knative/serving #11092: the
//   strategy before #11140 let a rollout take away a quarter of the ready pods);
// - the controller, autoscaler, activator and ingress-gateway Deployments: the version label and
//   the container image, i.e. a new pod template. Their Deployment controller rolls each out with its
//   own strategy (the default RollingUpdate, 25% surge / 25% unavailable), so for a while old and
//   new pods run side by side; each process runs the release its image names (system-pods.ts).
// Other user edits of these objects survive, as with kubectl apply's three-way merge (replicas,
// ConfigMap keys the release does not ship). The heal, when durationMs is given, applies the
// release that was installed when the fault fired, the same way (a downgrade).

import { UNDER_TEST } from '../../scenario/types.js';
import type { KubeObject } from '../../apiserver/types.js';
import { servingManifests } from '../../knative/install/serving-manifests.js';
import { releaseOfImage } from '../../knative/release-image.js';
import { KNATIVE_NAMESPACE } from '../../knative/serving-system.js';
import { parseRelease, UnknownReleaseError, type Release } from '../../knative/versions.js';
import { CONFIGMAPS, DEPLOYMENTS } from '../../kube/resources.js';
import type { FaultSpec } from '../../scenario/types.js';
import type { ActiveFault } from '../active-fault.js';
import { FaultSpecError } from '../fault-spec-error.js';
import type { FaultWorld } from '../fault-world.js';
import { UserSession, type UserStep } from '../targets/user-actions.js';

type UpgradeSpec = FaultSpec & { family: 'upgrade' };


const DEPLOYMENT_CONFIG = 'config-deployment';
const QUEUE_IMAGE_KEY = 'queue-sidecar-image';

/** The release the installation runs now: the one the controller Deployment's image names. */
function installedRelease(world: FaultWorld): Release {
  const controller = world.cluster.api.list(DEPLOYMENTS, { namespace: KNATIVE_NAMESPACE }).items.find((d: KubeObject) => d.metadata.name === 'controller');
  const image: unknown = controller?.spec?.template?.spec?.containers?.[0]?.image;
  return (typeof image === 'string' ? releaseOfImage(image) : undefined) ?? world.serving.system.profile.release;
}

/** The patches that take the installation to `release`, in the manifests' order. */
function applySteps(release: Release): UserStep[] {
  const manifests = servingManifests({ release, replicas: { controller: 1, autoscaler: 1, activator: 1, gateway: 1 }, config: {} });
  const steps: UserStep[] = [];
  for (const obj of manifests) {
    const name = obj.metadata.name!;
    if (obj.kind === 'ConfigMap' && name === DEPLOYMENT_CONFIG) {
      const patch = { data: { [QUEUE_IMAGE_KEY]: obj.data![QUEUE_IMAGE_KEY] } };
      steps.push({ what: `apply ConfigMap ${name} (${release.name})`, run: function* (client) {
        yield* client.patch(CONFIGMAPS, name, patch, { namespace: KNATIVE_NAMESPACE, patchType: 'merge' });
      } });
    }
    if (obj.kind === 'Deployment') {
      const template = obj.spec!.template;
      const patch = {
        metadata: { labels: obj.metadata.labels },
        spec: { template: {
          metadata: { labels: template.metadata.labels },
          spec: { containers: (template.spec.containers as { name: string; image: string }[]).map((c) => ({ name: c.name, image: c.image })) },
        } },
      };
      steps.push({ what: `apply Deployment ${name} (${release.name})`, run: function* (client) {
        yield* client.patch(DEPLOYMENTS, name, patch, { namespace: KNATIVE_NAMESPACE, patchType: 'strategic' });
      } });
    }
  }
  return steps;
}

export function createUpgrade(world: FaultWorld, spec: UpgradeSpec): ActiveFault {
  let to: Release;
  try {
    to = parseRelease(spec.to === UNDER_TEST ? world.releaseUnderTest ?? world.serving.system.profile.release.name : spec.to);
  } catch (e) {
    if (e instanceof UnknownReleaseError) throw new FaultSpecError(spec, 'to', e.message);
    throw e;
  }
  const user = new UserSession(world, spec.id);
  let from: Release | undefined;
  return {
    fire: () => {
      from = installedRelease(world);
      user.run(applySteps(to));
      return `user applies Knative Serving ${to.name} over ${from.name}: ${DEPLOYMENT_CONFIG} ${QUEUE_IMAGE_KEY}, then the controller, autoscaler, activator and ingress-gateway Deployments`;
    },
    heal: () => {
      if (from === undefined) return 'nothing to undo';
      user.run(applySteps(from));
      return `user applies Knative Serving ${from.name} again (downgrade from ${to.name})`;
    },
  };
}
