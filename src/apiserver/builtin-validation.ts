// The essentials of built-in kind validation, with upstream's field paths and messages:
// k8s.io/kubernetes pkg/apis/apps/validation/validation.go (ValidateDeploymentSpec,
// ValidateReplicaSetSpec, ValidatePodTemplateSpecForReplicaSet), the selector immutability in
// pkg/registry/apps/{deployment,replicaset}/strategy.go ValidateUpdate, and the container checks
// of pkg/apis/core/validation/validation.go (validateContainers). Everything else a real server
// checks is left out on purpose: the simulated controllers write well-formed objects.
import { deepEqual } from './deep-copy.js';
import { fieldError } from './field-error.js';
import { LabelSelector } from './label-selector.js';
import { dns1123LabelErrors } from './name-validation.js';
import type { KubeObject, StatusCause } from './types.js';

function validateContainers(containers: unknown, path: string): StatusCause[] {
  if (!Array.isArray(containers) || containers.length === 0) return [fieldError.required(path)];
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  containers.forEach((raw: unknown, index) => {
    const container = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const at = `${path}[${index}]`;
    const name = container.name;
    if (typeof name !== 'string' || name === '') {
      causes.push(fieldError.required(`${at}.name`));
    } else {
      for (const msg of dns1123LabelErrors(name)) causes.push(fieldError.invalid(`${at}.name`, name, msg));
      if (seen.has(name)) causes.push(fieldError.duplicate(`${at}.name`, name));
      seen.add(name);
    }
    if (typeof container.image !== 'string' || container.image.trim() === '') causes.push(fieldError.required(`${at}.image`));
  });
  return causes;
}

/** A pod spec needs at least one container, each with a name and an image. */
export function validatePodSpec(spec: unknown, path: string): StatusCause[] {
  const podSpec = (typeof spec === 'object' && spec !== null ? spec : {}) as Record<string, unknown>;
  return validateContainers(podSpec.containers, `${path}.containers`);
}

export function validatePod(obj: KubeObject): StatusCause[] {
  return validatePodSpec(obj.spec, 'spec');
}

function parseSelector(selector: unknown): LabelSelector | undefined {
  try {
    return LabelSelector.fromLabelSelector(selector as Parameters<typeof LabelSelector.fromLabelSelector>[0]);
  } catch {
    return undefined;
  }
}

function validateSelectorAndTemplate(spec: Record<string, any>): StatusCause[] {
  const selector = spec.selector as Record<string, unknown> | undefined | null;
  if (selector === undefined || selector === null) return [fieldError.required('spec.selector')];
  const causes: StatusCause[] = [];
  const terms = Object.keys(selector.matchLabels ?? {}).length + ((selector.matchExpressions as unknown[] | undefined) ?? []).length;
  // Upstream says "deployment" for ReplicaSets too (ValidateReplicaSetSpec shares the wording).
  if (terms === 0) causes.push(fieldError.invalid('spec.selector', selector, 'empty selector is invalid for deployment'));
  const parsed = parseSelector(selector);
  if (!parsed) return [...causes, fieldError.invalid('spec.selector', selector, 'invalid label selector')];
  const labels = (spec.template?.metadata?.labels ?? {}) as Record<string, string>;
  if (terms > 0 && !parsed.matches(labels)) {
    causes.push(fieldError.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  return causes;
}

/** Deployment and ReplicaSet: replicas, selector, template; on update the selector is immutable. */
export function validateWorkload(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const spec = (obj.spec ?? {}) as Record<string, any>;
  const causes: StatusCause[] = [];
  const replicas = spec.replicas as unknown;
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
    causes.push(fieldError.invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
  }
  causes.push(...validateSelectorAndTemplate(spec));
  causes.push(...validatePodSpec(spec.template?.spec, 'spec.template.spec'));
  if (old && !deepEqual(spec.selector, (old.spec as Record<string, unknown> | undefined)?.selector)) {
    causes.push(fieldError.immutable('spec.selector', spec.selector));
  }
  return causes;
}
