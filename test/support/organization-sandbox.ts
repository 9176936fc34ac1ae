/**
 * A sandbox organization of three accounts for the multi-account tests: management (read with the console's own
 * credentials), member-1 and member-2 (read through their `fleetscope` role; member-2's may deny every
 * AssumeRole), discovered the way the console discovers them (Organizations ListAccounts, then AssumeRole over
 * HTTP), and a long-term key of member-1 for the `aws` CLI, an independent client of that account.
 *
 * The console's adapters read the process's env once, on first use: start() points it at this sandbox with no
 * developer credentials, and close() puts it back.
 */
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { metricListFor } from "@/lib/aws/cloudwatch-list-metrics";
import { lambdaFor } from "@/lib/aws/lambda";
import { DEFAULT_TIMING, logsFor } from "@/lib/aws/logs";
import { listOrganizationAccounts } from "@/lib/aws/organizations";
import { getCallerIdentity } from "@/lib/aws/sts";
import type { RegionPorts } from "@/lib/collector/region";
import { parseEnv } from "@/lib/config/env-schema";
import type { AccountTarget } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { createAccountChecks, type AccountChecks } from "@/lib/data/accounts";
import type { Sandbox } from "@fleetscope/sandbox";
import { startTestSandbox } from "@fleetscope/sandbox/testing/sandbox";

export const ORG_IDS = ["111111111111", "222222222222", "333333333333"] as const;
/** A long-term key of member-1: the sandbox signs the CLI's calls with it as that account. */
export const MEMBER_KEY = "AKIAMEMBERONEEXAMPLE";

/** The console's adapters for one account-region through `target`, as the collector's runtime builds them. */
export function portsThrough(scope: Scope, target: AccountTarget): RegionPorts {
  return {
    lambda: lambdaFor(scope.region, target),
    cloudwatch: cloudWatchFor(scope.region, target),
    metricList: metricListFor(scope.region, target),
    // The sandbox completes a query on its second poll: poll quickly.
    logs: logsFor(scope.region, { ...DEFAULT_TIMING, firstPollMs: 20 }, target),
  };
}

export interface OrganizationSandbox {
  sandbox: Sandbox;
  region: string;
  /** The accounts as the console decided them, in the organization's order. */
  targets: AccountTarget[];
  checks: AccountChecks;
  management: AccountTarget;
  member: AccountTarget;
  /** member-2: its role denies every AssumeRole when `denySecondMember`. */
  second: AccountTarget;
  scopeOf(t: AccountTarget): Scope;
  /** The console's adapters for one account-region, as the collector's runtime builds them. */
  portsFor(scope: Scope): RegionPorts;
  /** The CLI options that sign as `t` (the default key is the management account's). */
  cliAs(t: AccountTarget): { env: Record<string, string> } | undefined;
  close(): Promise<void>;
}

export async function startOrganizationSandbox(options: {
  now: () => number;
  region?: string;
  functionsPerRegion: number;
  denySecondMember: boolean;
  /** More console variables for this file (e.g. FLEETSCOPE_AWS_MAX_ATTEMPTS). */
  env?: Record<string, string>;
}): Promise<OrganizationSandbox> {
  const region = options.region ?? "us-east-1";
  const env = {
    FLEETSCOPE_REGIONS: region,
    FLEETSCOPE_ORGANIZATION_ROLE_NAME: "fleetscope",
    AWS_ACCESS_KEY_ID: "",
    AWS_SECRET_ACCESS_KEY: "",
    AWS_SESSION_TOKEN: "",
    AWS_PROFILE: "",
    ...options.env,
  };
  const saved = Object.fromEntries(
    [...Object.keys(env), "AWS_ENDPOINT_URL"].map((k) => [k, process.env[k]] as const),
  );
  const restore = () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  const sandbox = await startTestSandbox({
    // STS stamps Expiration on the sandbox clock and the SDK renews against the real one: a test's clock starts
    // at the real time and moves ahead of it by less than a session's hour.
    now: options.now,
    regions: [region],
    functionsPerRegion: options.functionsPerRegion,
    accounts: [
      { id: ORG_IDS[0], name: "management" },
      { id: ORG_IDS[1], name: "member-1" },
      {
        id: ORG_IDS[2],
        name: "member-2",
        // Its OrganizationAccountAccessRole never denies: the account can be reached once the console uses it.
        roles: [
          { name: "fleetscope", deny: options.denySecondMember },
          { name: "OrganizationAccountAccessRole" },
        ],
      },
    ],
    accessKeys: { [MEMBER_KEY]: ORG_IDS[1] },
  });
  try {
    Object.assign(process.env, env, { AWS_ENDPOINT_URL: sandbox.url });
    const checks = createAccountChecks({
      config: parseEnv({ ...env, AWS_ENDPOINT_URL: sandbox.url }).accounts,
      callerIdentity: getCallerIdentity,
      organizationAccounts: listOrganizationAccounts,
    });
    const targets = await checks.targets();
    const byId = (id: string) => {
      const t = targets.find((x) => x.id === id);
      if (!t) throw new Error(`account ${id} is not among the targets`);
      return t;
    };
    const [management, member, second] = ORG_IDS.map(byId) as [AccountTarget, AccountTarget, AccountTarget];
    return {
      sandbox,
      region,
      targets,
      checks,
      management,
      member,
      second,
      scopeOf: (t) => ({ account: t.id, region }),
      portsFor: (scope) => portsThrough(scope, byId(scope.account)),
      cliAs: (t) => (t.id === member.id ? { env: { AWS_ACCESS_KEY_ID: MEMBER_KEY } } : undefined),
      close: async () => {
        restore();
        await sandbox.close();
      },
    };
  } catch (e) {
    restore();
    await sandbox.close();
    throw e;
  }
}
