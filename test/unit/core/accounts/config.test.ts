import { describe, expect, it } from "vitest";
import { parseAccountsVariables, type AccountsParse, type AccountsVariables } from "@/lib/core/accounts";

const A = "arn:aws:iam::111111111111:role/fleetscope";
const B = "arn:aws:iam::222222222222:role/team/fleetscope";

const ok = (v: AccountsVariables) => {
  const r = parseAccountsVariables(v);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.variable}: ${p.message}`).join("; "));
  return r.config;
};
const problems = (v: AccountsVariables) => {
  const r: AccountsParse = parseAccountsVariables(v);
  if (r.ok) throw new Error("expected problems");
  return r.problems;
};

describe("parseAccountsVariables", () => {
  it("is single-account with nothing set", () => {
    expect(ok({})).toEqual({
      mode: "single",
      roles: [],
      organizationRoleName: null,
      filter: { include: [], exclude: [] },
      externalId: null,
      sessionName: "fleetscope",
    });
  });

  it("reads role ARNs separated by commas, spaces or newlines", () => {
    const c = ok({ FLEETSCOPE_ACCOUNT_ROLES: `${A},\n  ${B} ,` });
    expect(c.mode).toBe("roles");
    expect(c.roles.map((r) => [r.accountId, r.roleName])).toEqual([
      ["111111111111", "fleetscope"],
      ["222222222222", "fleetscope"],
    ]);
  });

  it("names every bad ARN and refuses two roles in one account", () => {
    const p = problems({
      FLEETSCOPE_ACCOUNT_ROLES: `${A} arn:aws:iam::12345:role/x arn:aws:iam::111111111111:role/other`,
    });
    expect(p).toEqual([
      {
        variable: "FLEETSCOPE_ACCOUNT_ROLES",
        message: '"arn:aws:iam::12345:role/x" is not a role ARN: the account must be 12 digits',
      },
      {
        variable: "FLEETSCOPE_ACCOUNT_ROLES",
        message: `account 111111111111 is listed twice ("${A}" and "arn:aws:iam::111111111111:role/other"): give one role per account`,
      },
    ]);
  });

  it("refuses roles in two partitions and a list with no ARN", () => {
    expect(
      problems({ FLEETSCOPE_ACCOUNT_ROLES: `${A} arn:aws-cn:iam::222222222222:role/x` })[0]?.message,
    ).toMatch(/mixes partitions \(aws, aws-cn\)/);
    expect(problems({ FLEETSCOPE_ACCOUNT_ROLES: " , " })[0]).toEqual({
      variable: "FLEETSCOPE_ACCOUNT_ROLES",
      message: "lists no role ARN",
    });
  });

  it("enables Organizations discovery with a role name, and refuses a bad name or both modes", () => {
    const c = ok({ FLEETSCOPE_ORGANIZATION_ROLE_NAME: "OrganizationAccountAccessRole" });
    expect([c.mode, c.organizationRoleName, c.roles]).toEqual([
      "organization",
      "OrganizationAccountAccessRole",
      [],
    ]);
    expect(problems({ FLEETSCOPE_ORGANIZATION_ROLE_NAME: "no spaces" })).toEqual([
      {
        variable: "FLEETSCOPE_ORGANIZATION_ROLE_NAME",
        message: '"no spaces" is not an IAM role name: 1 to 64 of letters, digits and +=,.@_-',
      },
    ]);
    expect(problems({ FLEETSCOPE_ORGANIZATION_ROLE_NAME: "r", FLEETSCOPE_ACCOUNT_ROLES: A })).toEqual([
      {
        variable: "FLEETSCOPE_ORGANIZATION_ROLE_NAME",
        message:
          "cannot be set together with FLEETSCOPE_ACCOUNT_ROLES: choose Organizations discovery or a list of roles",
      },
    ]);
  });

  it("reads include and exclude filters split on commas only (names hold spaces)", () => {
    const c = ok({
      FLEETSCOPE_ORGANIZATION_ROLE_NAME: "fleetscope",
      FLEETSCOPE_ACCOUNTS_INCLUDE: "Prod Account *, 333333333333",
      FLEETSCOPE_ACCOUNTS_EXCLUDE: "*sandbox*",
    });
    expect(c.filter).toEqual({ include: ["Prod Account *", "333333333333"], exclude: ["*sandbox*"] });
  });

  it("names a bad filter entry with its variable", () => {
    expect(problems({ FLEETSCOPE_ACCOUNT_ROLES: A, FLEETSCOPE_ACCOUNTS_EXCLUDE: "prod, 1234" })).toEqual([
      {
        variable: "FLEETSCOPE_ACCOUNTS_EXCLUDE",
        message: '"1234" looks like an account id but is not 12 digits',
      },
    ]);
  });

  it("takes an external ID and session name within STS's patterns, naming bad ones", () => {
    const c = ok({
      FLEETSCOPE_ACCOUNT_ROLES: A,
      FLEETSCOPE_ROLE_EXTERNAL_ID: "fleet:scope/2026=ok",
      FLEETSCOPE_ROLE_SESSION_NAME: "console@prod",
    });
    expect([c.externalId, c.sessionName]).toEqual(["fleet:scope/2026=ok", "console@prod"]);
    const p = problems({
      FLEETSCOPE_ACCOUNT_ROLES: A,
      FLEETSCOPE_ROLE_EXTERNAL_ID: "x",
      FLEETSCOPE_ROLE_SESSION_NAME: "has/slash",
    });
    expect(p.map((x) => x.variable)).toEqual(["FLEETSCOPE_ROLE_EXTERNAL_ID", "FLEETSCOPE_ROLE_SESSION_NAME"]);
    expect(p[0]?.message).toContain('"x" is not a valid external ID');
    expect(p[1]?.message).toContain('"has/slash" is not a valid role session name');
    expect(
      problems({ FLEETSCOPE_ACCOUNT_ROLES: A, FLEETSCOPE_ROLE_EXTERNAL_ID: "a".repeat(1225) }),
    ).toHaveLength(1);
    expect(
      ok({ FLEETSCOPE_ACCOUNT_ROLES: A, FLEETSCOPE_ROLE_EXTERNAL_ID: "a".repeat(1224) }).externalId,
    ).toHaveLength(1224);
    expect(problems({ FLEETSCOPE_ROLE_SESSION_NAME: "a".repeat(65) })[0]?.variable).toBe(
      "FLEETSCOPE_ROLE_SESSION_NAME",
    );
  });

  it("refuses role-only settings when no account is reached through a role", () => {
    expect(
      problems({
        FLEETSCOPE_ACCOUNTS_INCLUDE: "prod-*",
        FLEETSCOPE_ACCOUNTS_EXCLUDE: "111111111111",
        FLEETSCOPE_ROLE_EXTERNAL_ID: "abc",
      }).map((p) => p.variable),
    ).toEqual(["FLEETSCOPE_ACCOUNTS_INCLUDE", "FLEETSCOPE_ACCOUNTS_EXCLUDE", "FLEETSCOPE_ROLE_EXTERNAL_ID"]);
  });
});
