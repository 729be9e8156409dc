// The canonical layout of Endpoints subsets (k8s.io/kubernetes pkg/api/v1/endpoints/util.go
// RepackSubsets, SortSubsets): expand the subsets to (address, port, ready) triples, dedupe
// addresses by IP + targetRef UID (the first copy seen is kept, and not ready wins over ready for
// a port), then group the ports that share exactly the same addresses (with their readiness)
// into one subset. Subsets without ports are kept, under a sentinel port. Addresses are sorted by
// IP then UID as upstream; ports and subsets upstream are sorted by an MD5 of their Go dump, which
// we do not reproduce: ours sort by their fields, which is as deterministic.

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

const SENTINEL = '<no ports>';

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const portKey = (p: EndpointPort): string => JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? null]);

/** LessEndpointAddress: by IP, then no targetRef first, then by targetRef UID. */
export function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  const byIp = compare(a.ip, b.ip);
  if (byIp !== 0) return byIp;
  if (a.targetRef === undefined || b.targetRef === undefined) return (a.targetRef === undefined ? 0 : 1) - (b.targetRef === undefined ? 0 : 1);
  return compare(a.targetRef.uid ?? '', b.targetRef.uid ?? '');
}

const addressKey = (a: EndpointAddress): string => JSON.stringify([a.ip, a.targetRef?.uid ?? '']);

// Map keys on the hot path (every pod of every sync): plain concatenations, unambiguous because IPs,
// UIDs, port names and protocols never hold a NUL. The JSON keys above only order things.
const addressMapKey = (a: EndpointAddress): string => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;
const portMapKey = (p: EndpointPort): string => `${p.name ?? ''}\u0000${p.port}\u0000${p.protocol ?? ''}\u0000${p.appProtocol ?? '\u0001'}`;

interface Expanded {
  /** Unique addresses by key, first copy kept. */
  addresses: Map<string, EndpointAddress>;
  /** Port key → (address key → ready). */
  byPort: Map<string, { port?: EndpointPort; ready: Map<string, boolean> }>;
}

function expand(subsets: readonly EndpointSubset[]): Expanded {
  const addresses = new Map<string, EndpointAddress>();
  const byPort: Expanded['byPort'] = new Map();
  const note = (ready: Map<string, boolean>, addr: EndpointAddress, isReady: boolean): void => {
    const key = addressMapKey(addr);
    if (!addresses.has(key)) addresses.set(key, addr);
    if (ready.get(key) !== false) ready.set(key, isReady);
  };
  for (const subset of subsets) {
    const ports: (EndpointPort | undefined)[] = subset.ports?.length ? subset.ports : [undefined];
    if (!subset.addresses?.length && !subset.notReadyAddresses?.length) continue;
    for (const port of ports) {
      const pk = port === undefined ? SENTINEL : portMapKey(port);
      let entry = byPort.get(pk);
      if (entry === undefined) byPort.set(pk, (entry = { port, ready: new Map() }));
      if (subset.addresses !== undefined) for (const addr of subset.addresses) note(entry.ready, addr, true);
      if (subset.notReadyAddresses !== undefined) for (const addr of subset.notReadyAddresses) note(entry.ready, addr, false);
    }
  }
  return { addresses, byPort };
}

/** RepackSubsets: a new array; the input is not modified (addresses are shared, not copied). */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const { addresses, byPort } = expand(subsets);
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, ready } of byPort.values()) {
    const setKey = [...ready].sort((a, b) => compare(a[0], b[0])).map(([k, r]) => `${k}\u0000${r ? 1 : 0}`).join('\u0000\u0000');
    let group = groups.get(setKey);
    if (group === undefined) groups.set(setKey, (group = { ready, ports: [] }));
    if (port !== undefined) group.ports.push(port);
  }
  const out: EndpointSubset[] = [];
  for (const { ready, ports } of groups.values()) {
    const subset: EndpointSubset = {};
    const readyAddrs = [...ready].filter(([, r]) => r).map(([k]) => addresses.get(k)!);
    const notReadyAddrs = [...ready].filter(([, r]) => !r).map(([k]) => addresses.get(k)!);
    if (readyAddrs.length > 0) subset.addresses = readyAddrs;
    if (notReadyAddrs.length > 0) subset.notReadyAddresses = notReadyAddrs;
    if (ports.length > 0) subset.ports = ports;
    out.push(subset);
  }
  return sortSubsets(out);
}

const subsetKey = (s: EndpointSubset): string => JSON.stringify([
  (s.ports ?? []).map(portKey), (s.addresses ?? []).map(addressKey), (s.notReadyAddresses ?? []).map(addressKey),
]);

/** SortSubsets (in place, and returned): addresses by IP and UID, ports and subsets by their fields. */
export function sortSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  for (const s of subsets) {
    s.addresses?.sort(compareAddresses);
    s.notReadyAddresses?.sort(compareAddresses);
    s.ports?.sort((a, b) => compare(portKey(a), portKey(b)));
  }
  return subsets.sort((a, b) => compare(subsetKey(a), subsetKey(b)));
}
