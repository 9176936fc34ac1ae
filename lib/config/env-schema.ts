/**
 * The console's environment, validated once. Pure: takes a plain record (process.env in production, a literal
 * in tests) and returns typed settings or one error that lists every bad variable, so a misconfigured deploy
 * fails at start-up with the whole list instead of one variable per restart.
 *
 * Credentials are deliberately not parsed here: AWS_PROFILE, AWS_ACCESS_KEY_ID, web identity, container and
 * instance roles all stay with the SDK's standard credential chain. We only note whether any is configured, so
 * the sandbox's dummy credentials never shadow a real one.
 */
import { z } from "zod";
import {
  ADVISOR_WINDOW_DAYS,
  isAdvisorWindowDays,
  type AdvisorWindowDays,
} from "@/lib/core/advisor/window-days";
import {
  parseAccountsVariables,
  type AccountsConfig,
  type AccountsVariables,
} from "@/lib/core/accounts/config";
import { FleetscopeError } from "@/lib/core/errors";
import { isRegion } from "@/lib/core/regions";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .default("false")
  .transform((v) => v === "true" || v === "1" || v === "yes");

const regionList = z
  .string()
  .default("us-east-1")
  .transform((raw, ctx) => {
    const regions = [
      ...new Set(
        raw
          .split(",")
          .map((r) => r.trim())
          .filter(Boolean),
      ),
    ];
    const bad = regions.filter((r) => !isRegion(r));
    if (bad.length > 0) ctx.addIssue({ code: "custom", message: `not AWS region names: ${bad.join(", ")}` });
    if (regions.length === 0) ctx.addIssue({ code: "custom", message: "lists no region" });
    return regions;
  });

const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. http://127.0.0.1:4566" })
  .optional();

/**
 * A number written in decimal, within a range the message names with the value given. Not `z.coerce.number()`:
 * `Number()` also takes `0x10`, `1e2` and a blank (as 0), which in a deploy's environment are typos.
 */
const decimalIn = (pattern: RegExp, expected: string, within: (n: number) => boolean, fallback: number) =>
  z
    .string()
    .transform((raw, ctx) => {
      const n = pattern.test(raw.trim()) ? Number(raw) : Number.NaN;
      if (within(n)) return n;
      ctx.addIssue({ code: "custom", message: `must be ${expected}, got "${raw}"` });
      return z.NEVER;
    })
    .default(fallback);

const positiveInt = (fallback: number, max: number, unit = "") =>
  decimalIn(/^\d+$/, `a whole number from 1 to ${max}${unit}`, (n) => n >= 1 && n <= max, fallback);

/** How far back the collector may backfill (14 days); `npm run advise -- --collect` stretches up to it. */
export const MAX_BACKFILL_HOURS = 14 * 24;
/** The collector's share of the ~15 Lambda control-plane requests/s AWS allows per account, deploys included. */
export const MAX_COLLECTOR_LAMBDA_RPS = 10;

const schema = z.object({
  FLEETSCOPE_REGIONS: regionList,
  // Where Lambda@Edge replicas are searched (lib/core/edge/regions.ts); unset: FLEETSCOPE_REGIONS + edge caches.
  FLEETSCOPE_EDGE_REGIONS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return null;
      const parsed = regionList.safeParse(raw);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
      return z.NEVER;
    }),
  AWS_ENDPOINT_URL: httpUrl,
  FLEETSCOPE_READ_ONLY: booleanFlag,
  FLEETSCOPE_AWS_MAX_ATTEMPTS: positiveInt(5, 20),
  FLEETSCOPE_CACHE_TTL_SECONDS: positiveInt(30, 3600),
  // Per AWS call (per attempt): a hung endpoint must fail a panel, not hang it (issue 12).
  FLEETSCOPE_AWS_CONNECT_TIMEOUT_MS: positiveInt(3000, 60_000, " (milliseconds)"),
  FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS: positiveInt(10_000, 300_000, " (milliseconds)"),
  // Traffic shifting (issue 6): store, sessions, sign-in, plan runner.
  FLEETSCOPE_DATABASE_URL: z.string().default("file:.data/fleetscope.db"),
  // PostgreSQL only (issue 16): connections per replica, server-side statement timeout, connect timeout.
  FLEETSCOPE_DATABASE_POOL_SIZE: positiveInt(10, 200),
  FLEETSCOPE_DATABASE_STATEMENT_TIMEOUT_MS: positiveInt(15_000, 600_000, " (milliseconds)"),
  FLEETSCOPE_DATABASE_CONNECT_TIMEOUT_MS: positiveInt(5000, 60_000, " (milliseconds)"),
  FLEETSCOPE_LOGIN_TOKEN_FILE: z.string().default(".data/login-token"),
  FLEETSCOPE_SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  FLEETSCOPE_PUBLIC_URL: httpUrl,
  FLEETSCOPE_OIDC_ISSUER: httpUrl,
  FLEETSCOPE_OIDC_CLIENT_ID: z.string().optional(),
  FLEETSCOPE_OIDC_CLIENT_SECRET: z.string().optional(),
  FLEETSCOPE_OIDC_OPERATOR_GROUP: z.string().default("fleetscope-operators"),
  FLEETSCOPE_OIDC_GROUPS_CLAIM: z.string().default("groups"),
  FLEETSCOPE_PLAN_TICK_SECONDS: positiveInt(10, 600),
  // A plan-runner tick still running after this is abandoned (its calls aborted) so the next one runs its guards.
  FLEETSCOPE_PLAN_TICK_TIMEOUT_SECONDS: positiveInt(30, 3600),
  // The Advisor page's default look-back (the demo uses 1: the sandbox simulates every invocation it scans).
  FLEETSCOPE_ADVISOR_DAYS: z.coerce
    .number()
    .refine(isAdvisorWindowDays, `must be one of ${ADVISOR_WINDOW_DAYS.join(", ")}`)
    .default(7),
  FLEETSCOPE_LEASE_SECONDS: positiveInt(30, 3600),
  // The collector (lib/collector): where it runs, how far back it backfills, and what it may spend.
  FLEETSCOPE_COLLECTOR: z.enum(["embedded", "off"], { error: "must be embedded or off" }).default("embedded"),
  FLEETSCOPE_COLLECTOR_BACKFILL_HOURS: positiveInt(
    24,
    MAX_BACKFILL_HOURS,
    ` (hours; ${MAX_BACKFILL_HOURS} = 14 days)`,
  ),
  FLEETSCOPE_COLLECTOR_LAMBDA_RPS: decimalIn(
    /^\d+(\.\d+)?$/,
    `a number above 0 and at most ${MAX_COLLECTOR_LAMBDA_RPS} (requests per second; AWS allows about 15 per account for all Lambda control-plane calls, deploys included)`,
    (n) => n > 0 && n <= MAX_COLLECTOR_LAMBDA_RPS,
    2,
  ),
  FLEETSCOPE_COLLECTOR_INSIGHTS_CONCURRENCY: positiveInt(4, 100, " (AWS allows 100 per account and region)"),
  // Multi-account (issue 17): the role ARNs and the rest are checked together in lib/core/accounts/config.ts.
  FLEETSCOPE_MONITORING_ACCOUNT: booleanFlag,
});

export type { AccountsConfig } from "@/lib/core/accounts/config";

const ACCOUNT_VARIABLES = [
  "FLEETSCOPE_ACCOUNT_ROLES",
  "FLEETSCOPE_ORGANIZATION_ROLE_NAME",
  "FLEETSCOPE_ACCOUNTS_INCLUDE",
  "FLEETSCOPE_ACCOUNTS_EXCLUDE",
  "FLEETSCOPE_ROLE_EXTERNAL_ID",
  "FLEETSCOPE_ROLE_SESSION_NAME",
] as const satisfies readonly (keyof AccountsVariables)[];

/** Variables whose presence means "the user configured credentials": the SDK chain must win over dummies. */
const CREDENTIAL_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_PROFILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
] as const;

export interface Env {
  regions: readonly string[];
  /** FLEETSCOPE_EDGE_REGIONS: where to search for Lambda@Edge replicas; null: the default list. */
  edgeRegions: readonly string[] | null;
  endpointUrl: string | null;
  /** The endpoint is on this machine: the embedded sandbox (or another local emulator). */
  endpointIsLoopback: boolean;
  hasConfiguredCredentials: boolean;
  readOnly: boolean;
  awsMaxAttempts: number;
  /** Per attempt: establishing the connection, then the whole request (a retry starts both afresh). */
  awsConnectTimeoutMs: number;
  awsRequestTimeoutMs: number;
  cacheTtlSeconds: number;
  /** SQLite location for plans, audit log, leases and settings (lib/store/database.ts). */
  databaseUrl: string;
  databasePoolSize: number;
  databaseStatementTimeoutMs: number;
  databaseConnectTimeoutMs: number;
  /** Where the one-time login token printed at start-up is also written (mode 0600). */
  loginTokenFile: string;
  /** Signs session cookies; when absent a random key is generated once and kept in the store. */
  sessionSecret: string | null;
  /** The console's public origin, for cross-site checks behind a proxy and the OIDC redirect URI. */
  publicUrl: string | null;
  oidc: OidcSettings | null;
  planTickSeconds: number;
  /** How long one runner tick may take before it is abandoned and the next one starts. */
  planTickTimeoutSeconds: number;
  /** The Advisor page's default look-back, in days. */
  advisorDays: AdvisorWindowDays;
  leaseSeconds: number;
  collector: CollectorEnv;
  /** Which accounts the console reads and how it reaches them (issue 17). */
  accounts: AccountsConfig;
}

export interface CollectorEnv {
  /** `embedded`: the console server runs it; `off`: a separate `npm run collector` does. */
  mode: "embedded" | "off";
  backfillHours: number;
  /** Lambda control-plane requests per second the collector may spend (AWS allows ~15 for all callers). */
  lambdaRequestsPerSecond: number;
  /** Logs Insights queries the collector runs at once in an account. */
  insightsConcurrency: number;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  operatorGroup: string;
  groupsClaim: string;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

export const isLoopbackUrl = (url: string): boolean => {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
};

export function parseEnv(raw: Readonly<Record<string, string | undefined>>): Env {
  // Empty strings mean "unset" for optional values (a common `FOO=` in .env files).
  const input = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(input);
  const accounts = parseAccountsVariables(
    Object.fromEntries(ACCOUNT_VARIABLES.flatMap((k) => (input[k] !== undefined ? [[k, input[k]]] : []))),
  );
  if (!result.success || !accounts.ok) {
    const problems = [
      ...(result.success ? [] : result.error.issues).map((i) => ({
        variable: i.path.join(".") || "(root)",
        message: i.message,
      })),
      ...(accounts.ok ? [] : accounts.problems),
    ];
    throw new FleetscopeError(
      "InvalidInput",
      `Invalid environment:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}`,
      { variables: problems.map((p) => p.variable) },
    );
  }
  const v = result.data;
  // The plan runner renews its lease every tick (and a third of the lease during a long one): a lease shorter than
  // two ticks would lapse between two live ticks and hand the plans to another replica for nothing.
  if (v.FLEETSCOPE_LEASE_SECONDS < 2 * v.FLEETSCOPE_PLAN_TICK_SECONDS) {
    throw new FleetscopeError(
      "InvalidInput",
      `Invalid environment:\n  FLEETSCOPE_LEASE_SECONDS: must be at least 2 × FLEETSCOPE_PLAN_TICK_SECONDS ` +
        `(${v.FLEETSCOPE_LEASE_SECONDS} < 2 × ${v.FLEETSCOPE_PLAN_TICK_SECONDS})`,
      { variables: ["FLEETSCOPE_LEASE_SECONDS", "FLEETSCOPE_PLAN_TICK_SECONDS"] },
    );
  }
  const endpointUrl = v.AWS_ENDPOINT_URL ?? null;
  return {
    regions: v.FLEETSCOPE_REGIONS,
    edgeRegions: v.FLEETSCOPE_EDGE_REGIONS,
    endpointUrl,
    endpointIsLoopback: endpointUrl !== null && isLoopbackUrl(endpointUrl),
    hasConfiguredCredentials: CREDENTIAL_VARIABLES.some((k) => Boolean(raw[k])),
    readOnly: v.FLEETSCOPE_READ_ONLY,
    awsMaxAttempts: v.FLEETSCOPE_AWS_MAX_ATTEMPTS,
    awsConnectTimeoutMs: v.FLEETSCOPE_AWS_CONNECT_TIMEOUT_MS,
    awsRequestTimeoutMs: v.FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS,
    cacheTtlSeconds: v.FLEETSCOPE_CACHE_TTL_SECONDS,
    databaseUrl: v.FLEETSCOPE_DATABASE_URL,
    databasePoolSize: v.FLEETSCOPE_DATABASE_POOL_SIZE,
    databaseStatementTimeoutMs: v.FLEETSCOPE_DATABASE_STATEMENT_TIMEOUT_MS,
    databaseConnectTimeoutMs: v.FLEETSCOPE_DATABASE_CONNECT_TIMEOUT_MS,
    loginTokenFile: v.FLEETSCOPE_LOGIN_TOKEN_FILE,
    sessionSecret: v.FLEETSCOPE_SESSION_SECRET ?? null,
    publicUrl: v.FLEETSCOPE_PUBLIC_URL ?? null,
    oidc:
      v.FLEETSCOPE_OIDC_ISSUER && v.FLEETSCOPE_OIDC_CLIENT_ID
        ? {
            issuer: v.FLEETSCOPE_OIDC_ISSUER,
            clientId: v.FLEETSCOPE_OIDC_CLIENT_ID,
            clientSecret: v.FLEETSCOPE_OIDC_CLIENT_SECRET ?? null,
            operatorGroup: v.FLEETSCOPE_OIDC_OPERATOR_GROUP,
            groupsClaim: v.FLEETSCOPE_OIDC_GROUPS_CLAIM,
          }
        : null,
    planTickSeconds: v.FLEETSCOPE_PLAN_TICK_SECONDS,
    planTickTimeoutSeconds: v.FLEETSCOPE_PLAN_TICK_TIMEOUT_SECONDS,
    advisorDays: v.FLEETSCOPE_ADVISOR_DAYS as AdvisorWindowDays,
    leaseSeconds: v.FLEETSCOPE_LEASE_SECONDS,
    collector: {
      mode: v.FLEETSCOPE_COLLECTOR,
      backfillHours: v.FLEETSCOPE_COLLECTOR_BACKFILL_HOURS,
      lambdaRequestsPerSecond: v.FLEETSCOPE_COLLECTOR_LAMBDA_RPS,
      insightsConcurrency: v.FLEETSCOPE_COLLECTOR_INSIGHTS_CONCURRENCY,
    },
    accounts: { ...accounts.config, monitoringAccount: v.FLEETSCOPE_MONITORING_ACCOUNT },
  };
}
