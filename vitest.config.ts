import { defineConfig } from "vitest/config";
import path from "node:path";
import { sandboxIntegration, sandboxUnit } from "./sandbox/vitest.config";

// `server-only` throws outside React's server condition; tests run server modules directly.
const alias = {
  "@": path.resolve(__dirname),
  "server-only": path.resolve(__dirname, "node_modules/server-only/empty.js"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      // The sandbox package's own projects (sandbox/vitest.config.ts), so one command runs every test.
      sandboxUnit,
      sandboxIntegration,
      {
        resolve: { alias },
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
      },
      {
        // Component tests live beside their components and assert what a user sees (Testing Library, happy-dom).
        resolve: { alias },
        test: {
          name: "components",
          include: ["components/**/*.test.tsx"],
          environment: "happy-dom",
          setupFiles: ["test/support/component-setup.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          // One PostgreSQL server for the store suites and the team-deployment tests (issue 16).
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
          globalSetup: ["test/e2e/global-setup.ts"],
        },
      },
    ],
  },
});
