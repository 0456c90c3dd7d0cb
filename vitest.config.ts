import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "web/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // One PostgreSQL cluster for the run (skipped, with one line saying why, without its binaries).
    globalSetup: ["src/store/sql/dialects/postgres/test-support/global-setup.ts"],
  },
});
