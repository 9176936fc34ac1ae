/**
 * Per-version cold starts of one function from Logs Insights over its own log group (LoggingConfig, not an
 * assumed `/aws/lambda/<name>`), in the log format it writes. See lib/core/query/version-cold-starts.ts.
 */
import type { FunctionConfig } from "@/lib/core/lambda/types";
import {
  readVersionColdStarts,
  versionColdStartsQuery,
  type VersionColdStarts,
} from "@/lib/core/query/version-cold-starts";
import { epochMs } from "@/lib/core/units";
import type { Scope } from "@/lib/core/accounts/scope";
import type { TrafficDeps } from "./deps";

/** Insights polls with backoff; past this the panel says so instead of holding up the page. */
const DEADLINE_MS = 20_000;

export async function versionColdStarts(
  deps: Pick<TrafficDeps, "logs">,
  scope: Scope,
  fn: Pick<FunctionConfig, "logGroup" | "logFormat">,
  versions: readonly string[],
  window: { start: number; end: number },
): Promise<VersionColdStarts[]> {
  const result = await deps
    .logs(scope)
    .runInsights(
      versionColdStartsQuery(fn.logFormat),
      [fn.logGroup],
      { start: epochMs(window.start), end: epochMs(window.end) },
      { timeoutMs: DEADLINE_MS },
    );
  return readVersionColdStarts(result.rows, versions);
}
