/**
 * What the traffic use-cases need from the outside world, injected so the integration tests can point them at
 * a sandbox and an in-memory store. `defaultTrafficDeps()` wires the real adapters and the process store.
 * Every port is per account-region (a Scope): an alias is read and changed with its own account's credentials
 * (that account's role), never the console's own unless it is the home account.
 */
import type { AlarmPort } from "@/lib/aws/cloudwatch-alarms";
import type { CloudWatchPort } from "@/lib/aws/cloudwatch";
import type { LambdaPort } from "@/lib/aws/lambda";
import type { LogsPort } from "@/lib/aws/logs";
import type { AccountTarget } from "@/lib/core/accounts/target";
import type { Scope } from "@/lib/core/accounts/scope";
import type { Store } from "@/lib/store";

export interface TrafficDeps {
  lambda: (scope: Scope) => LambdaPort;
  cloudwatch: (scope: Scope) => CloudWatchPort;
  alarms: (scope: Scope) => AlarmPort;
  /** Logs Insights, for per-version cold starts (no metric has them). */
  logs: (scope: Scope) => LogsPort;
  store: Store;
  now: () => number;
  regions: readonly string[];
  /** The accounts the console reads, the default one (home, else the first) first. */
  accounts: readonly AccountTarget[];
  /**
   * Why `accounts` is empty when the targets could not be read (e.g. GetCallerIdentity failed): thrown by the
   * first use of an account, so input is still validated first and the error says what failed.
   */
  accountsError?: unknown;
  readOnly: boolean;
}
