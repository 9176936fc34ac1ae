/**
 * How close one function sits to Lambda's hard limits, as bars for the function page. Limits from the AWS
 * Lambda quotas page (docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 *
 * The API reports only zipped sizes (CodeSize, Layer CodeSize), while the 250 MB limit applies unzipped; the
 * zipped sum is a lower bound on the unzipped size, and the row says so instead of guessing a ratio.
 */
import type { AccountSettings, FunctionConfig } from "@/lib/core/lambda/types";

export const LAMBDA_LIMITS = {
  zippedPackageBytes: 50 * 1024 * 1024,
  unzippedWithLayersBytes: 250 * 1024 * 1024,
  envVarsBytes: 4 * 1024,
  timeoutSeconds: 900,
  memoryMb: 10_240,
  ephemeralStorageMb: 10_240,
} as const;

export type LimitUnit = "bytes" | "seconds" | "mb" | "count";

export interface LimitUsage {
  id: string;
  label: string;
  used: number;
  limit: number;
  unit: LimitUnit;
  /** used / limit, not clamped: above 1 means over the limit. */
  ratio: number;
  note?: string;
}

const usage = (u: Omit<LimitUsage, "ratio">): LimitUsage => ({
  ...u,
  ratio: u.limit > 0 ? u.used / u.limit : 0,
});

export function functionLimits(
  config: FunctionConfig,
  reservedConcurrency: number | null,
  account: AccountSettings | null,
): LimitUsage[] {
  const rows: LimitUsage[] = [];
  if (config.packageType === "Zip") {
    const layersBytes = config.layers.reduce((sum, l) => sum + l.codeSize, 0);
    rows.push(
      usage({
        id: "package-zipped",
        label: "Deployment package (zipped)",
        used: config.codeSize,
        limit: LAMBDA_LIMITS.zippedPackageBytes,
        unit: "bytes",
      }),
      usage({
        id: "code-and-layers",
        label: "Code + layers",
        used: config.codeSize + layersBytes,
        limit: LAMBDA_LIMITS.unzippedWithLayersBytes,
        unit: "bytes",
        note: "Zipped sizes against the unzipped limit: the real unzipped size is larger.",
      }),
    );
  }
  rows.push(
    usage({
      id: "env-vars",
      label: "Environment variables",
      used: config.envVarsSize,
      limit: LAMBDA_LIMITS.envVarsBytes,
      unit: "bytes",
    }),
    usage({
      id: "timeout",
      label: "Timeout",
      used: config.timeout,
      limit: LAMBDA_LIMITS.timeoutSeconds,
      unit: "seconds",
    }),
    usage({ id: "memory", label: "Memory", used: config.memory, limit: LAMBDA_LIMITS.memoryMb, unit: "mb" }),
    usage({
      id: "ephemeral-storage",
      label: "Ephemeral storage (/tmp)",
      used: config.ephemeralStorage,
      limit: LAMBDA_LIMITS.ephemeralStorageMb,
      unit: "mb",
    }),
  );
  if (reservedConcurrency !== null && account && account.concurrentExecutions > 0) {
    rows.push(
      usage({
        id: "reserved-concurrency",
        label: "Reserved concurrency (of account)",
        used: reservedConcurrency,
        limit: account.concurrentExecutions,
        unit: "count",
      }),
    );
  }
  if (account && account.codeSizeLimit > 0) {
    rows.push(
      usage({
        id: "account-code-storage",
        label: "Account code storage (region)",
        used: account.totalCodeSize,
        limit: account.codeSizeLimit,
        unit: "bytes",
      }),
    );
  }
  return rows;
}
