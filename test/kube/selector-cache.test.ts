// The per-controller cache of parsed selectors: a frozen selector is converted once (its error too),
// an unfrozen one every time, with the same verdicts as LabelSelector.fromLabelSelector.
import t from 'tap';
import { deepFreeze } from '../../src/apiserver/deep-copy.js';
import { LabelSelector } from '../../src/apiserver/label-selector.js';
import { SelectorCache } from '../../src/kube/selector-cache.js';

t.test('a frozen selector is converted once and matches as the uncached conversion does', async (t) => {
  const cache = new SelectorCache();
  const selector = deepFreeze({ matchLabels: { app: 'a' }, matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['web'] }] });
  const first = cache.parse(selector);
  t.equal(cache.parse(selector), first, 'the same conversion');
  const direct = LabelSelector.fromLabelSelector(selector);
  const cases: Record<string, string>[] = [{ app: 'a', tier: 'web' }, { app: 'a' }, { app: 'b', tier: 'web' }];
  for (const labels of cases) t.equal(first.matches(labels), direct.matches(labels), JSON.stringify(labels));
  t.equal(cache.of({ apiVersion: 'v1', kind: 'X', metadata: {}, spec: { selector } }), first, 'of() reads spec.selector');
});

t.test('an unfrozen selector is converted on every call; a missing one matches nothing', async (t) => {
  const cache = new SelectorCache();
  const selector = { matchLabels: { app: 'a' } };
  t.not(cache.parse(selector), cache.parse(selector));
  t.equal(cache.parse(undefined).matches({}), false);
});

t.test('an invalid frozen selector throws the conversion error every time; of() gives undefined', async (t) => {
  const cache = new SelectorCache();
  const selector = deepFreeze({ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }) as never;
  t.throws(() => cache.parse(selector), /"Bogus" is not a valid label selector operator/);
  t.throws(() => cache.parse(selector), /"Bogus" is not a valid label selector operator/);
  t.equal(cache.of({ apiVersion: 'v1', kind: 'X', metadata: {}, spec: { selector } }), undefined);
});
