// Service ClusterIP allocation, owned by one ApiServer (no module state): the part of the Service
// REST storage that upstream wraps around the generic store (k8s.io/kubernetes
// pkg/registry/core/service/storage/storage.go beginCreate / beginUpdate / afterDelete and
// storage/alloc.go initIPFamilyFields, allocClusterIPs, patchAllocatedValues) over a bitmap range
// (pkg/registry/core/service/ipallocator/bitmap.go). A single-stack IPv4 cluster:
// - the range is 10.96.0.0/12 (kubeadm's default service CIDR) without its network and broadcast
//   addresses; its first address, 10.96.0.1, is reserved for the `kubernetes` Service;
// - dynamic allocation prefers the upper part of the range, leaving the lower band (min(max(16,
//   size/16), 256) addresses, calculateRangeOffset) to static requests, as upstream does; upstream
//   picks a random free address there, we pick the lowest free one, so allocation is
//   deterministic and never repeats an address in use;
// - `clusterIP: None` (headless) stays None, ExternalName services get nothing;
// - spec.clusterIPs, ipFamilies and ipFamilyPolicy are filled as the storage defaults them;
// - an update that omits the allocated values gets them back, a change of them is refused;
// - addresses are released when the Service leaves storage.
import { internalError, invalid } from './api-error.js';
import { deepEqual } from './deep-copy.js';
import { fieldError } from './field-error.js';
import type { KubeObject, StatusCause } from './types.js';

export interface ServiceIpAllocatorOptions {
  /** IPv4 CIDR of the service range. Default 10.96.0.0/12. */
  serviceCidr?: string;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  selector?: Record<string, string>;
}

const SERVICE_KIND = { group: '', kind: 'Service' };
const NONE = 'None';

function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** calculateRangeOffset: the size of the lower band kept for static allocation. */
function staticBandSize(rangeSize: number): number {
  if (rangeSize <= 16) return 0;
  return Math.min(256, Math.max(16, Math.floor(rangeSize / 16)));
}

const specOf = (svc: KubeObject): ServiceSpec => (svc.spec ??= {}) as ServiceSpec;
const needsClusterIp = (spec: ServiceSpec): boolean => spec.type !== 'ExternalName';

export class ServiceIpAllocator {
  readonly cidr: string;
  /** Network address; offset 0 of the bitmap is base + 1. */
  readonly #base: number;
  /** Usable addresses: the range without network and broadcast. */
  readonly #max: number;
  readonly #staticBand: number;
  readonly #used = new Set<number>();

  constructor(options: ServiceIpAllocatorOptions = {}) {
    this.cidr = options.serviceCidr ?? '10.96.0.0/12';
    const [address, bits] = this.cidr.split('/');
    const prefix = Number(bits);
    const base = parseIpv4(address);
    if (base === undefined || !(prefix >= 0 && prefix <= 30)) throw new RangeError(`ServiceIpAllocator: bad CIDR ${this.cidr}`);
    const size = 2 ** (32 - prefix);
    this.#base = base - (base % size);
    this.#max = size - 2;
    this.#staticBand = staticBandSize(size);
    this.#used.add(0); // 10.96.0.1: the kubernetes Service (the apiserver's bootstrap controller)
  }

  /** Addresses in use, lowest first. */
  allocated(): string[] {
    return [...this.#used].sort((a, b) => a - b).map((offset) => formatIpv4(this.#base + 1 + offset));
  }

  /** BeginCreate: families, policy and ClusterIPs of a new Service. Throws ApiError. */
  beginCreate(svc: KubeObject, dryRun: boolean): void {
    const spec = specOf(svc);
    if (!needsClusterIp(spec)) return;
    if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0];
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    this.#checkFamilies(svc, spec);
    this.#defaultFamilies(spec);
    if (spec.clusterIP === NONE) return;
    const ip = spec.clusterIP ? this.#allocateRequested(svc, spec.clusterIP, dryRun) : this.#allocateNext(dryRun);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }

  /** BeginUpdate: restores allocated values the update left out, refuses changes, allocates or releases on type changes. */
  beginUpdate(svc: KubeObject, old: KubeObject, dryRun: boolean): void {
    const spec = specOf(svc);
    const oldSpec = (old.spec ?? {}) as ServiceSpec;
    if (needsClusterIp(spec) && needsClusterIp(oldSpec)) {
      if (!spec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
      if (!spec.clusterIPs?.length) spec.clusterIPs = oldSpec.clusterIPs;
      if (spec.ipFamilies === undefined) spec.ipFamilies = oldSpec.ipFamilies;
      if (spec.ipFamilyPolicy === undefined) spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
      if (spec.clusterIP !== oldSpec.clusterIP) {
        throw invalid(SERVICE_KIND, svc.metadata.name ?? '', [fieldError.invalid('spec.clusterIPs[0]', spec.clusterIP ?? '', 'may not change once set')]);
      }
      return;
    }
    if (needsClusterIp(spec)) {
      this.beginCreate(svc, dryRun);
      return;
    }
    if (needsClusterIp(oldSpec)) this.#becomeExternalName(spec, oldSpec, old, dryRun);
  }

  /** dropTypeDependentFields: values the update kept from the old type are cleared; the addresses go back. */
  #becomeExternalName(spec: ServiceSpec, oldSpec: ServiceSpec, old: KubeObject, dryRun: boolean): void {
    if (spec.clusterIP === oldSpec.clusterIP) delete spec.clusterIP;
    if (deepEqual(spec.clusterIPs, oldSpec.clusterIPs)) delete spec.clusterIPs;
    if (deepEqual(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
    if (!dryRun) this.afterDelete(old);
  }

  /** AfterDelete: the Service left storage, its addresses go back to the range. */
  afterDelete(svc: KubeObject): void {
    for (const ip of ((svc.spec ?? {}) as ServiceSpec).clusterIPs ?? []) {
      const offset = this.#offsetOf(ip);
      if (offset !== undefined && offset !== 0) this.#used.delete(offset);
    }
  }

  /** Validation of the family fields a single-stack IPv4 cluster can serve. */
  #checkFamilies(svc: KubeObject, spec: ServiceSpec): void {
    const causes: StatusCause[] = [];
    if (spec.clusterIPs && spec.clusterIPs[0] !== spec.clusterIP) {
      causes.push(fieldError.invalid('spec.clusterIPs', spec.clusterIPs, 'first value must match `clusterIP`'));
    }
    if ((spec.clusterIPs?.length ?? 0) > 1) causes.push(fieldError.invalid('spec.clusterIPs', spec.clusterIPs, 'this cluster is not configured for dual-stack services'));
    if (spec.ipFamilyPolicy === 'RequireDualStack' && spec.clusterIP !== NONE) {
      causes.push(fieldError.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
    }
    for (const [i, family] of (spec.ipFamilies ?? []).entries()) {
      if (family !== 'IPv4') causes.push(fieldError.invalid(`spec.ipFamilies[${i}]`, family, 'not configured on this cluster'));
    }
    if (causes.length > 0) throw invalid(SERVICE_KIND, svc.metadata.name ?? '', causes);
  }

  /** initIPFamilyFields on a single-stack IPv4 cluster; headless without selector asks for RequireDualStack. */
  #defaultFamilies(spec: ServiceSpec): void {
    const headlessWithoutSelector = spec.clusterIP === NONE && spec.selector === undefined;
    spec.ipFamilyPolicy ??= headlessWithoutSelector ? 'RequireDualStack' : 'SingleStack';
    if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
  }

  #allocateRequested(svc: KubeObject, ip: string, dryRun: boolean): string {
    const offset = this.#offsetOf(ip);
    const fail = (why: string): never => {
      throw invalid(SERVICE_KIND, svc.metadata.name ?? '', [fieldError.invalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: ${why}`)]);
    };
    if (offset === undefined) return fail(`the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
    if (this.#used.has(offset)) return fail('provided IP is already allocated');
    if (!dryRun) this.#used.add(offset);
    return ip;
  }

  /** AllocateNext: the lowest free address of the upper band, then of the lower band. */
  #allocateNext(dryRun: boolean): string {
    const offset = this.#lowestFree(this.#staticBand, this.#max) ?? this.#lowestFree(0, this.#staticBand);
    if (offset === undefined) throw internalError('failed to allocate a serviceIP: range is full');
    if (!dryRun) this.#used.add(offset);
    return formatIpv4(this.#base + 1 + offset);
  }

  #lowestFree(from: number, to: number): number | undefined {
    for (let offset = from; offset < to; offset++) if (!this.#used.has(offset)) return offset;
    return undefined;
  }

  #offsetOf(ip: string): number | undefined {
    const value = parseIpv4(ip);
    if (value === undefined) return undefined;
    const offset = value - this.#base - 1;
    return offset >= 0 && offset < this.#max ? offset : undefined;
  }
}
