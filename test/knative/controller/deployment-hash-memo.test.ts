// The Revision reconciler's memory of the deployment hash: a hit only for the same Revision parts
// (compared strictly), the same configs and the same profile.
import t from 'tap';
import type { KubeObject } from '../../../src/apiserver/types.js';
import { DEFAULT_AUTOSCALER_CONFIG } from '../../../src/knative/config/autoscaler-config.js';
import { DEFAULT_DEPLOYMENT_CONFIG } from '../../../src/knative/config/deployment-config.js';
import { DEFAULT_DEFAULTS_CONFIG } from '../../../src/knative/controller/defaults-config.js';
import { DeploymentHashMemo } from '../../../src/knative/controller/deployment-hash-memo.js';
import type { RevisionConfigs } from '../../../src/knative/controller/revision-deployment.js';
import { KnativeProfile } from '../../../src/knative/versions.js';
import { revision } from './revision-fixtures.js';

const cfg: RevisionConfigs = { autoscaler: DEFAULT_AUTOSCALER_CONFIG, deployment: DEFAULT_DEPLOYMENT_CONFIG, defaults: DEFAULT_DEFAULTS_CONFIG };
const profile = new KnativeProfile('latest');

function remembered(): { memo: DeploymentHashMemo; rev: KubeObject } {
  const memo = new DeploymentHashMemo();
  const rev = revision('rev');
  rev.status = { containerStatuses: [{ name: 'user', imageDigest: 'img' }] };
  memo.remember('default/rev', rev, cfg, profile, 'h1');
  return { memo, rev };
}

t.test('the same parts, configs and profile give the remembered hash, also from a copy of the Revision', async (t) => {
  const { memo, rev } = remembered();
  t.equal(memo.lookup('default/rev', rev, cfg, profile), 'h1');
  t.equal(memo.lookup('default/rev', structuredClone(rev), { ...cfg }, profile), 'h1');
  t.equal(memo.lookup('default/other', rev, cfg, profile), undefined, 'another key');
});

t.test('a changed spec, label, digest, config or an added undefined-valued key is a miss', async (t) => {
  const { memo, rev } = remembered();
  const spec = structuredClone(rev);
  spec.spec.containers[0].image = 'other';
  t.equal(memo.lookup('default/rev', spec, cfg, profile), undefined, 'spec');
  const label = structuredClone(rev);
  label.metadata.labels = { ...label.metadata.labels, team: 'blue' };
  t.equal(memo.lookup('default/rev', label, cfg, profile), undefined, 'label');
  const digest = structuredClone(rev);
  digest.status.containerStatuses[0].imageDigest = 'other';
  t.equal(memo.lookup('default/rev', digest, cfg, profile), undefined, 'digest');
  const undef = structuredClone(rev);
  undef.spec.timeoutSeconds = undefined;
  t.equal(memo.lookup('default/rev', undef, cfg, profile), undefined, 'undefined-valued key');
  t.equal(memo.lookup('default/rev', rev, { ...cfg, deployment: { ...DEFAULT_DEPLOYMENT_CONFIG } }, profile), undefined, 'config by identity');
  t.equal(memo.lookup('default/rev', rev, cfg, new KnativeProfile('latest')), undefined, 'profile by identity');
  // What was remembered is a copy: mutating the Revision it came from is a change, not a hit.
  rev.spec.containers[0].image = 'mutated';
  t.equal(memo.lookup('default/rev', rev, cfg, profile), undefined, 'mutated after remember');
  rev.spec.containers[0].image = 'busybox';
  t.equal(memo.lookup('default/rev', rev, cfg, profile), 'h1', 'mutated back');
  memo.forget('default/rev');
  t.equal(memo.lookup('default/rev', rev, cfg, profile), undefined, 'forgotten');
});
