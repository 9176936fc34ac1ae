import { describe, expect, it } from "vitest";
import { parseAccountId, parseRoleArn, roleArnIn } from "@/lib/core/accounts";
import { isFleetscopeError } from "@/lib/core/errors";

const failure = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a failure");
};

describe("parseRoleArn", () => {
  it("splits a role ARN into partition, account and name", () => {
    expect(parseRoleArn("arn:aws:iam::123456789012:role/fleetscope")).toEqual({
      arn: "arn:aws:iam::123456789012:role/fleetscope",
      partition: "aws",
      accountId: "123456789012",
      roleName: "fleetscope",
    });
  });

  it("keeps the path out of the role name and accepts the other partitions", () => {
    const r = parseRoleArn("arn:aws-cn:iam::000000000001:role/ops/readers/fleet+scope=a,b.c@d-e_f");
    expect([r.partition, r.accountId, r.roleName]).toEqual([
      "aws-cn",
      "000000000001",
      "fleet+scope=a,b.c@d-e_f",
    ]);
    expect(parseRoleArn("arn:aws-us-gov:iam::123456789012:role/x").partition).toBe("aws-us-gov");
  });

  it.each([
    ["arn:aws:iam::12345:role/x", "the account must be 12 digits"],
    ["arn:aws:iam::123456789012:user/x", 'the resource must be role/<name>, got "user/x"'],
    ["arn:aws:sts::123456789012:role/x", 'the service must be iam, got "sts"'],
    ["arn:aws:iam:us-east-1:123456789012:role/x", 'IAM ARNs have no region, got "us-east-1"'],
    [
      "arn:azure:iam::123456789012:role/x",
      'the partition must be one of aws, aws-cn, aws-us-gov, got "azure"',
    ],
    [
      "arn:aws:iam::123456789012:role/",
      'the role name must be 1 to 64 of letters, digits and +=,.@_-, got ""',
    ],
    [`arn:aws:iam::123456789012:role/${"a".repeat(65)}`, "the role name must be 1 to 64"],
    [
      "arn:aws:iam::123456789012:role/has space",
      'the role name must be 1 to 64 of letters, digits and +=,.@_-, got "has space"',
    ],
    ["arn:aws:iam::123456789012:role/a//b", "the role path must be segments"],
    ["123456789012", "expected arn:<partition>:iam::<account>:role/<name>"],
    ["arn:aws:iam::123456789012:role/x:y", "expected arn:<partition>:iam::<account>:role/<name>"],
  ])("refuses %s: %s", (raw, why) => {
    const e = failure(() => parseRoleArn(raw));
    expect(isFleetscopeError(e) && e.code).toBe("InvalidInput");
    expect((e as Error).message).toContain(`"${raw}" is not a role ARN: ${why}`);
  });
});

describe("roleArnIn", () => {
  const account = parseAccountId("210987654321");

  it("builds the ARN of a role in an account", () => {
    expect(roleArnIn("aws", account, "OrganizationAccountAccessRole")).toBe(
      "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole",
    );
    expect(roleArnIn("aws-cn", account, "team/fleetscope")).toBe(
      "arn:aws-cn:iam::210987654321:role/team/fleetscope",
    );
  });

  it("refuses a bad partition or role name, naming the ARN it would have built", () => {
    expect(() => roleArnIn("aws-mars", account, "x")).toThrow(
      /"arn:aws-mars:iam::210987654321:role\/x" is not a role ARN/,
    );
    expect(() => roleArnIn("aws", account, "bad name")).toThrow(/the role name must be/);
  });
});
