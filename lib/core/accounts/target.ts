/** The accounts the console reads, each decided before any call to it (lib/data/accounts.ts builds them). */
import type { AccountId } from "./account-id";

/** home: the console's own credentials; role: FLEETSCOPE_ACCOUNT_ROLES; organization: discovered. */
export type AccountSource = "home" | "role" | "organization";

/** One account the console reads, decided before any call to it. */
export interface AccountTarget {
  id: AccountId;
  /** The Organizations name when discovered. */
  name: string | null;
  source: AccountSource;
  /** null: the console's own credentials (its home account). */
  roleArn: string | null;
  externalId: string | null;
  /** OAM: metrics/logs/traces read in the monitoring account with AccountId. */
  telemetry: "direct" | "monitoring-account";
}
