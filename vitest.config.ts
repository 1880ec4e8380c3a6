import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The local embedder loads a 136 MB vector cache; building it the first time takes ~10 s.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
