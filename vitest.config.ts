import { defineConfig } from 'vitest/config';

// Suites run in forks: the crash tests spawn and SIGKILL real child processes,
// and forks keep a killed child's stdio away from the worker threads.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
