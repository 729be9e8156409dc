import t from 'tap';
import { KnativeProfile, UnknownReleaseError, allReleases, parseRelease, releaseName, type UpstreamFix } from '../../src/knative/versions.js';

t.test('releases parse in both namings and map serving v0.N to Knative 1.(N-27)', async (t) => {
  t.same(parseRelease('1.11'), { servingMinor: 38, name: '1.11' });
  t.same(parseRelease('v0.38'), { servingMinor: 38, name: '1.11' });
  t.same(parseRelease('0.16'), { servingMinor: 16, name: '0.16' });
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
