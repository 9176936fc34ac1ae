/** Organizations through @aws-sdk/client-organizations over HTTP: the accounts of the sandbox's organization. */
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
  paginateListAccounts,
  type Account,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/index";
import { BASE_CREDENTIALS, threeAccountOptions } from "./accounts-fixture";
import { TEST_NOW } from "../support/sandbox";

type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
let sb: Sandbox;
let single: Sandbox;

const orgs = (url: string, credentials: Keys = BASE_CREDENTIALS, region = "us-east-1") =>
  new OrganizationsClient({ endpoint: url, region, credentials, maxAttempts: 1 });

async function failure(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sb = await startSandbox(threeAccountOptions());
  single = await startSandbox({
    port: 0,
    functionsPerRegion: 5,
    regions: ["us-east-1"],
    now: () => TEST_NOW,
  });
});
afterAll(async () => {
  await Promise.all([sb.close(), single.close()]);
});

describe("ListAccounts", () => {
  it("pages one account at a time to every account, management first", async () => {
    const seen: Account[] = [];
    let pages = 0;
    for await (const page of paginateListAccounts({ client: orgs(sb.url), pageSize: 1 }, {})) {
      expect(page.Accounts?.length).toBeLessThanOrEqual(1);
      seen.push(...(page.Accounts ?? []));
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen.map((a) => a.Id)).toEqual(sb.accounts.map((a) => a.accountId));
    expect(seen.map((a) => a.Name)).toEqual(["management", "member-1", "member-2"]);
    for (const a of seen) {
      expect(a.Status).toBe("ACTIVE");
      expect(a.Arn).toMatch(
        new RegExp(`^arn:aws:organizations::${sb.account.accountId}:account/o-[a-z0-9]{10}/${a.Id}$`),
      );
      expect(a.JoinedTimestamp).toBeInstanceOf(Date);
      expect(a.JoinedTimestamp?.getTime()).toBeLessThan(TEST_NOW);
    }
  });

  it("answers in any signing region (Organizations is global) and refuses MaxResults above 20", async () => {
    const all = await orgs(sb.url, BASE_CREDENTIALS, "eu-central-1").send(new ListAccountsCommand({}));
    expect(all.Accounts).toHaveLength(3);
    expect(all.NextToken).toBeUndefined();
    const err = await failure(orgs(sb.url).send(new ListAccountsCommand({ MaxResults: 21 })));
    expect(err.name).toBe("InvalidInputException");
    const badToken = await failure(orgs(sb.url).send(new ListAccountsCommand({ NextToken: "bm9wZQ==" })));
    expect(badToken.name).toBe("InvalidInputException");
  });

  it("is refused to a member account with AccessDeniedException", async () => {
    const member = sb.accounts[1]?.accountId ?? "";
    const assumed = await new STSClient({
      endpoint: sb.url,
      region: "us-east-1",
      credentials: BASE_CREDENTIALS,
    }).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${member}:role/fleetscope`, RoleSessionName: "member" }),
    );
    const c = assumed.Credentials;
    const keys = {
      accessKeyId: c?.AccessKeyId ?? "",
      secretAccessKey: c?.SecretAccessKey ?? "",
      sessionToken: c?.SessionToken ?? "",
    };
    const err = await failure(orgs(sb.url, keys).send(new ListAccountsCommand({})));
    expect(err.name).toBe("AccessDeniedException");
    expect(err.status).toBe(403);
    expect(err.message).toContain(member);
    // Any account of the organization may describe it (AWS documents DescribeOrganization so).
    const described = await orgs(sb.url, keys).send(new DescribeOrganizationCommand({}));
    expect(described.Organization?.MasterAccountId).toBe(sb.account.accountId);
  });

  it("fails with AWSOrganizationsNotInUseException in a sandbox started without accounts", async () => {
    const err = await failure(orgs(single.url).send(new ListAccountsCommand({})));
    expect(err.name).toBe("AWSOrganizationsNotInUseException");
    const described = await failure(orgs(single.url).send(new DescribeOrganizationCommand({})));
    expect(described.name).toBe("AWSOrganizationsNotInUseException");
  });
});

describe("DescribeOrganization", () => {
  it("names the management account and the organization id its accounts' ARNs carry", async () => {
    const { Organization: org } = await orgs(sb.url).send(new DescribeOrganizationCommand({}));
    expect(org?.Id).toMatch(/^o-[a-z0-9]{10}$/);
    expect(org?.MasterAccountId).toBe(sb.account.accountId);
    expect(org?.FeatureSet).toBe("ALL");
    const { Accounts } = await orgs(sb.url).send(new ListAccountsCommand({}));
    expect(Accounts?.[0]?.Arn).toBe(org?.MasterAccountArn);
  });
});
