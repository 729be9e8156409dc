// Pod IPs of one node, the way the host-local IPAM plugin hands them out
// (containernetworking/plugins plugins/ipam/host-local/backend/allocator/allocator.go): the node's
// pod CIDR is 10.244.<index>.0/24 (kube-controller-manager's node IPAM gives node i the i-th /24 of
// the cluster CIDR 10.244.0.0/16, as kind and flannel default to); .0 is the network, .1 the bridge
// gateway, .255 broadcast, so pods get .2 to .254. Allocation is round-robin: it starts after the
// last address handed out (host-local keeps it in its `last_reserved_ip` file) and skips addresses in
// use, so a released IP is reused only once the range has wrapped around — deterministic, and never
// a reuse of an address still held.

export interface PodIpAllocatorOptions {
  /** Which /24 of 10.244.0.0/16 this node owns (0–255). */
  subnetIndex: number;
}

const FIRST_HOST = 2;
const LAST_HOST = 254;

export class PodIpAllocator {
  readonly cidr: string;
  readonly #prefix: string;
  readonly #owners = new Map<number, string>();
  #last = FIRST_HOST - 1;

  constructor(options: PodIpAllocatorOptions) {
    const index = options.subnetIndex;
    if (!Number.isInteger(index) || index < 0 || index > 255) throw new RangeError(`pod subnet index ${index} is outside 0–255`);
    this.#prefix = `10.244.${index}.`;
    this.cidr = `${this.#prefix}0/24`;
  }

  /** The gateway (the node's end of the pod bridge). */
  get gateway(): string {
    return `${this.#prefix}1`;
  }

  /** Addresses held, in address order, with their owners. */
  allocated(): { ip: string; owner: string }[] {
    return [...this.#owners].sort((a, b) => a[0] - b[0]).map(([host, owner]) => ({ ip: this.#prefix + host, owner }));
  }

  /** The owner of `ip`, if it is held. */
  ownerOf(ip: string): string | undefined {
    const host = this.#host(ip);
    return host === undefined ? undefined : this.#owners.get(host);
  }

  /** The next free address after the last one handed out; throws when the range is full. */
  allocate(owner: string): string {
    const size = LAST_HOST - FIRST_HOST + 1;
    for (let step = 1; step <= size; step++) {
      const host = FIRST_HOST + ((this.#last - FIRST_HOST + step) % size);
      if (this.#owners.has(host)) continue;
      this.#owners.set(host, owner);
      this.#last = host;
      return this.#prefix + host;
    }
    throw new Error(`failed to allocate for range 0: no IP addresses available in range set: ${this.#prefix}${FIRST_HOST}-${this.#prefix}${LAST_HOST}`);
  }

  /** Frees `ip`; freeing an address not held is a no-op (CNI DEL is idempotent). */
  release(ip: string): void {
    const host = this.#host(ip);
    if (host !== undefined) this.#owners.delete(host);
  }

  #host(ip: string): number | undefined {
    if (!ip.startsWith(this.#prefix)) return undefined;
    const host = Number(ip.slice(this.#prefix.length));
    return Number.isInteger(host) ? host : undefined;
  }
}
