import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests run on the fast untrained fixture unless they name a model; spawned CLIs and
    // servers inherit this environment.
    env: { STUDIO_DEFAULT_MODEL: 'tiny' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One browser and one server at a time: the machine has 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
