// ControllerExpectations and UIDTrackingControllerExpectations (k8s.io/kubernetes
// pkg/controller/controller_utils.go): a controller records how many creations and deletions it
// has just asked for and does not act on a key again until its informer has observed them, or
// until the record is older than ExpectationsTimeout (5 minutes), in case a watch event was lost.
// Deletions are tracked by pod key so that a pod seen first with a deletionTimestamp and later as
// deleted counts once. Expectations live in the controller's memory: a crash forgets them.

/** controller.ExpectationsTimeout. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

export interface Expectation {
  add: number;
  del: number;
  /** When the expectation was set (virtual ms). */
  timestampMs: number;
}

export interface ControllerExpectationsOptions {
  nowMs: () => number;
  timeoutMs?: number;
}

export class ControllerExpectations {
  readonly #nowMs: () => number;
  readonly #timeoutMs: number;
  readonly #entries = new Map<string, Expectation>();
  readonly #uids = new Map<string, Set<string>>();

  constructor(options: ControllerExpectationsOptions) {
    this.#nowMs = options.nowMs;
    this.#timeoutMs = options.timeoutMs ?? EXPECTATIONS_TIMEOUT_MS;
  }

  get(key: string): Readonly<Expectation> | undefined {
    return this.#entries.get(key);
  }

  /** SatisfiedExpectations: no record, a fulfilled one, or an expired one. */
  satisfied(key: string): boolean {
    const exp = this.#entries.get(key);
    if (exp === undefined) return true;
    if (exp.add <= 0 && exp.del <= 0) return true;
    return this.#nowMs() - exp.timestampMs > this.#timeoutMs;
  }

  /** SetExpectations: replaces any previous record (and restarts its clock). */
  setExpectations(key: string, add: number, del: number): void {
    this.#entries.set(key, { add, del, timestampMs: this.#nowMs() });
  }

  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  /** UIDTrackingControllerExpectations.ExpectDeletions: remembers which pods it waits for. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    const uids = new Set(podKeys);
    this.#uids.set(key, uids);
    this.setExpectations(key, 0, uids.size);
  }

  lowerExpectations(key: string, add: number, del: number): void {
    const exp = this.#entries.get(key);
    if (exp === undefined) return;
    exp.add -= add;
    exp.del -= del;
  }

  raiseExpectations(key: string, add: number, del: number): void {
    this.lowerExpectations(key, -add, -del);
  }

  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  /** Counts the deletion of `podKey` once, and only if this controller was waiting for it. */
  deletionObserved(key: string, podKey: string): void {
    const uids = this.#uids.get(key);
    if (uids === undefined || !uids.has(podKey)) return;
    this.lowerExpectations(key, 0, 1);
    uids.delete(podKey);
  }

  deleteExpectations(key: string): void {
    this.#entries.delete(key);
    this.#uids.delete(key);
  }
}
