import t from 'tap';
import { releaseImage, releaseOfImage } from '../../src/knative/release-image.js';
import { parseRelease } from '../../src/knative/versions.js';

t.test('a release image names its release, and only Knative release images name one', async (t) => {
  const r = parseRelease('1.11');
  t.equal(releaseImage('controller', r), 'gcr.io/knative-releases/knative.dev/serving/cmd/controller:v1.11');
  t.same(releaseOfImage(releaseImage('queue', r)), r);
  t.same(releaseOfImage(releaseImage('autoscaler', parseRelease('0.16'))), parseRelease('0.16'));
  t.equal(releaseOfImage('ghcr.io/knative/helloworld-go:latest'), undefined, 'a user image');
  t.equal(releaseOfImage('gcr.io/knative-releases/knative.dev/serving/cmd/controller:v9.99'), undefined, 'no such release');
  t.equal(releaseOfImage('gcr.io/knative-releases/knative.dev/serving/cmd/controller'), undefined, 'no tag');
});
