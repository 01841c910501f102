import { defineConfig } from 'vitest/config';

// Suites run in forks: the crash tests spawn and SIGKILL real child processes,
// and forks keep a killed child's stdio away from the worker threads. A fork runs file after
// file without re-importing the project (isolate: false): a third of the suite's time was
// spent loading the same modules again. That is safe because no project module keeps state a
// test changes: what tests vary (a broken variant, a seed, a disk) is passed in as an option.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { isolate: false } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
