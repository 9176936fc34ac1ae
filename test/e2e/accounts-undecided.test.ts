/**
 * When the accounts themselves cannot be decided — here Organizations discovery against a sandbox that is in no
 * organization (AWSOrganizationsNotInUseException) — every fleet-wide page still renders and says why once,
 * instead of an error page.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectBrowser, type BrowserSession } from "./support/browser";
import { startOwnConsole, type OwnConsole } from "./support/own-console";
import { freePort } from "./support/ports";
import { startSandboxProcess, type RunningSandbox } from "./support/sandbox-process";
import "./support/provided";

let sandbox: RunningSandbox;
let app: OwnConsole;
let session: BrowserSession;

beforeAll(async () => {
  sandbox = await startSandboxProcess(await freePort(), "us-east-1", 7, ["--functions", "3"]);
  app = await startOwnConsole({
    endpoint: sandbox.url,
    name: "accounts-undecided",
    env: {
      FLEETSCOPE_ORGANIZATION_ROLE_NAME: "fleetscope",
      FLEETSCOPE_COLLECTOR: "off",
      FLEETSCOPE_AWS_MAX_ATTEMPTS: "1",
    },
  });
  session = await connectBrowser(app.url);
});

afterAll(async () => {
  await session?.close();
  await app?.close();
  await sandbox?.stop();
});

describe("fleet-wide pages when the accounts cannot be decided", () => {
  it.each(["/", "/advisor", "/errors", "/sources", "/traces", "/map"])(
    "%s renders and names the failed discovery",
    async (path) => {
      const page = await session.open(path);
      const notice = page.getByTestId("accounts-undecided");
      await notice.first().waitFor();
      expect(await notice.first().innerText()).toMatch(/not in an organization|AWSOrganizationsNotInUse/i);
    },
  );
});
