/**
 * e2e harness: build the console once, start a sandbox and `next start` on free ports, launch Chromium as a
 * server the test files connect to, and tear everything down at the end (in reverse order, even on failure).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import type { TestProject } from "vitest/node";
import { CHROMIUM_ARGS, chromiumPath } from "./support/browser";
import { buildApp, startConsole } from "./support/next-server";
import { freePort } from "./support/ports";
import { startSandboxProcess } from "./support/sandbox-process";
import "./support/provided";

const REGIONS = "us-east-1,eu-west-1";

export default async function setup(project: TestProject) {
  const cleanup: (() => Promise<void>)[] = [];
  const teardown = async () => {
    for (const fn of cleanup.reverse()) await fn().catch((e: unknown) => console.error("e2e teardown:", e));
  };
  try {
    await buildApp();

    const sandbox = await startSandboxProcess(await freePort(), REGIONS);
    cleanup.push(() => sandbox.stop());

    // A database of its own: nothing a developer's demo left in .data/ leaks into the tests.
    const dataDir = mkdtempSync(path.join(tmpdir(), "fleetscope-e2e-"));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const app = await startConsole(await freePort(), {
      FLEETSCOPE_DATABASE_URL: `file:${dataDir}/fleetscope.db`,
      FLEETSCOPE_LOGIN_TOKEN_FILE: `${dataDir}/login-token`,
      // As the demo runs it (scripts/demo.ts): a week of the fleet takes the sandbox minutes to scan.
      FLEETSCOPE_ADVISOR_DAYS: "1",
      // The sandbox has no control-plane quota to spare for: let the collector read the inventory's details fast.
      FLEETSCOPE_COLLECTOR_LAMBDA_RPS: "10",
      AWS_ENDPOINT_URL: sandbox.url,
      FLEETSCOPE_REGIONS: REGIONS,
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_PROFILE: "",
    });
    cleanup.push(() => app.stop());

    const browser = await chromium.launchServer({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    cleanup.push(() => browser.close());

    project.provide("consoleUrl", app.url);
    project.provide("sandboxUrl", sandbox.url);
    project.provide("browserWsEndpoint", browser.wsEndpoint());
    project.provide("regions", REGIONS);
  } catch (e) {
    await teardown();
    throw e;
  }
  return teardown;
}
