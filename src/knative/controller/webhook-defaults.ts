// The defaults Knative's webhook applies (knative/serving pkg/apis/serving/v1/revision_defaults.go,
// configuration_defaults.go, route_defaults.go, service_defaults.go). There is no webhook in the
// simulation: the reconcilers apply these to their in-memory copy before reconciling, as
// PreProcessReconcile's SetDefaults does upstream, so whatever they copy into a child (a Service's
// template into its Configuration, a Configuration's into its Revision) carries them:
// - timeoutSeconds (unset or 0) from revision-timeout-seconds (300); responseStart/idle timeouts
//   only when their default is non-zero and below the timeout; containerConcurrency from
//   container-concurrency (0);
// - unnamed containers named from container-name-template (user-container; -0, -1 suffixes when
//   several or clashing);
// - the serving container's readiness probe: a TCP probe when it has none, successThreshold 1,
//   failureThreshold 3 and timeoutSeconds 1 when periodSeconds is set; resource defaults from
//   config-defaults;
// - traffic targets: latestRevision = (no revisionName), percent 0 when unset; a Service's empty
//   traffic becomes 100% to the latest revision.
// Left out: user-info annotations, the secure-pod-defaults security context, volume mount
// read-only defaults, and enableServiceLinks (set at create only; the Deployment sets it anyway).

import { childName } from './child-name.js';
import { containerNameFromTemplate, type DefaultsConfig } from './defaults-config.js';

type Json = Record<string, any>;

function applyDefaultContainerNames(containers: Json[], taken: Set<string>, defaultName: string): void {
  let nextSuffix = 0;
  for (const container of containers) {
    if (container.name) continue;
    let name = defaultName;
    if (containers.length > 1 || taken.has(name)) {
      do {
        name = childName(defaultName, `-${nextSuffix}`);
        nextSuffix++;
      } while (taken.has(name));
    }
    container.name = name;
  }
}

function defaultResources(container: Json, d: DefaultsConfig): void {
  const pairs: [string, string | null, string | null][] = [
    ['cpu', d.revisionCpuRequest, d.revisionCpuLimit],
    ['memory', d.revisionMemoryRequest, d.revisionMemoryLimit],
    ['ephemeral-storage', d.revisionEphemeralStorageRequest, d.revisionEphemeralStorageLimit],
  ];
  for (const [name, request, limit] of pairs) {
    if (request !== null && container.resources?.requests?.[name] === undefined) {
      ((container.resources ??= {}).requests ??= {})[name] = request;
    }
    if (limit !== null && container.resources?.limits?.[name] === undefined) {
      ((container.resources ??= {}).limits ??= {})[name] = limit;
    }
  }
}

function defaultProbes(container: Json, serving: boolean): void {
  if (serving) {
    const probe = (container.readinessProbe ??= {});
    if (!probe.tcpSocket && !probe.httpGet && !probe.exec && !probe.grpc) probe.tcpSocket = { port: 0 };
  }
  const probe = container.readinessProbe;
  if (probe) {
    if (!probe.successThreshold) probe.successThreshold = 1;
    if (probe.periodSeconds) {
      if (!probe.failureThreshold) probe.failureThreshold = 3;
      if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
    }
  }
  for (const which of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const grpc = container[which]?.grpc;
    if (grpc && grpc.service === undefined) grpc.service = '';
  }
}

function defaultTimeouts(spec: Json, d: DefaultsConfig): void {
  if (!spec.timeoutSeconds) spec.timeoutSeconds = d.revisionTimeoutSeconds;
  if (spec.idleTimeoutSeconds === undefined && d.revisionIdleTimeoutSeconds !== 0 && d.revisionIdleTimeoutSeconds < spec.timeoutSeconds) {
    spec.idleTimeoutSeconds = d.revisionIdleTimeoutSeconds;
  }
  if (spec.responseStartTimeoutSeconds === undefined && d.revisionResponseStartTimeoutSeconds !== 0
    && d.revisionResponseStartTimeoutSeconds < spec.timeoutSeconds) {
    spec.responseStartTimeoutSeconds = d.revisionResponseStartTimeoutSeconds;
  }
  if (spec.containerConcurrency === undefined) spec.containerConcurrency = d.containerConcurrency;
}

/** RevisionSpec.SetDefaults; `parentName` fills `{{.Name}}` in the container name templates. */
export function defaultRevisionSpec(spec: Json, d: DefaultsConfig, parentName: string): void {
  defaultTimeouts(spec, d);
  const containers: Json[] = (spec.containers ??= []);
  const initContainers: Json[] = spec.initContainers ?? [];
  const taken = new Set<string>([...containers, ...initContainers].map((c) => c.name).filter((n): n is string => !!n));
  applyDefaultContainerNames(containers, taken, containerNameFromTemplate(d.userContainerNameTemplate, parentName));
  applyDefaultContainerNames(initContainers, taken, containerNameFromTemplate(d.initContainerNameTemplate, parentName));
  for (const container of containers) {
    defaultResources(container, d);
    defaultProbes(container, containers.length === 1 || (container.ports?.length ?? 0) > 0);
  }
}

/** ConfigurationSpec.SetDefaults: the template's spec (a BYO-named template is defaulted too). */
export function defaultConfigurationSpec(spec: Json, d: DefaultsConfig, parentName: string): void {
  const template = (spec.template ??= {});
  defaultRevisionSpec((template.spec ??= {}), d, parentName);
}

/** RouteSpec.SetDefaults; `withDefaultConfiguration` is true inside a Service. */
export function defaultRouteSpec(spec: Json, options: { withDefaultConfiguration: boolean }): void {
  const traffic: Json[] = spec.traffic ?? [];
  if (traffic.length === 0 && options.withDefaultConfiguration) {
    spec.traffic = [{ percent: 100, latestRevision: true }];
    return;
  }
  for (const target of traffic) {
    if (target.latestRevision === undefined) target.latestRevision = !target.revisionName;
    if (target.percent === undefined) target.percent = 0;
  }
}

/** ServiceSpec.SetDefaults. */
export function defaultServiceSpec(spec: Json, d: DefaultsConfig, serviceName: string): void {
  defaultConfigurationSpec(spec, d, serviceName);
  defaultRouteSpec(spec, { withDefaultConfiguration: true });
}
