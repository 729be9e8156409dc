// The scheduler's filter and score plugins that the simulation needs, in the default profile's order
// (k8s.io/kubernetes pkg/scheduler/framework/plugins):
// - NodeUnschedulable (nodeunschedulable/node_unschedulable.go): spec.unschedulable, unless the pod
//   tolerates node.kubernetes.io/unschedulable:NoSchedule;
// - TaintToleration (tainttoleration/taint_toleration.go): NoSchedule and NoExecute taints the pod
//   does not tolerate. A node whose Ready condition is False or Unknown is treated as carrying the
//   not-ready / unreachable NoSchedule taint, as the node lifecycle controller's
//   doNoScheduleTaintingPass would add (upstream has no separate "node Ready" filter);
// - NodeAffinity (nodeaffinity/node_affinity.go): nodeSelector and required node affinity
//   (matchExpressions In, NotIn, Exists, DoesNotExist, Gt, Lt over labels; matchFields on
//   metadata.name);
// - NodeResourcesFit (noderesources/fit.go): pod count, cpu and memory requests of the pods bound to
//   the node against status.allocatable;
// - score: NodeResourcesFit's LeastAllocated strategy (cpu and memory, weight 1 each, with the
//   non-zero defaults of 100m and 200Mi for requests left unset: schedutil.GetNonzeroRequests).
// A node is rejected by the first plugin that fails, with that plugin's reasons (RunFilterPlugins).
// FitError.Error (framework/types.go) builds the "0/N nodes are available: ..." message.

import type { KubeObject } from '../apiserver/types.js';
import { podCondition } from './pod-status.js';
import { intValue, milliValue } from './resource-quantity.js';
import { findUntoleratedTaint, nodeTaints, podTolerations, TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE, type Taint } from './taints.js';

export interface Resources {
  milliCpu: number;
  memory: number;
}

export interface NodeSnapshot {
  node: KubeObject;
  allocatable: Resources & { pods: number };
  /** Sum of the requests of the pods on the node (assumed ones included), and their count. */
  requested: Resources & { pods: number };
  /** The same with the non-zero defaults, for scoring. */
  nonZeroRequested: Resources;
}

export type FilterCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterStatus {
  code: FilterCode;
  reasons: string[];
}

const DEFAULT_MILLI_CPU_REQUEST = 100;
const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

function containerRequest(c: Record<string, any>, resource: string, parse: (q: string | number) => number): number {
  const q = c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource];
  return q === undefined ? 0 : parse(q);
}

/** The pod's requests: its containers' sum, at least any init container's, plus overhead (resource helpers PodRequests). */
export function podRequests(pod: KubeObject, options: { nonZero?: boolean } = {}): Resources {
  const total = { milliCpu: 0, memory: 0 };
  for (const c of (pod.spec?.containers ?? []) as Record<string, any>[]) {
    const cpu = containerRequest(c, 'cpu', milliValue);
    const memory = containerRequest(c, 'memory', intValue);
    total.milliCpu += options.nonZero && cpu === 0 ? DEFAULT_MILLI_CPU_REQUEST : cpu;
    total.memory += options.nonZero && memory === 0 ? DEFAULT_MEMORY_REQUEST : memory;
  }
  for (const c of (pod.spec?.initContainers ?? []) as Record<string, any>[]) {
    total.milliCpu = Math.max(total.milliCpu, containerRequest(c, 'cpu', milliValue));
    total.memory = Math.max(total.memory, containerRequest(c, 'memory', intValue));
  }
  const overhead = pod.spec?.overhead as Record<string, string> | undefined;
  if (overhead?.cpu) total.milliCpu += milliValue(overhead.cpu);
  if (overhead?.memory) total.memory += intValue(overhead.memory);
  return total;
}

export function allocatableOf(node: KubeObject): Resources & { pods: number } {
  const a = (node.status?.allocatable ?? node.status?.capacity ?? {}) as Record<string, string>;
  return { milliCpu: a.cpu ? milliValue(a.cpu) : 0, memory: a.memory ? intValue(a.memory) : 0, pods: a.pods ? intValue(a.pods) : 0 };
}

/** Spec taints plus the NoSchedule taint the node's Ready condition implies. */
export function effectiveTaints(node: KubeObject): Taint[] {
  const taints = [...nodeTaints(node)];
  const ready = podCondition(node, 'Ready')?.status;
  const implied = ready === 'False' ? TAINT_NOT_READY : ready === 'Unknown' ? TAINT_UNREACHABLE : undefined;
  if (implied && !taints.some((t) => t.key === implied && t.effect === 'NoSchedule')) taints.push({ key: implied, effect: 'NoSchedule' });
  return taints;
}

function matchesExpression(labels: Record<string, string>, e: { key: string; operator: string; values?: string[] }): boolean {
  const value = labels[e.key];
  const values = e.values ?? [];
  switch (e.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': return value !== undefined && /^-?\d+$/.test(value) && Number(value) > Number(values[0]);
    case 'Lt': return value !== undefined && /^-?\d+$/.test(value) && Number(value) < Number(values[0]);
    default: return false;
  }
}

/** One nodeSelectorTerm: its expressions and fields all hold; a term with neither matches nothing. */
function matchesTerm(node: KubeObject, term: Record<string, any>): boolean {
  const expressions = (term.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[];
  const fields = (term.matchFields ?? []) as { key: string; operator: string; values?: string[] }[];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return expressions.every((e) => matchesExpression(labels, e)) && fields.every((f) => matchesExpression({ 'metadata.name': node.metadata.name ?? '' }, f));
}

/** nodeSelector (every label equal) and requiredDuringSchedulingIgnoredDuringExecution (terms ORed). */
export function matchesNodeAffinity(pod: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const selector = (pod.spec?.nodeSelector ?? {}) as Record<string, string>;
  if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return ((required.nodeSelectorTerms ?? []) as Record<string, any>[]).some((term) => matchesTerm(node, term));
}

function fitsResources(pod: KubeObject, snapshot: NodeSnapshot): string[] {
  const reasons: string[] = [];
  const req = podRequests(pod);
  const { allocatable: a, requested: r } = snapshot;
  if (r.pods + 1 > a.pods) reasons.push('Too many pods');
  if (req.milliCpu > 0 && req.milliCpu > a.milliCpu - r.milliCpu) reasons.push('Insufficient cpu');
  if (req.memory > 0 && req.memory > a.memory - r.memory) reasons.push('Insufficient memory');
  return reasons;
}

/** Runs the filters in order; undefined when the node fits. */
export function filterNode(pod: KubeObject, snapshot: NodeSnapshot): FilterStatus | undefined {
  const node = snapshot.node;
  const tolerations = podTolerations(pod);
  const cordon: Taint = { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' };
  if (node.spec?.unschedulable && findUntoleratedTaint([cordon], tolerations, ['NoSchedule'])) {
    return { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] };
  }
  const taint = findUntoleratedTaint(effectiveTaints(node), tolerations, ['NoSchedule', 'NoExecute']);
  if (taint) return { code: 'UnschedulableAndUnresolvable', reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`] };
  if (!matchesNodeAffinity(pod, node)) return { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"] };
  const reasons = fitsResources(pod, snapshot);
  return reasons.length > 0 ? { code: 'Unschedulable', reasons } : undefined;
}

/** LeastAllocated: mean over cpu and memory of (allocatable − requested) × 100 / allocatable, in integers. */
export function leastAllocatedScore(pod: KubeObject, snapshot: NodeSnapshot): number {
  const req = podRequests(pod, { nonZero: true });
  const score = (requested: number, capacity: number): number => (capacity === 0 || requested > capacity ? 0 : Math.floor(((capacity - requested) * 100) / capacity));
  const cpu = score(snapshot.nonZeroRequested.milliCpu + req.milliCpu, snapshot.allocatable.milliCpu);
  const memory = score(snapshot.nonZeroRequested.memory + req.memory, snapshot.allocatable.memory);
  return Math.floor((cpu + memory) / 2);
}

function histogram(counts: Map<string, number>): string {
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort().join(', ');
}

/** FitError.Error: "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod." */
export function fitErrorMessage(numNodes: number, statuses: readonly FilterStatus[]): string {
  if (numNodes === 0) return 'no nodes available to schedule pods';
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  for (const s of statuses) {
    for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const p = s.code === 'Unschedulable' ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling';
    preemption.set(p, (preemption.get(p) ?? 0) + 1);
  }
  return `0/${numNodes} nodes are available: ${histogram(reasons)}. preemption: 0/${numNodes} nodes are available: ${histogram(preemption)}.`;
}
