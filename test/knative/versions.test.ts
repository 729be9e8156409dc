import t from 'tap';
import { KnativeProfile, SERVING_MINORS, UPSTREAM_FIXES, UnknownReleaseError, allReleases, parseRelease, previousRelease, releaseName, type UpstreamFix } from '../../src/knative/versions.js';

t.test('releases parse in both namings and map serving v0.N to Knative 1.(N-27)', async (t) => {
  t.same(parseRelease('1.11'), { servingMinor: 38, name: '1.11' });
  t.same(parseRelease('v0.38'), { servingMinor: 38, name: '1.11' });
  t.same(parseRelease('0.16'), { servingMinor: 16, name: '0.16' });
  t.same(parseRelease('0.19'), { servingMinor: 19, name: '0.19' }, 'the first release with autoscaler leader election (pr-9682)');
  t.same(parseRelease('1.0.2'), { servingMinor: 27, name: '1.0' });
  t.equal(parseRelease('latest').name, releaseName(allReleases().at(-1)!.servingMinor));
  t.throws(() => parseRelease('2.0'), UnknownReleaseError);
  t.throws(() => parseRelease('0.10'), /no profile/);
  t.throws(() => parseRelease('banana'), /not a Knative release/);
});

t.test('a profile has exactly the fixes released at or before it', async (t) => {
  const fixes: UpstreamFix[] = [
    { id: 'pr-1', fixedInServingMinor: 17, summary: 'a', files: [] },
    { id: 'pr-2', fixedInServingMinor: 39, summary: 'b', files: [] },
  ];
  t.same(new KnativeProfile('0.16', fixes).fixes(), []);
  t.same(new KnativeProfile('0.17', fixes).fixes(), ['pr-1']);
  t.equal(new KnativeProfile('1.11', fixes).has('pr-2'), false);
  t.equal(new KnativeProfile('1.12', fixes).has('pr-2'), true);
  t.equal(new KnativeProfile('latest', fixes).has('pr-2'), true);
  t.throws(() => new KnativeProfile('latest', fixes).has('pr-3'), /unknown upstream fix/);
});

t.test('0.7 has a profile (the release before pr-4795), and every registered switch has an id, a release and upstream files', async (t) => {
  t.same(parseRelease('0.7'), { servingMinor: 7, name: '0.7' });
  t.equal(allReleases()[0].name, '0.7');
  t.equal(new KnativeProfile('0.7').has('pr-4795'), false);
  t.equal(new KnativeProfile('0.8').has('pr-4795'), true);
  const ids = UPSTREAM_FIXES.map((f) => f.id);
  t.equal(new Set(ids).size, ids.length, 'ids are unique');
  for (const f of UPSTREAM_FIXES) {
    t.match(f.id, /^pr-\d+$/, `${f.id} is named after its PR`);
    t.ok(f.files.length > 0 && f.summary.length > 0, `${f.id} says what it changed and where`);
    t.ok(SERVING_MINORS.some((m) => m < f.fixedInServingMinor), `${f.id}: some profile predates it`);
  }
});

t.test('the 0.17-dev snapshot sits between 0.16 and 0.17: initial scale (pr-8403) without its fix (pr-8883)', async (t) => {
  const dev = new KnativeProfile('0.17-dev');
  t.equal(dev.release.name, '0.17-dev');
  t.ok(dev.has('pr-8403'));
  t.notOk(dev.has('pr-8883'));
  t.notOk(new KnativeProfile('0.16').has('pr-8403'));
  t.ok(new KnativeProfile('0.17').has('pr-8403') && new KnativeProfile('0.17').has('pr-8883'));
  t.ok(parseRelease('0.16').servingMinor < dev.release.servingMinor && dev.release.servingMinor < parseRelease('0.17').servingMinor);
  t.equal(parseRelease('v0.17-dev').name, '0.17-dev', 'as an image tag too');
});

t.test('the 0.18-dev snapshot sits between 0.17 and 0.18: #9232 (ScaleTargetInitialized waits for the service name) without #9258', async (t) => {
  const dev = new KnativeProfile('0.18-dev');
  t.equal(dev.release.name, '0.18-dev');
  t.ok(dev.has('pr-9232'), 'has #9232');
  t.notOk(dev.has('pr-9258'), 'lacks #9258');
  t.ok(dev.has('pr-9110'), 'has #9110, merged on main before #9232');
  t.ok(dev.has('pr-8883') && dev.has('pr-8933'), 'has everything 0.17 has');
  t.notOk(dev.has('pr-9354'), 'lacks what main merged after #9258 (#9354)');
  t.notOk(new KnativeProfile('0.17').has('pr-9232'));
  t.ok(new KnativeProfile('0.18').has('pr-9232') && new KnativeProfile('0.18').has('pr-9258'));
  t.ok(parseRelease('0.17').servingMinor < dev.release.servingMinor && dev.release.servingMinor < parseRelease('0.18').servingMinor);
  t.equal(previousRelease(dev.release).name, '0.17', 'upgrades into it come from 0.17');
});
