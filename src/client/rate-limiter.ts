// Requeue delays of a work queue: the larger of a per-item exponential backoff and an overall token
// bucket, as client-go's DefaultTypedControllerRateLimiter (k8s.io/client-go/util/workqueue/
// default_rate_limiters.go): 5 ms doubling to 1000 s per item, 10 qps with a burst of 100 overall.
// Knative builds its queues with the same pair (knative.dev/pkg controller/controller.go).

export interface RateLimiterOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Tokens per second of the overall bucket. */
  qps?: number;
  burst?: number;
}

export class RateLimiter {
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #msPerToken: number;
  readonly #burst: number;
  readonly #failures = new Map<string, number>();
  #tokens: number;
  #lastMs = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.#baseDelayMs = options.baseDelayMs ?? 5;
    this.#maxDelayMs = options.maxDelayMs ?? 1_000_000;
    this.#msPerToken = 1000 / (options.qps ?? 10);
    this.#burst = options.burst ?? 100;
    this.#tokens = this.#burst;
  }

  /** The delay before `key` may be retried, counting this as one more failure. */
  when(key: string, nowMs: number): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    const backoff = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** Math.min(failures, 40));
    return Math.max(Math.ceil(backoff), this.#reserve(nowMs));
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** Takes one token (golang.org/x/time/rate Reserve): the wait until it is available. */
  #reserve(nowMs: number): number {
    this.#tokens = Math.min(this.#burst, this.#tokens + (nowMs - this.#lastMs) / this.#msPerToken);
    this.#lastMs = nowMs;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil(-this.#tokens * this.#msPerToken);
  }
}
