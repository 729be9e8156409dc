// Parsed label selectors of cached objects, per controller instance. Upstream's controllers convert
// spec.selector with metav1.LabelSelectorAsSelector on every use (deployment_controller.go,
// replica_set.go, controller_ref_manager.go); the conversion depends on the selector alone, and a
// selector read from an informer is deep-frozen, so its conversion (or the error it raised) is kept
// with the frozen object and reused. A selector that is not frozen is converted every time.

import { LabelSelector, type StructuredLabelSelector } from '../apiserver/label-selector.js';
import type { KubeObject } from '../apiserver/types.js';

type Parsed = { selector: LabelSelector } | { error: unknown };

export class SelectorCache {
  readonly #parsed = new WeakMap<object, Parsed>();

  /** LabelSelector.fromLabelSelector(selector), throwing what it throws. */
  parse(selector: StructuredLabelSelector | null | undefined): LabelSelector {
    if (selector === null || selector === undefined || !Object.isFrozen(selector)) return LabelSelector.fromLabelSelector(selector);
    let parsed = this.#parsed.get(selector);
    if (parsed === undefined) {
      try {
        parsed = { selector: LabelSelector.fromLabelSelector(selector) };
      } catch (e) {
        parsed = { error: e };
      }
      this.#parsed.set(selector, parsed);
    }
    if ('error' in parsed) throw parsed.error;
    return parsed.selector;
  }

  /** The selector of `obj.spec.selector`, or undefined for one that does not convert (selectorOf). */
  of(obj: KubeObject): LabelSelector | undefined {
    try {
      return this.parse(obj.spec?.selector as StructuredLabelSelector | undefined);
    } catch {
      return undefined;
    }
  }
}
