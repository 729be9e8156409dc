// A component's process dies (shared by the crash and kill-leader families).
//
// A Knative process is the main container of its pod: it exits with code 1 and the kubelet does the
// rest as it does upstream (pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions and
// doBackOff): it notices the exit at its next relist, restarts the container in the same pod (same
// name, IP and node, restartCount + 1), at once after a first exit and with CrashLoopBackOff's
// doubling delay after repeated ones; the process starts afresh, with empty caches and queues. A
// fault with durationMs holds it down: until healed, the container crashes again as soon as it
// starts (as a process that fails at start-up does), so the kubelet's back-off keeps it down; after
// the heal the next restart the back-off allows stays up — down time is therefore durationMs
// rounded up to that restart, as on a real cluster.
//
// The Kubernetes components are processes without a pod here. The kubelet runs under systemd,
// which restarts it 10 s after it exits (RestartSec=10 in the kubelet.service unit kubeadm installs,
// kubernetes/release cmd/kubepkg/templates/latest/deb/kubelet/lib/systemd/system/kubelet.service); kube-controller-manager
// and kube-scheduler are static pods, restarted by their node's kubelet, the first time at once
// after it notices the exit (its PLEG relists every 1 s: pkg/kubelet/kubelet.go plegRelistPeriod).
// With durationMs they stay down until healed.

import type { Component } from '../../client/component.js';
import { crashLoopBehaviour } from '../../kube/pod-faults.js';
import type { FaultWorld } from '../fault-world.js';
import type { SystemPod } from './component-target.js';

/** systemd's RestartSec for the kubelet unit. */
export const KUBELET_RESTART_MS = 10_000;
/** The static-pod restart of kube-controller-manager and kube-scheduler: one PLEG relist. */
export const STATIC_POD_RESTART_MS = 1_000;

export interface ProcessCrash {
  /** What happened, in words. */
  detail: string;
  /** Ends the hold-down (durationMs faults); says what follows. */
  heal(): string;
}

/** The main container of a Knative system pod exits with code 1. */
export function crashSystemPod(world: FaultWorld, app: string, pod: SystemPod, options: { holdDown: boolean }): ProcessCrash {
  const incarnation = world.cluster.component(pod.process).incarnation;
  const release = options.holdDown
    ? world.kube.runtime.register(crashLoopBehaviour({ uid: pod.uid, container: app }, { crashAfterMs: 0, exitCode: 1 }), { first: true })
    : undefined;
  world.kube.runtime.exitContainer(pod.uid, app, { exitCode: 1 });
  const where = `${app} pod ${pod.name} on ${pod.nodeName} (incarnation ${incarnation})`;
  return {
    detail: options.holdDown
      ? `crashed ${where}; it crashes again at every start until healed (CrashLoopBackOff)`
      : `crashed ${where}; the kubelet restarts its container`,
    heal: () => {
      release?.();
      return `${app} pod ${pod.name} may start again (at the kubelet's next back-off restart)`;
    },
  };
}

/** A Kubernetes component's process dies; it restarts as its supervisor restarts it, or at heal. */
export function crashKubeComponent(component: Component, options: { holdDown: boolean }): ProcessCrash {
  const incarnation = component.incarnation;
  const restartAfterMs = component.name.startsWith('kubelet/') ? KUBELET_RESTART_MS : STATIC_POD_RESTART_MS;
  const supervisor = component.name.startsWith('kubelet/') ? 'systemd' : 'the kubelet';
  component.crash(options.holdDown ? {} : { restartAfterMs });
  return {
    detail: options.holdDown
      ? `crashed ${component.name} (incarnation ${incarnation}); it stays down until healed`
      : `crashed ${component.name} (incarnation ${incarnation}); ${supervisor} restarts it after ${restartAfterMs / 1000} s`,
    heal: () => {
      component.start();
      return `restarted ${component.name} (incarnation ${component.incarnation})`;
    },
  };
}
