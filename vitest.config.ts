import { defineConfig } from 'vitest/config';

// Three suites: unit (pure logic, fast), integration (real dockerd, sshd, QEMU) and e2e (Chromium through
// browser mode). Integration and e2e files run one at a time: they share one engine and two cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // A page waits for the engine's answers: on a busy CI machine they take seconds, not vitest's 1 s.
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        // Not a test suite: regenerates the README's screenshot (`npm run docs:screenshot`).
        test: { name: 'docs', include: ['test/docs/**/*.test.ts'], environment: 'node', testTimeout: 300_000, hookTimeout: 180_000 },
      },
    ],
  },
});
