import { defineConfig } from "vitest/config";

/**
 * One Vitest run for the whole monorepo. Workspace packages are consumed from source through the
 * `@lakesync/source` export condition, so tests never need a build.
 *
 * No `module` (it selects bundler-only builds Node cannot load) and no `import` (CommonJS
 * packages such as pg would then `require()` the ESM build of their dependencies).
 */
const conditions = ["@lakesync/source", "node", "default"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "packages", include: ["packages/*/src/**/__tests__/**/*.test.ts"] },
      },
      {
        // The gateway's suite again over its SQL store (node:sqlite in memory).
        extends: true,
        test: {
          name: "gateway-sql",
          include: ["packages/gateway/src/**/__tests__/**/*.test.ts"],
          env: { GATEWAY_TEST_STORE: "sql" },
        },
      },
      {
        extends: true,
        test: {
          name: "apps",
          include: ["apps/**/src/**/__tests__/**/*.test.ts"],
          exclude: ["**/node_modules/**"],
        },
      },
      {
        extends: true,
        test: { name: "integration", include: ["tests/integration/**/*.test.ts"] },
      },
    ],
  },
});
