// One node's machine: what containerd, the CNI plugin and the processes hold, as opposed to what
// the kubelet remembers. Sandboxes with their pod IPs, containers (created, running, exited), the
// image cache. It outlives a kubelet restart (containers keep running while the kubelet is down, and
// a restarted kubelet adopts them), and dies with a node loss (powerOff: every container and
// sandbox is gone; images on disk stay).
//
// The kubelet drives it (runSandbox, createContainer, startContainer, signalTerm, kill,
// removeSandbox) and hears from it through one listener: a container that exited by itself, a
// preStop hook that finished. Process behaviour comes from the PodRuntime's hooks.

import type { KubeObject } from '../apiserver/types.js';
import type { Simulation, Timer } from '../sim/simulation.js';
import { PodIpAllocator } from './pod-ip-allocator.js';
import type { ContainerRef, PodRuntime, ProbeKind, ProbeOutcome } from './pod-runtime.js';

export interface MachineContainer {
  readonly name: string;
  /** `containerd://<64 hex>`, a function of node, pod uid, container name and attempt. */
  readonly id: string;
  readonly attempt: number;
  readonly image: string;
  readonly spec: Readonly<Record<string, any>>;
  state: 'created' | 'running' | 'exited';
  readonly createdAtMs: number;
  startedAtMs?: number;
  /** When the app answers probes (by default). */
  appReadyAtMs?: number;
  /** When SIGTERM was delivered. */
  termAtMs?: number;
  finishedAtMs?: number;
  exitCode?: number;
  /** Completed, Error, OOMKilled. */
  reason?: string;
  timer?: Timer;
}

export interface PodSandbox {
  readonly podUid: string;
  /** `namespace/name`. */
  readonly podKey: string;
  readonly nodeName: string;
  /** The pod as the kubelet last saw it. */
  pod: KubeObject;
  readonly ip: string;
  readonly createdAtMs: number;
  /** The current container of each name (an exited one stays until the next attempt replaces it). */
  readonly containers: Map<string, MachineContainer>;
  /** onPodRunning has been called for this sandbox. */
  announcedRunning: boolean;
}

export type MachineEvent =
  | { type: 'container-exited'; podUid: string; name: string }
  | { type: 'prestop-done'; podUid: string; name: string };

export interface NodeMachineDeps {
  sim: Simulation;
  runtime: PodRuntime;
  nodeName: string;
  subnetIndex: number;
}

/** A deterministic hex digest of `text` (two FNV-1a style lanes, stretched): fake sha256 values. */
export function hexDigest(text: string, length = 64): string {
  let out = '';
  for (let lane = 0; out.length < length; lane++) {
    let h = (0x811c9dc5 ^ Math.imul(lane + 1, 0x9e3779b1)) >>> 0;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/** An image reference as containerd reports it: `nginx` → `docker.io/library/nginx:latest`. */
export function normalizeImage(image: string): string {
  let name = image;
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  if (!hasRegistry) name = `docker.io/${slash < 0 ? 'library/' : ''}${name}`;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  if (!name.includes('@') && !lastSegment.includes(':')) name += ':latest';
  return name;
}

/** The image's digest reference (status imageID). */
export function imageIdOf(image: string): string {
  const normalized = normalizeImage(image);
  const repo = normalized.includes('@') ? normalized.slice(0, normalized.indexOf('@')) : normalized.slice(0, normalized.lastIndexOf(':'));
  return normalized.includes('@') ? normalized : `${repo}@sha256:${hexDigest(normalized)}`;
}

/** Exit reason as the runtime reports it. */
export function exitReason(exitCode: number, oom = false): string {
  if (oom) return 'OOMKilled';
  return exitCode === 0 ? 'Completed' : 'Error';
}

export class NodeMachine {
  readonly nodeName: string;
  readonly ips: PodIpAllocator;
  readonly #sim: Simulation;
  readonly #runtime: PodRuntime;
  readonly #sandboxes = new Map<string, PodSandbox>();
  readonly #images = new Set<string>();
  #listener: ((ev: MachineEvent) => void) | undefined;
  #up = true;

  constructor(deps: NodeMachineDeps) {
    this.#sim = deps.sim;
    this.#runtime = deps.runtime;
    this.nodeName = deps.nodeName;
    this.ips = new PodIpAllocator({ subnetIndex: deps.subnetIndex });
  }

  get up(): boolean {
    return this.#up;
  }

  /** The kubelet incarnation listening (undefined while the kubelet is down). */
  setListener(fn: ((ev: MachineEvent) => void) | undefined): void {
    this.#listener = fn;
  }

  sandbox(podUid: string): PodSandbox | undefined {
    return this.#sandboxes.get(podUid);
  }

  sandboxes(): PodSandbox[] {
    return [...this.#sandboxes.values()];
  }

  sandboxByIp(ip: string): PodSandbox | undefined {
    for (const s of this.#sandboxes.values()) if (s.ip === ip) return s;
    return undefined;
  }

  hasImage(image: string): boolean {
    return this.#images.has(normalizeImage(image));
  }

  addImage(image: string): void {
    this.#images.add(normalizeImage(image));
  }

  images(): string[] {
    return [...this.#images].sort();
  }

  ref(sandbox: PodSandbox, c: MachineContainer): ContainerRef {
    return { name: c.name, image: c.image, spec: c.spec, restartCount: c.attempt, startedAtMs: c.startedAtMs, nodeName: this.nodeName };
  }

  runSandbox(pod: KubeObject): PodSandbox {
    const uid = pod.metadata.uid!;
    const existing = this.#sandboxes.get(uid);
    if (existing) return existing;
    const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const ip = this.ips.allocate(podKey);
    const sandbox: PodSandbox = { podUid: uid, podKey, nodeName: this.nodeName, pod, ip, createdAtMs: this.#sim.nowMs, containers: new Map(), announcedRunning: false };
    this.#sandboxes.set(uid, sandbox);
    this.#sim.record('sandbox', { node: this.nodeName, pod: podKey, event: 'created', ip });
    return sandbox;
  }

  createContainer(podUid: string, spec: Readonly<Record<string, any>>, attempt: number): MachineContainer {
    const sandbox = this.#require(podUid);
    const name = String(spec.name);
    const previous = sandbox.containers.get(name);
    if (previous?.state === 'running') throw new Error(`container ${name} of ${sandbox.podKey} is still running`);
    this.#sim.cancel(previous?.timer);
    const id = `containerd://${hexDigest(`${this.nodeName}/${podUid}/${name}/${attempt}`)}`;
    const c: MachineContainer = { name, id, attempt, image: String(spec.image), spec, state: 'created', createdAtMs: this.#sim.nowMs };
    sandbox.containers.set(name, c);
    return c;
  }

  startContainer(podUid: string, name: string): MachineContainer {
    const sandbox = this.#require(podUid);
    const c = sandbox.containers.get(name);
    if (c?.state !== 'created') throw new Error(`container ${name} of ${sandbox.podKey} is not created`);
    const now = this.#sim.nowMs;
    c.state = 'running';
    c.startedAtMs = now;
    const ref = this.ref(sandbox, c);
    c.appReadyAtMs = now + this.#runtime.appStartMs(this.#sim, sandbox.pod, ref);
    const exitAfterMs = this.#runtime.exitAfterMs(sandbox.pod, ref);
    if (exitAfterMs !== undefined && Number.isFinite(exitAfterMs)) {
      c.timer = this.#sim.schedule(Math.max(0, Math.round(exitAfterMs)), () => {
        this.exit(podUid, name, { exitCode: this.#runtime.exitCode(sandbox.pod, this.ref(sandbox, c), 'crash') });
      }, 'container-crash');
    }
    this.#sim.record('container', { node: this.nodeName, pod: sandbox.podKey, c: name, event: 'started', attempt: c.attempt });
    this.#runtime.notify('onContainerStarted', sandbox.pod, ref, now);
    this.#announceRunning(sandbox);
    return c;
  }

  #announceRunning(sandbox: PodSandbox): void {
    if (sandbox.announcedRunning) return;
    const specs = (sandbox.pod.spec?.containers ?? []) as { name: string }[];
    if (!specs.every((s) => sandbox.containers.get(s.name)?.state === 'running')) return;
    sandbox.announcedRunning = true;
    this.#runtime.notify('onPodRunning', sandbox.pod, this.#sim.nowMs);
  }

  /** SIGTERM: the process exits after the behaviour's shutdown time (Infinity: when the model says). */
  signalTerm(podUid: string, name: string): void {
    const sandbox = this.#require(podUid);
    const c = sandbox.containers.get(name);
    if (c?.state !== 'running' || c.termAtMs !== undefined) return;
    c.termAtMs = this.#sim.nowMs;
    const ref = this.ref(sandbox, c);
    this.#sim.record('container', { node: this.nodeName, pod: sandbox.podKey, c: name, event: 'sigterm' });
    this.#runtime.notify('onContainerStopping', sandbox.pod, ref, this.#sim.nowMs);
    if (c.state !== 'running') return;
    const shutdownMs = this.#runtime.shutdownMs(this.#sim, sandbox.pod, ref);
    if (!Number.isFinite(shutdownMs)) return;
    this.#sim.cancel(c.timer);
    c.timer = this.#sim.schedule(Math.max(0, Math.round(shutdownMs)), () => {
      this.exit(podUid, name, { exitCode: this.#runtime.exitCode(sandbox.pod, ref, 'sigterm') });
    }, 'container-shutdown');
  }

  /** SIGKILL: exit code 137 at once. */
  kill(podUid: string, name: string): void {
    this.exit(podUid, name, { exitCode: 137, signal: 'SIGKILL' });
  }

  /** The process ends. Returns false when it was not running. */
  exit(podUid: string, name: string, exit: { exitCode?: number; reason?: string; signal?: string }): boolean {
    const sandbox = this.#sandboxes.get(podUid);
    const c = sandbox?.containers.get(name);
    if (!sandbox || c?.state !== 'running') return false;
    this.#sim.cancel(c.timer);
    c.timer = undefined;
    c.state = 'exited';
    c.finishedAtMs = this.#sim.nowMs;
    c.exitCode = exit.exitCode ?? 1;
    c.reason = exit.reason ?? exitReason(c.exitCode);
    this.#sim.record('container', { node: this.nodeName, pod: sandbox.podKey, c: name, event: 'exited', code: c.exitCode, reason: c.reason, signal: exit.signal });
    this.#runtime.notify('onContainerStopped', sandbox.pod, this.ref(sandbox, c), { exitCode: c.exitCode, reason: c.reason }, this.#sim.nowMs);
    this.#listener?.({ type: 'container-exited', podUid, name });
    return true;
  }

  finishPreStop(podUid: string, name: string): void {
    this.#listener?.({ type: 'prestop-done', podUid, name });
  }

  /** The outcome of one probe: the behaviour's, else success once the app answers. */
  probe(podUid: string, name: string, kind: ProbeKind): ProbeOutcome {
    const sandbox = this.#sandboxes.get(podUid);
    const c = sandbox?.containers.get(name);
    if (!sandbox || c?.state !== 'running') return 'failure';
    const now = this.#sim.nowMs;
    return this.#runtime.probe(sandbox.pod, this.ref(sandbox, c), kind, now) ?? (now >= (c.appReadyAtMs ?? Infinity) ? 'success' : 'failure');
  }

  /** StopPodSandbox + RemovePodSandbox: kills what still runs, releases the IP. */
  removeSandbox(podUid: string): void {
    const sandbox = this.#sandboxes.get(podUid);
    if (!sandbox) return;
    for (const c of sandbox.containers.values()) if (c.state === 'running') this.kill(podUid, c.name);
    for (const c of sandbox.containers.values()) this.#sim.cancel(c.timer);
    this.#sandboxes.delete(podUid);
    this.ips.release(sandbox.ip);
    this.#sim.record('sandbox', { node: this.nodeName, pod: sandbox.podKey, event: 'removed', ip: sandbox.ip });
    this.#runtime.notify('onPodDeleted', sandbox.pod, this.#sim.nowMs);
  }

  /** Node loss: every process and sandbox is gone at once (the data plane hears onContainerStopped). */
  powerOff(): void {
    if (!this.#up) return;
    this.#up = false;
    this.#sim.record('machine', { node: this.nodeName, event: 'power-off' });
    const listener = this.#listener;
    this.#listener = undefined;
    for (const sandbox of [...this.#sandboxes.values()]) this.removeSandbox(sandbox.podUid);
    this.#listener = listener;
  }

  powerOn(): void {
    if (this.#up) return;
    this.#up = true;
    this.#sim.record('machine', { node: this.nodeName, event: 'power-on' });
  }

  #require(podUid: string): PodSandbox {
    const sandbox = this.#sandboxes.get(podUid);
    if (!sandbox) throw new Error(`node ${this.nodeName}: no sandbox for pod ${podUid}`);
    return sandbox;
  }
}
