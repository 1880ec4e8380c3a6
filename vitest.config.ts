import { defineConfig } from 'vitest/config';

/**
 * Tests that bound event-loop delay and wall time measure the machine as they run; beside the
 * rest of the suite (parallel forks on two cores) they would measure the other files instead.
 * They run as a second group, after everything else, on their own.
 */
const MEASURES_TIME = ['test/security/bounded-work.test.ts'];

export default defineConfig({
  test: {
    // The local embedder loads a 136 MB vector cache; building it the first time takes ~10 s.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: MEASURES_TIME, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'timing', include: MEASURES_TIME, sequence: { groupOrder: 1 } } },
    ],
  },
});
