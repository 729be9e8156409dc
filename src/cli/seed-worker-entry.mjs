// Worker-thread entry: registers tsx (as bin/sleeveless.js does) so the worker can load the
// TypeScript sources, then starts the seed worker.
import { register } from 'tsx/esm/api';

register();
await import('./seed-worker.ts');
