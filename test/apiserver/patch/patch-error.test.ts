import t from 'tap';
import { PatchError } from '../../../src/apiserver/patch/patch-error.js';

t.test('PatchError carries its kind, message and name and is an Error', async (t) => {
  const decode = new PatchError('decode', 'invalid JSON document');
  const apply = new PatchError('apply', 'testing value /a failed: test failed');
  t.type(decode, Error);
  t.equal(decode.kind, 'decode');
  t.equal(apply.kind, 'apply');
  t.equal(decode.message, 'invalid JSON document');
  t.equal(decode.name, 'PatchError');
  t.match(String(apply), /^PatchError: testing value/);
});
