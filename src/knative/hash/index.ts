// knative/pkg hash: consistent subset choice, and the Go string order it depends on.
export { chooseSubset, buildHashes, UNIVERSE, type HashData } from './choose-subset.js';
export { fnv64a, hash64Hex, hash64ModPow2, type Hash64 } from './fnv64a.js';
export { compareGoStrings, sortGoStrings } from './go-string-order.js';
