import { defineConfig } from "vitest/config";

/**
 * One Vitest run for the whole monorepo. Workspace packages are consumed from source through the
 * `@lakesync/source` export condition, so tests never need a build.
 */
const conditions = ["@lakesync/source", "node", "import", "default"];
/** No `module`: it selects bundler-only builds (extensionless ESM) that Node cannot load. */
const externalConditions = conditions;

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions } },
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
