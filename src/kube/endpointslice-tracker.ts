// Which EndpointSlice generations the EndpointSlice controller has written, per Service
// (k8s.io/endpointslice util/endpointslice_tracker.go): it tells a slice event caused by the
// controller's own write (nothing to do) from someone else's, and a cached slice older than the
// controller's last write (the informer lags: wait) from a current one.

import type { KubeObject } from '../apiserver/types.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const DELETION_EXPECTED = -1;

const serviceKeyOf = (slice: KubeObject): string => `${slice.metadata.namespace}/${slice.metadata.labels?.[SERVICE_NAME_LABEL] ?? ''}`;
const generationOf = (slice: KubeObject): number => slice.metadata.generation ?? 0;

export class EndpointSliceTracker {
  /** Service key → slice uid → generation written (or DELETION_EXPECTED). */
  readonly #generations = new Map<string, Map<string, number>>();
  /** Service key → the uid of the Service last reconciled under that name. */
  readonly #serviceUids = new Map<string, string>();

  /** Has: a generation is tracked for the slice. */
  has(slice: KubeObject): boolean {
    return this.#generations.get(serviceKeyOf(slice))?.has(slice.metadata.uid ?? '') ?? false;
  }

  /** ShouldSync: the slice is untracked or newer than what the controller wrote. */
  shouldSync(slice: KubeObject): boolean {
    const tracked = this.#generations.get(serviceKeyOf(slice))?.get(slice.metadata.uid ?? '');
    return tracked === undefined || generationOf(slice) > tracked;
  }

  /**
   * StaleSlices: the cache is behind the controller's writes for this Service (a slice older than
   * written, one expected deleted, or one written but missing). A recreated Service (new uid)
   * starts afresh.
   */
  staleSlices(service: KubeObject, slices: readonly KubeObject[]): boolean {
    const key = `${service.metadata.namespace}/${service.metadata.name}`;
    const trackedUid = this.#serviceUids.get(key);
    if (trackedUid && service.metadata.uid && trackedUid !== service.metadata.uid) this.#generations.delete(key);
    this.#serviceUids.set(key, service.metadata.uid ?? '');
    const generations = this.#generations.get(key);
    if (generations === undefined) return false;
    const provided = new Set<string>();
    for (const slice of slices) {
      const uid = slice.metadata.uid ?? '';
      provided.add(uid);
      const g = generations.get(uid);
      if (g !== undefined && (g === DELETION_EXPECTED || g > generationOf(slice))) return true;
    }
    for (const [uid, g] of generations) if (g !== DELETION_EXPECTED && !provided.has(uid)) return true;
    return false;
  }

  /** Update: the controller wrote this slice. */
  update(slice: KubeObject): void {
    this.#slices(slice).set(slice.metadata.uid ?? '', generationOf(slice));
  }

  /** ExpectDeletion: the controller deleted this slice. */
  expectDeletion(slice: KubeObject): void {
    this.#slices(slice).set(slice.metadata.uid ?? '', DELETION_EXPECTED);
  }

  /** HandleDeletion: forget the slice; false when its deletion was not the controller's doing. */
  handleDeletion(slice: KubeObject): boolean {
    const generations = this.#generations.get(serviceKeyOf(slice));
    if (generations === undefined) return true;
    const g = generations.get(slice.metadata.uid ?? '');
    generations.delete(slice.metadata.uid ?? '');
    return g === undefined || g === DELETION_EXPECTED;
  }

  /** DeleteService. */
  deleteService(namespace: string, name: string): void {
    this.#generations.delete(`${namespace}/${name}`);
    this.#serviceUids.delete(`${namespace}/${name}`);
  }

  #slices(slice: KubeObject): Map<string, number> {
    const key = serviceKeyOf(slice);
    let generations = this.#generations.get(key);
    if (generations === undefined) this.#generations.set(key, (generations = new Map()));
    return generations;
  }
}
