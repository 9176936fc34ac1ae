/** The multi-account variables (issue 17) as parseEnv reads them: env().accounts, and one error for all. */
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env-schema";
import { isFleetscopeError } from "@/lib/core/errors";

const failure = (raw: Record<string, string>) => {
  try {
    parseEnv(raw);
  } catch (e) {
    return e;
  }
  throw new Error("expected parseEnv to throw");
};

const ROLE = "arn:aws:iam::111111111111:role/fleetscope";

describe("parseEnv: accounts", () => {
  it("defaults to the console's own account, session name fleetscope, no monitoring account", () => {
    expect(parseEnv({}).accounts).toEqual({
      mode: "single",
      roles: [],
      organizationRoleName: null,
      filter: { include: [], exclude: [] },
      externalId: null,
      sessionName: "fleetscope",
      monitoringAccount: false,
    });
  });

  it("reads roles, external ID, session name and the monitoring flag", () => {
    const a = parseEnv({
      FLEETSCOPE_ACCOUNT_ROLES: `${ROLE} arn:aws:iam::222222222222:role/fleetscope`,
      FLEETSCOPE_ROLE_EXTERNAL_ID: "shared-secret-1",
      FLEETSCOPE_ROLE_SESSION_NAME: "fleetscope-prod",
      FLEETSCOPE_ACCOUNTS_EXCLUDE: "222222222222",
      FLEETSCOPE_MONITORING_ACCOUNT: "true",
    }).accounts;
    expect(a.mode).toBe("roles");
    expect(a.roles.map((r) => r.arn)).toEqual([ROLE, "arn:aws:iam::222222222222:role/fleetscope"]);
    expect([a.externalId, a.sessionName, a.monitoringAccount]).toEqual([
      "shared-secret-1",
      "fleetscope-prod",
      true,
    ]);
    expect(a.filter).toEqual({ include: [], exclude: ["222222222222"] });
  });

  it("reads Organizations discovery", () => {
    const a = parseEnv({ FLEETSCOPE_ORGANIZATION_ROLE_NAME: "OrganizationAccountAccessRole" }).accounts;
    expect([a.mode, a.organizationRoleName]).toEqual(["organization", "OrganizationAccountAccessRole"]);
  });

  it("treats empty variables as unset, like the rest of the environment", () => {
    expect(parseEnv({ FLEETSCOPE_ACCOUNT_ROLES: "", FLEETSCOPE_ROLE_SESSION_NAME: "" }).accounts.mode).toBe(
      "single",
    );
  });

  it("lists every bad variable in one InvalidInput, with the other variables' problems", () => {
    const e = failure({
      FLEETSCOPE_REGIONS: "mars-1",
      FLEETSCOPE_ACCOUNT_ROLES: "arn:aws:iam::12345:role/x",
      FLEETSCOPE_ORGANIZATION_ROLE_NAME: "OrganizationAccountAccessRole",
      FLEETSCOPE_ACCOUNTS_INCLUDE: "99",
      FLEETSCOPE_ROLE_EXTERNAL_ID: "?",
      FLEETSCOPE_ROLE_SESSION_NAME: "a",
      FLEETSCOPE_MONITORING_ACCOUNT: "maybe",
    });
    expect(isFleetscopeError(e) && e.code).toBe("InvalidInput");
    const message = (e as Error).message;
    expect(message).toMatch(/FLEETSCOPE_REGIONS: not AWS region names: mars-1/);
    expect(message).toContain(
      'FLEETSCOPE_ACCOUNT_ROLES: "arn:aws:iam::12345:role/x" is not a role ARN: the account must be 12 digits',
    );
    expect(message).toContain(
      "FLEETSCOPE_ORGANIZATION_ROLE_NAME: cannot be set together with FLEETSCOPE_ACCOUNT_ROLES",
    );
    expect(message).toContain(
      'FLEETSCOPE_ACCOUNTS_INCLUDE: "99" looks like an account id but is not 12 digits',
    );
    expect(message).toContain('FLEETSCOPE_ROLE_EXTERNAL_ID: "?" is not a valid external ID');
    expect(message).toContain('FLEETSCOPE_ROLE_SESSION_NAME: "a" is not a valid role session name');
    expect(message).toContain("FLEETSCOPE_MONITORING_ACCOUNT");
    expect((e as { details?: { variables?: string[] } }).details?.variables).toEqual(
      expect.arrayContaining([
        "FLEETSCOPE_REGIONS",
        "FLEETSCOPE_ACCOUNT_ROLES",
        "FLEETSCOPE_ORGANIZATION_ROLE_NAME",
        "FLEETSCOPE_ACCOUNTS_INCLUDE",
        "FLEETSCOPE_ROLE_EXTERNAL_ID",
        "FLEETSCOPE_ROLE_SESSION_NAME",
        "FLEETSCOPE_MONITORING_ACCOUNT",
      ]),
    );
  });

  it("reports account problems even when every other variable is fine", () => {
    const message = (failure({ FLEETSCOPE_ACCOUNTS_INCLUDE: "prod-*" }) as Error).message;
    expect(message).toBe(
      "Invalid environment:\n  FLEETSCOPE_ACCOUNTS_INCLUDE: applies only with FLEETSCOPE_ACCOUNT_ROLES or FLEETSCOPE_ORGANIZATION_ROLE_NAME, and neither is set",
    );
  });
});
