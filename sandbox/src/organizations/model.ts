/**
 * The sandbox's organization as Organizations describes it: accounts[0] is the management account, the others
 * members created from it. Ids and ARNs are derived from the management account id, so they are stable per run.
 */
import { createHash } from "node:crypto";
import type { ResolvedAccount } from "../accounts/spec";

export interface OrganizationAccount {
  Id: string;
  Arn: string;
  Email: string;
  Name: string;
  Status: "ACTIVE";
  State: "ACTIVE";
  JoinedMethod: "INVITED" | "CREATED";
  /** Epoch seconds on the wire (awsJson timestamps). */
  JoinedTimestamp: number;
}

const DAY_S = 86_400;

/** `o-` + 10 lowercase alphanumerics, as Organizations ids look. */
export function organizationId(managementId: string): string {
  const hex = createHash("sha256").update(`organization/${managementId}`).digest("hex");
  return `o-${BigInt(`0x${hex.slice(0, 15)}`)
    .toString(36)
    .padStart(10, "0")
    .slice(0, 10)}`;
}

const emailOf = (name: string) => `aws+${name.toLowerCase().replace(/[^a-z0-9.-]/g, "-")}@fleetscope.example`;

export function organizationAccounts(
  accounts: ResolvedAccount[],
  startedAtMs: number,
): OrganizationAccount[] {
  const management = accounts[0]?.id ?? "";
  const org = organizationId(management);
  const base = Math.floor(startedAtMs / 1000) - 400 * DAY_S;
  return accounts.map((a, i) => ({
    Id: a.id,
    Arn: `arn:aws:organizations::${management}:account/${org}/${a.id}`,
    Email: emailOf(a.name),
    Name: a.name,
    Status: "ACTIVE",
    State: "ACTIVE",
    JoinedMethod: i === 0 ? "INVITED" : "CREATED",
    JoinedTimestamp: base + i * DAY_S,
  }));
}

export function describeOrganization(accounts: ResolvedAccount[]) {
  const management = accounts[0];
  const id = management?.id ?? "";
  const org = organizationId(id);
  return {
    Organization: {
      Id: org,
      Arn: `arn:aws:organizations::${id}:organization/${org}`,
      FeatureSet: "ALL",
      MasterAccountArn: `arn:aws:organizations::${id}:account/${org}/${id}`,
      MasterAccountId: id,
      MasterAccountEmail: emailOf(management?.name ?? "management"),
      AvailablePolicyTypes: [],
    },
  };
}
