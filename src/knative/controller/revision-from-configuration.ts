// MakeRevision (knative/serving pkg/reconciler/configuration/resources/revision.go): a Revision
// from the Configuration's template, named `<config>-<5-digit generation>` unless the template
// names it, in routing state `pending` (the labeler has not looked at it yet) or `active` when the
// Configuration already lists routes (since #8914, v0.17: before it a new Revision waited for the
// labeler), labelled with its configuration, service, generation and
// uids, given the creator annotation from the Configuration's lastModifier, and controlled by
// the Configuration.

import { deepCopy } from '../../apiserver/deep-copy.js';
import type { KubeObject } from '../../apiserver/types.js';
import { formatSimTime } from '../../sim/time-format.js';
import { ANNOTATIONS, LABELS, type RoutingState } from '../apis/serving-labels.js';
import { childName } from './child-name.js';
import { controllerRef } from './owner-refs.js';
import type { KnativeProfile } from '../versions.js';

/** RevisionLabelValueForKey. */
export function revisionLabelValue(key: string, config: KubeObject): string {
  switch (key) {
    case LABELS.configuration: return config.metadata.name ?? '';
    case LABELS.service: return config.metadata.labels?.[LABELS.service] ?? '';
    case LABELS.configurationGeneration: return String(config.metadata.generation ?? 0);
    case LABELS.configurationUID: return config.metadata.uid ?? '';
    case LABELS.serviceUID: return config.metadata.labels?.[LABELS.serviceUID] ?? '';
    default: return '';
  }
}

const REVISION_LABEL_KEYS = [LABELS.configuration, LABELS.service, LABELS.configurationGeneration, LABELS.configurationUID, LABELS.serviceUID];

/** Revision.SetRoutingState: the label, and the modified time when the state changes. */
export function setRoutingState(rev: KubeObject, state: RoutingState, nowMs: number): void {
  const labels = (rev.metadata.labels ??= {});
  const annotations = (rev.metadata.annotations ??= {});
  if (annotations[ANNOTATIONS.routingStateModified] && labels[LABELS.routingState] === state) return;
  labels[LABELS.routingState] = state;
  annotations[ANNOTATIONS.routingStateModified] = formatSimTime(nowMs);
}

export function makeRevision(config: KubeObject, options: { nowMs: number; profile: KnativeProfile }): KubeObject {
  const { nowMs } = options;
  const template = config.spec?.template ?? {};
  const rev: KubeObject = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: deepCopy(template.metadata ?? {}),
    spec: deepCopy(template.spec ?? {}),
  };
  rev.metadata.namespace = config.metadata.namespace;
  if (!rev.metadata.name) rev.metadata.name = childName(config.metadata.name!, `-${String(config.metadata.generation ?? 0).padStart(5, '0')}`);
  setRoutingState(rev, 'pending', nowMs);
  const labels = (rev.metadata.labels ??= {});
  for (const key of REVISION_LABEL_KEYS) {
    const value = revisionLabelValue(key, config);
    if (value !== '') labels[key] = value;
  }
  const annotations = (rev.metadata.annotations ??= {});
  const configAnnotations = config.metadata.annotations ?? {};
  if (configAnnotations[ANNOTATIONS.lastModifier] !== undefined) annotations[ANNOTATIONS.creator] = configAnnotations[ANNOTATIONS.lastModifier];
  // knative/serving pkg/reconciler/configuration/resources/revision.go, #8914 (695b519ba1).
  if (options.profile.has('pr-8914') && configAnnotations[ANNOTATIONS.routes] !== undefined) {
    annotations[ANNOTATIONS.routes] = configAnnotations[ANNOTATIONS.routes];
    setRoutingState(rev, 'active', nowMs);
  }
  rev.metadata.ownerReferences = [...(rev.metadata.ownerReferences ?? []), controllerRef(config)];
  return rev;
}
