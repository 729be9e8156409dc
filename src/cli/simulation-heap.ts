// The V8 heap setting for processes and threads that run simulations. A reference Knative run
// (bench/knative-reference.ts) allocates about 65 MiB, most of it short-lived: requests, hops,
// timers and the copies an API write makes. With V8's default young generation (16 MiB
// semi-spaces on 64-bit) that is four scavenges per run, each copying what is still alive (the
// stored objects, the informer caches, the events in flight) and promoting much of it to the old
// generation, where it becomes garbage once the run ends. With 64 MiB semi-spaces it is one
// scavenge per run: `node --trace-gc` counted 19 ms of garbage collection per run with the default
// and 9 ms with this setting, on the same build and machine.
//
// bin/sleeveless.js passes the flag in its shebang (a process's young generation is sized when
// the process starts), the seed pool gives its worker threads the same young generation through
// resourceLimits, and `npm run bench` runs with the same flag, so the bench measures the setting
// the tool runs with (test/cli/simulation-heap.test.ts checks that the three agree).

/** Each of the young generation's two semi-spaces, in MiB. */
export const SIMULATION_SEMI_SPACE_MIB = 64;

/** The node flag that sets it for a process. */
export const SIMULATION_NODE_FLAG = `--max-semi-space-size=${SIMULATION_SEMI_SPACE_MIB}`;

/**
 * The same for a worker thread: V8 sizes a young generation as three semi-spaces (the two that
 * alternate and as much again for large young objects).
 */
export const SIMULATION_WORKER_RESOURCE_LIMITS = Object.freeze({ maxYoungGenerationSizeMb: 3 * SIMULATION_SEMI_SPACE_MIB });
