import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    // Integration tests spawn the CLI, git and python: give them room on 2-core machines.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
