// `workload:` of a scenario: per host, phases of load (dataplane/workload.ts Load) that each last
// `for`, with the workload's service time and client timeout unless a phase says otherwise.

import type { Distribution } from '../dataplane/distribution.js';
import type { Load } from '../dataplane/workload.js';
import { formatDurationMs } from '../knative/config/duration.js';
import type { FieldReader } from './field-reader.js';
import type { ScenarioEnv } from './build-trigger.js';
import { LOAD_KEYS } from './schema.js';
import type { WorkloadPhase, WorkloadSpec } from './types.js';

type Raw = Record<string, unknown>;

function buildLoad(reader: FieldReader, path: (string | number)[], raw: Raw, forMs: number): Load | undefined {
  const key = LOAD_KEYS.find((k) => Object.hasOwn(raw, k));
  switch (key) {
    case 'rps':
      return { kind: 'constant', rps: raw.rps as number };
    case 'poisson':
      return { kind: 'poisson', rps: raw.poisson as number };
    case 'idle':
      return { kind: 'idle' };
    case 'steps': {
      const steps: { afterMs: number; rps: number }[] = [];
      (raw.steps as Raw[]).forEach((step, i) => {
        const afterMs = reader.duration([...path, 'steps', i, 'after'], step.after);
        if (afterMs === undefined) return;
        if (afterMs >= forMs) reader.fail([...path, 'steps', i, 'after'], `${String(step.after)} is not within the phase (for ${formatDurationMs(forMs)})`);
        else steps.push({ afterMs, rps: step.rps as number });
      });
      return { kind: 'steps', steps };
    }
    case 'burst': {
      const burst = raw.burst as Raw;
      const everyMs = reader.duration([...path, 'burst', 'every'], burst.every);
      return everyMs === undefined ? undefined : { kind: 'burst', size: burst.size as number, everyMs };
    }
    case 'closed': {
      const closed = raw.closed as Raw;
      const thinkTime: Distribution | undefined = closed.thinkTime === undefined ? { kind: 'constant', ms: 0 } : reader.distribution([...path, 'closed', 'thinkTime'], closed.thinkTime);
      return thinkTime === undefined ? undefined : { kind: 'closed', users: closed.users as number, thinkTime };
    }
    default:
      return undefined;
  }
}

export function buildWorkload(reader: FieldReader, index: number, raw: Raw, env: ScenarioEnv & { services: string[] }): WorkloadSpec | undefined {
  const path = ['workload', index];
  const namespace = typeof raw.namespace === 'string' ? raw.namespace : 'default';
  let host: string;
  let label: string;
  if (typeof raw.service === 'string') {
    host = `${raw.service}.${namespace}.svc.cluster.local`;
    label = raw.service;
    const key = `${namespace}/${raw.service}`;
    if (!env.services.includes(key)) {
      const known = env.services.length === 0 ? 'none' : env.services.join(', ');
      reader.fail([...path, 'service'], `no Knative Service ${key} in setup or actions (Knative Services: ${known})`);
    }
  } else {
    if (raw.namespace !== undefined) reader.fail([...path, 'namespace'], '`namespace` goes with `service`; a host names its namespace itself', { atKey: true });
    host = raw.host as string;
    label = host.split('.')[0];
  }
  const startMs = raw.start === undefined ? 0 : reader.duration([...path, 'start'], raw.start);
  const serviceTime = raw.serviceTime === undefined ? undefined : reader.distribution([...path, 'serviceTime'], raw.serviceTime);
  const timeoutMs = raw.timeout === undefined ? undefined : reader.duration([...path, 'timeout'], raw.timeout, { positive: true });
  const phases: WorkloadPhase[] = [];
  let endMs = startMs ?? 0;
  (raw.phases as Raw[]).forEach((phase, i) => {
    const at = [...path, 'phases', i];
    const durationMs = reader.duration([...at, 'for'], phase.for, { positive: true });
    if (durationMs === undefined) return;
    endMs += durationMs;
    const load = buildLoad(reader, at, phase, durationMs);
    const phaseServiceTime = phase.serviceTime === undefined ? serviceTime : reader.distribution([...at, 'serviceTime'], phase.serviceTime);
    const phaseTimeoutMs = phase.timeout === undefined ? timeoutMs : reader.duration([...at, 'timeout'], phase.timeout, { positive: true });
    if (typeof phase.path === 'string' && !phase.path.startsWith('/')) reader.fail([...at, 'path'], `a request path starts with /, got "${phase.path}"`);
    if (load === undefined) return;
    phases.push({
      name: typeof phase.name === 'string' ? phase.name : `${label}/phase-${i}`,
      durationMs, load,
      ...(phaseServiceTime === undefined ? {} : { serviceTime: phaseServiceTime }),
      ...(phaseTimeoutMs === undefined ? {} : { clientTimeoutMs: phaseTimeoutMs }),
      ...(typeof phase.path === 'string' ? { path: phase.path } : {}),
    });
  });
  if (startMs === undefined) return undefined;
  if (endMs > env.durationMs) {
    reader.fail([...path, 'phases'], `the phases end at ${formatDurationMs(endMs)}, after the end of the run (duration ${formatDurationMs(env.durationMs)})`);
  }
  return { host, startMs, phases, source: reader.ref(path) };
}
