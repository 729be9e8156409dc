// Property: whatever a person (or a bad merge) does to a valid scenario file, the loader either
// returns a scenario or throws a ScenarioError whose issues point into the files involved — never
// another exception. Mutations are drawn from the project's PRNG, so a failure names its case and
// re-runs exactly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { parseScenario } from '../../src/scenario/load-scenario.js';
import { ScenarioError } from '../../src/scenario/scenario-error.js';
import { Prng } from '../../src/sim/prng.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const FILES = ['cold-start.yaml', 'restart-under-load.yaml'];
const CASES = 300;

type Json = unknown;

const ATOMS: Json[] = [0, -1, 1.5, 1e12, '', 'x', '10m', '1.20', 'crash', 'kubelet/node-1', true, false, null, [], {}, ['a'], { a: 1 }, 'True', '__proto__'];

function pick<T>(prng: Prng, items: readonly T[]): T {
  return items[prng.int(items.length)];
}

function randomString(prng: Prng): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-_./: {}[]#&*!|>\'"%@`\\\n\t';
  return Array.from({ length: prng.int(12) }, () => alphabet[prng.int(alphabet.length)]).join('');
}

/** Every (container, key) in the tree, in a defined order. */
function slots(value: Json, out: { parent: Record<string, Json> | Json[]; key: string | number }[] = []): typeof out {
  if (Array.isArray(value)) value.forEach((item, i) => { out.push({ parent: value, key: i }); slots(item, out); });
  else if (typeof value === 'object' && value !== null) {
    for (const [k, item] of Object.entries(value)) { out.push({ parent: value as Record<string, Json>, key: k }); slots(item, out); }
  }
  return out;
}

function mutateTree(prng: Prng, tree: Json): string {
  const all = slots(tree);
  const rounds = 1 + prng.int(3);
  for (let r = 0; r < rounds && all.length > 0; r++) {
    const slot = pick(prng, all);
    const parent = slot.parent as Record<string | number, Json>;
    switch (prng.int(6)) {
      case 0: // delete
        if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
        else delete parent[slot.key];
        break;
      case 1: // change type
        parent[slot.key] = structuredClone(pick(prng, ATOMS));
        break;
      case 2: { // swap with another value
        const other = pick(prng, all);
        const a = parent[slot.key];
        (parent as Record<string | number, Json>)[slot.key] = (other.parent as Record<string | number, Json>)[other.key];
        (other.parent as Record<string | number, Json>)[other.key] = a;
        break;
      }
      case 3: // random string
        parent[slot.key] = randomString(prng);
        break;
      case 4: // unknown or misspelt key
        if (!Array.isArray(slot.parent)) parent[`${String(slot.key).slice(0, -1)}${randomString(prng).slice(0, 1)}`] = parent[slot.key];
        break;
      default: // a number where a string was, or the reverse
        parent[slot.key] = typeof parent[slot.key] === 'number' ? String(parent[slot.key]) : prng.int(1000);
    }
  }
  try {
    return stringify(tree);
  } catch {
    return '{}'; // a cycle from a swap of a value into itself: not a text a person could write
  }
}

function mutateText(prng: Prng, text: string): string {
  const at = prng.int(text.length + 1);
  switch (prng.int(3)) {
    case 0: return text.slice(0, at);
    case 1: return `${text.slice(0, at)}${randomString(prng)}${text.slice(at)}`;
    default: {
      const lines = text.split('\n');
      lines.splice(prng.int(lines.length), 1 + prng.int(3));
      return lines.join('\n');
    }
  }
}

t.test('random mutations of valid scenarios load or throw ScenarioError, never anything else', (t) => {
  const prng = new Prng('loader-property');
  const texts = FILES.map((f) => ({ file: join(FIXTURES, f), text: readFileSync(join(FIXTURES, f), 'utf8') }));
  let loaded = 0;
  let rejected = 0;
  for (let i = 0; i < CASES; i++) {
    const { file, text } = pick(prng, texts);
    const mutated = prng.int(2) === 0 ? mutateTree(prng, parse(text)) : mutateText(prng, text);
    try {
      parseScenario(mutated, { file });
      loaded++;
    } catch (error) {
      if (!(error instanceof ScenarioError)) {
        t.fail(`case ${i}: ${(error as Error).stack}\n--- input ---\n${mutated}`);
        continue;
      }
      rejected++;
      const lineCount = mutated.split('\n').length;
      const bad = error.issues.filter((issue) => issue.message === '' || (issue.file === file && issue.line !== undefined && (issue.line < 1 || issue.line > lineCount)));
      if (bad.length > 0) t.fail(`case ${i}: issue without a message or outside the file: ${JSON.stringify(bad)}`);
      if (error.issues.length === 0) t.fail(`case ${i}: ScenarioError without issues`);
    }
  }
  t.equal(loaded + rejected, CASES, `${loaded} loaded, ${rejected} rejected`);
  t.ok(rejected > CASES / 2, 'most mutations are rejected (the mutations do reach the checks)');
  t.ok(loaded > 0, 'some mutations still load (the fixtures are valid and mutations are not all fatal)');
  t.end();
});
