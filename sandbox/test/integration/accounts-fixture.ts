/** A small three-account sandbox for the multi-account tests: management, member-1, and member-2 whose role denies. */
import { accountIdFor, type SandboxAccountSpec, type SandboxOptions } from "../../src/index";
import { TEST_NOW } from "../support/sandbox";

/** A long-term access key of member-2 (seed 7 + 2000 · index 2 by default). */
export const MEMBER_2_KEY = "AKIAMEMBER2EXAMPLE";
export const EXTERNAL_ID = "fleetscope-ext-42";

export const THREE_ACCOUNTS: SandboxAccountSpec[] = [
  { name: "management" },
  {
    name: "member-1",
    functionsPerRegion: 6,
    concurrentExecutions: 250,
    roles: [
      { name: "fleetscope" },
      { name: "audited", externalId: EXTERNAL_ID },
      { name: "long-sessions", maxSessionSeconds: 7200 },
    ],
  },
  {
    name: "member-2",
    roles: [{ name: "fleetscope", deny: true }, { name: "OrganizationAccountAccessRole" }],
  },
];

/** Options for a quick sandbox (5 functions, one region) whose clock the test moves. */
export function threeAccountOptions(clock: { now: number } = { now: TEST_NOW }): SandboxOptions {
  return {
    port: 0,
    seed: 7,
    functionsPerRegion: 5,
    regions: ["us-east-1"],
    now: () => clock.now,
    accounts: THREE_ACCOUNTS,
    accessKeys: { [MEMBER_2_KEY]: accountIdFor(7 + 2000) },
  };
}

/** The dummy long-term credentials the tests sign with: they act in the management account. */
export const BASE_CREDENTIALS = { accessKeyId: "fleetscope", secretAccessKey: "sandbox" };
