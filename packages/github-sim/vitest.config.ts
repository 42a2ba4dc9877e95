import { defineConfig } from 'vitest/config';

// `npm test -w @arm64-ci/github-sim` runs the package alone; the root `npm test` runs these files too.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Loading GitHub's OpenAPI description (tens of MB of JSON) takes seconds on a busy machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
