// Names of child resources, as knative.dev/pkg kmeta/names.go ChildName builds them: parent +
// suffix when that fits the 63 characters Kubernetes allows, otherwise the parent is cut and an
// md5 of it (or, for very long suffixes, of parent + suffix) keeps the name unique.

import { createHash } from 'node:crypto';

const LONGEST = 63;
const MD5_LENGTH = 32;
const HEAD = LONGEST - MD5_LENGTH;

function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** makeValidName: drops trailing characters that are not alphanumeric. */
function trimToAlphanumeric(name: string): string {
  let end = name.length;
  while (end > 0 && !/[a-zA-Z0-9]/.test(name[end - 1])) end--;
  return name.slice(0, end);
}

/** kmeta.ChildName(parent, suffix). */
export function childName(parent: string, suffix: string): string {
  if (parent.length <= LONGEST - suffix.length) return parent + suffix;
  if (HEAD - suffix.length <= 0) {
    const hash = md5Hex(parent + suffix);
    let name = (HEAD < parent.length ? parent.slice(0, HEAD) : parent) + hash;
    const room = LONGEST - name.length;
    if (room > 0) name += suffix.slice(0, room);
    return trimToAlphanumeric(name);
  }
  return parent.slice(0, HEAD - suffix.length) + md5Hex(parent) + suffix;
}
