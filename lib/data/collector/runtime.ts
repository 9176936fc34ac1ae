/**
 * The process's collector with the console's accounts bound: every account accountTargets() decides (re-decided
 * when its cache expires), and rows stored before accounts adopted by the console's own account. The server's start-up
 * hook, `npm run collector` and `npm run advise -- --collect` start it from here (lib/collector cannot reach up to
 * lib/data).
 */
import "server-only";
import {
  collectorFromEnv as collectorWith,
  ensureCollector as ensureCollectorWith,
  type CollectorAccounts,
} from "@/lib/collector/runtime";
import type { Collector } from "@/lib/collector/collector";
import { getCallerIdentity } from "@/lib/aws/sts";
import { accountTargets } from "@/lib/data/accounts";

export const consoleAccounts: CollectorAccounts = {
  targets: accountTargets,
  // Rows from before accounts were read with the console's own credentials: they are its own account's, even when
  // that account is not among those read now (roles mode, or filtered out) — never the first configured one's.
  legacyAccount: async () => (await getCallerIdentity(null)).accountId,
};

export const collectorFromEnv = (): Collector => collectorWith(consoleAccounts);

/** Starts the embedded collector once; null when this deployment runs it elsewhere. */
export const ensureCollector = (): Collector | null => ensureCollectorWith(consoleAccounts);
