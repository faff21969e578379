import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests run on the fast untrained fixture `tiny` unless they name a model; it is listed only
    // with STUDIO_SHOW_FIXTURES=1. Spawned CLIs and servers inherit this environment.
    env: { STUDIO_DEFAULT_MODEL: 'tiny', STUDIO_SHOW_FIXTURES: '1' },
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
