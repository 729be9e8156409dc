import t from 'tap';
import { ESLint } from 'eslint';

// The lint step is part of `npm test`; this checks that its determinism rules actually fire on
// simulated code and stay quiet where wall time is allowed (the command line, reports).

const ambient = [
  'export const a = Date.now();',
  'export const b = new Date();',
  'export const c = Math.random();',
  'export const d = performance.now();',
  'export const e = process.hrtime();',
  'export const f = crypto.randomUUID();',
  'setTimeout(() => undefined, 1);',
  'setInterval(() => undefined, 1);',
  'setImmediate(() => undefined);',
];

async function lint(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

t.test('every form of ambient time, randomness and timers fails lint in simulated code', async (t) => {
  for (const line of ambient) {
    const rules = await lint(line + '\n', 'src/sim/lint-canary.ts');
    t.ok(rules.some((r) => r.startsWith('no-restricted')), `${line} → ${rules.join(', ') || 'no error'}`);
  }
});

t.test('the command line may read wall time', async (t) => {
  const rules = await lint('export const a = Date.now();\n', 'src/cli/lint-canary.ts');
  t.same(rules.filter((r) => r.startsWith('no-restricted')), []);
});

t.test('a floating promise fails lint', async (t) => {
  const rules = await lint('export async function f(): Promise<void> {}\nf();\n', 'src/sim/lint-canary.ts');
  t.ok(rules.includes('@typescript-eslint/no-floating-promises'), rules.join(', '));
});
