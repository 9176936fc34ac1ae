/**
 * The sandbox's own tests: `unit` (the simulator, renderers and query engines in-process) and `integration`
 * (the HTTP endpoint through the AWS SDK and the `aws` CLI). No path alias: the sandbox imports nothing of the
 * console, so its tests reach its code by relative paths only.
 */
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

export const sandboxUnit: TestProjectInlineConfiguration = {
  test: { name: "sandbox-unit", root: __dirname, include: ["test/unit/**/*.test.ts"], environment: "node" },
};

export const sandboxIntegration: TestProjectInlineConfiguration = {
  test: {
    name: "sandbox-integration",
    root: __dirname,
    include: ["test/integration/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
};

export default defineConfig({ test: { projects: [sandboxUnit, sandboxIntegration] } });
