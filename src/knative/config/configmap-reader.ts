// Typed reads of ConfigMap data the way knative.dev/pkg configmap/parser/parse.go (As[T]) and
// configmap/parse.go (AsStringSet, AsQuantity) do them: an absent key keeps the current value; a
// present key that does not parse fails with `failed to parse "<key>": <Go error>`. Callers read
// keys in upstream's order, since upstream stops at the first failure.
import { ConfigError } from './config-error.js';
import { DurationSyntaxError, parseDurationNs } from './duration.js';
import { goStrconv, type StrconvResult } from './go-strconv.js';
import { quantitySyntaxError } from './quantity-syntax.js';

export interface ConfigMapReaderOptions {
  configMap: string;
  data: Readonly<Record<string, string>>;
  /** Prepended to parse errors (config-autoscaler wraps them in "failed to parse data: "). */
  errorPrefix?: string;
}

export class ConfigMapReader {
  readonly #configMap: string;
  readonly #data: Readonly<Record<string, string>>;
  readonly #prefix: string;

  constructor(options: ConfigMapReaderOptions) {
    this.#configMap = options.configMap;
    this.#data = options.data;
    this.#prefix = options.errorPrefix ?? '';
  }

  /** The raw value, or undefined when the key is absent. */
  raw(key: string): string | undefined {
    return Object.hasOwn(this.#data, key) ? this.#data[key] : undefined;
  }

  fail(key: string, value: string, cause: string): never {
    throw new ConfigError(this.#configMap, key, value, `${this.#prefix}failed to parse ${JSON.stringify(key)}: ${cause}`);
  }

  #strconv<T>(key: string, current: T, parse: (text: string) => StrconvResult<T>): T {
    const raw = this.raw(key);
    if (raw === undefined) return current;
    const result = parse(raw);
    if (!result.ok) this.fail(key, raw, result.error.message);
    return result.value;
  }

  float(key: string, current: number): number {
    return this.#strconv(key, current, goStrconv.parseFloat);
  }

  int32(key: string, current: number): number {
    return this.#strconv(key, current, goStrconv.parseInt32);
  }

  bool(key: string, current: boolean): boolean {
    return this.#strconv(key, current, goStrconv.parseBool);
  }

  /** AsString: the value with surrounding whitespace trimmed. */
  string(key: string, current: string): string {
    const raw = this.raw(key);
    return raw === undefined ? current : raw.trim();
  }

  durationNs(key: string, current: bigint): bigint {
    const raw = this.raw(key);
    if (raw === undefined) return current;
    try {
      return parseDurationNs(raw);
    } catch (error) {
      if (error instanceof DurationSyntaxError) this.fail(key, raw, error.message);
      throw error;
    }
  }

  /** AsStringSet: comma-separated, each item trimmed; returned sorted and deduplicated. */
  stringSet(key: string, current: readonly string[]): readonly string[] {
    const raw = this.raw(key);
    if (raw === undefined) return current;
    return [...new Set(raw.split(',').map((item) => item.trim()))].sort();
  }

  /** AsQuantity: the value kept as written, once it has Kubernetes quantity syntax. */
  quantity(key: string, current: string | null): string | null {
    const raw = this.raw(key);
    if (raw === undefined) return current;
    const problem = quantitySyntaxError(raw);
    if (problem !== null) this.fail(key, raw, problem);
    return raw;
  }
}
