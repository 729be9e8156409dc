// The Deployment controller's cache of EqualIgnoreHash verdicts: the same verdicts as
// equalIgnoreHash, for frozen templates and for unfrozen ones.
import t from 'tap';
import { deepFreeze } from '../../src/apiserver/deep-copy.js';
import { equalIgnoreHash } from '../../src/kube/deployment-util.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../src/kube/pod-template-hash.js';
import { TemplateComparisons } from '../../src/kube/template-comparisons.js';

const template = (image: string, hash?: string): Record<string, unknown> => ({
  metadata: { labels: { app: 'a', ...(hash === undefined ? {} : { [POD_TEMPLATE_HASH_LABEL]: hash }) } },
  spec: { containers: [{ name: 'c', image }] },
});

t.test('frozen and unfrozen templates get equalIgnoreHash\'s verdict, repeatedly', async (t) => {
  const cmp = new TemplateComparisons();
  const base = deepFreeze(template('x'));
  const hashed = deepFreeze(template('x', 'abc'));
  const other = deepFreeze(template('y', 'abc'));
  for (let round = 0; round < 2; round++) {
    t.equal(cmp.equalIgnoreHash(base, hashed), true, 'only the hash differs');
    t.equal(cmp.equalIgnoreHash(hashed, base), true, 'either order');
    t.equal(cmp.equalIgnoreHash(base, other), false, 'the image differs');
    t.equal(cmp.equalIgnoreHash(template('x'), template('y')), equalIgnoreHash(template('x'), template('y')), 'unfrozen');
    t.equal(cmp.equalIgnoreHash(undefined, base), equalIgnoreHash(undefined, base), 'an absent template');
  }
});
