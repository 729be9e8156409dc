import t from 'tap';
import { HEADER, HeaderEdit, withEditedHeaders } from '../../../src/knative/runtime/network-headers.js';

t.test('HeaderEdit drops the named headers case-insensitively and sets one', async (t) => {
  const edit = new HeaderEdit({ drop: [HEADER.revisionName], set: HEADER.proxy, to: 'activator' });
  const out = edit.apply({ Host: 'h', 'knative-serving-revision': 'r' });
  t.same(out, { Host: 'h', [HEADER.proxy]: 'activator' });
  t.notOk(Object.isFrozen(out), 'a mutable source gives a fresh, mutable copy');
  t.not(edit.apply({ Host: 'h' }), edit.apply({ Host: 'h' }), 'mutable sources are not remembered');
});

t.test('HeaderEdit shares one frozen result per frozen source, and one for no headers', async (t) => {
  const edit = new HeaderEdit({ set: HEADER.servedByPod, to: 'pod-1' });
  const shared = Object.freeze({ Host: 'h' });
  const first = edit.apply(shared);
  t.equal(edit.apply(shared), first, 'same source object, same result object');
  t.ok(Object.isFrozen(first));
  t.same(first, { Host: 'h', [HEADER.servedByPod]: 'pod-1' });
  t.same(shared, { Host: 'h' }, 'the source is left alone');
  t.equal(edit.apply(undefined), edit.apply(undefined));
  t.same(edit.apply(undefined), { [HEADER.servedByPod]: 'pod-1' });
});

t.test('withEditedHeaders copies status, body and error and edits the headers', async (t) => {
  const edit = new HeaderEdit({ set: HEADER.viaActivator, to: 'act-1' });
  const res = { status: 200, body: 'ok' };
  t.same(withEditedHeaders(res, edit), { status: 200, headers: { [HEADER.viaActivator]: 'act-1' }, body: 'ok' });
  t.same(withEditedHeaders({ status: 0, error: 'connection reset' }, edit), { status: 0, headers: { [HEADER.viaActivator]: 'act-1' }, error: 'connection reset' });
  t.same(res, { status: 200, body: 'ok' }, 'the original response is left alone');
});
