// Lint: type-aware TypeScript rules, no floating promises anywhere, and no ambient
// nondeterminism in simulated code (DESIGN.md, determinism rule 1).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ambient = 'is ambient nondeterminism: simulated code takes time from the simulation clock and randomness from its PRNG streams (DESIGN.md, determinism rule 1)';

export default tseslint.config(
  { ignores: ['dist/**', '.bench-dist/**', 'node_modules/**', '.tap/**', 'coverage/**', 'reports/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        // lint-canary files exist only in the lint rule's own test (test/lint), linted from memory.
        projectService: { allowDefaultProject: ['src/*/lint-canary.ts', 'bin/*.js', 'src/cli/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', {
        // tap tracks the promise of every subtest itself (t.test, t.resolves, t.rejects).
        allowForKnownSafePromises: [{ from: 'package', name: 'PromiseWithSubtest', package: '@tapjs/core' }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['bin/*.js'],
    languageOptions: { globals: { process: 'readonly' } },
  },
  {
    // Simulated code: everything under src/ but the command line, the reports and the real-cluster backends.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/report/**', 'src/backends/kind/**', 'src/backends/cluster/**', 'src/backends/real/**'],
    rules: {
      'no-restricted-globals': ['error',
        { name: 'Date', message: `Date ${ambient}` },
        { name: 'setTimeout', message: `setTimeout ${ambient}` },
        { name: 'setInterval', message: `setInterval ${ambient}` },
        { name: 'setImmediate', message: `setImmediate ${ambient}` },
        { name: 'queueMicrotask', message: `queueMicrotask ${ambient}` },
        { name: 'performance', message: `performance ${ambient}` },
        { name: 'crypto', message: `crypto ${ambient}` },
      ],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: `Math.random ${ambient}` },
        { object: 'process', property: 'hrtime', message: `process.hrtime ${ambient}` },
        { object: 'performance', property: 'now', message: `performance.now ${ambient}` },
        { object: 'crypto', property: 'randomUUID', message: `crypto.randomUUID ${ambient}` },
        { object: 'globalThis', property: 'setTimeout', message: `setTimeout ${ambient}` },
        { object: 'Date', property: 'now', message: `Date.now ${ambient}` },
      ],
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'node:timers', message: `timers ${ambient}` },
          { name: 'timers', message: `timers ${ambient}` },
          { name: 'node:timers/promises', message: `timers ${ambient}` },
          { name: 'node:perf_hooks', message: `perf_hooks ${ambient}` },
          { name: 'node:crypto', importNames: ['randomUUID', 'randomBytes', 'randomInt'], message: `crypto randomness ${ambient}` },
        ],
      }],
    },
  },
);
