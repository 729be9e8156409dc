#!/usr/bin/env -S node --max-semi-space-size=64
// The flag sizes V8's young generation for simulations (src/cli/simulation-heap.ts says why).
// Runs the TypeScript sources directly through tsx's loader, so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
// A closed pipe (`sleeveless list | head`) ends the output, not the process with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
