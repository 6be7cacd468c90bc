import {defineConfig} from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // Report builds take turns (src/cli/build-lock.ts): a test file's build may wait for
    // those of the files running beside it.
    hookTimeout: 900_000,
  },
});
