/**
 * Reconciliation of grouped errors with the Errors metric: per function, failed requests in the logs (every
 * group whose kind is not "logged") against the AWS/Lambda Errors metric over the same minutes — those both the
 * errors and the metrics coverage hold. Pure.
 *
 * Invariants:
 * - Both sides are read over exactly `window`; with no such minute both are null (not read), never 0.
 * - A difference is never silent: each one carries the reasons the store can back (the function's log level
 *   drops ERROR lines; its log group gave no REPORT lines although it was invoked; otherwise the plain size of
 *   the gap in one direction or the other). "The timestamp on an error metric reflects when the function was
 *   invoked, not when the error occurred" (Lambda developer guide, Types of metrics) while the failure is logged
 *   when it happens, so long requests at the window's edges can fall on one side only.
 * - The total adds up functions whose both sides are known; it reconciles only when each of them does.
 */
import type { Interval } from "@/lib/core/rollup/tiling";

export interface FunctionEvidence {
  account: string;
  region: string;
  fn: string;
  /** Minutes both the logs and metrics coverage hold inside the range; null when none. */
  window: Interval | null;
  /** Failed requests the error groups hold in `window`. */
  failed: number;
  /** Errors and Invocations metric sums over `window`. */
  metricErrors: number;
  invocations: number;
  /** REPORT lines of the function's log group over `window`. */
  reports: number;
  logGroup: string | null;
  /** LoggingConfig ApplicationLogLevel, when the stored inventory has it. */
  applicationLogLevel: string | null;
}

export type ReconcileState = "reconciled" | "differs" | "not-collected";

export interface FunctionReconciliation {
  account: string;
  region: string;
  fn: string;
  window: Interval | null;
  /** null: not read (no minute of the range is collected from both sources). */
  failed: number | null;
  metricErrors: number | null;
  state: ReconcileState;
  reasons: string[];
}

export interface TotalReconciliation {
  failed: number | null;
  metricErrors: number | null;
  state: ReconcileState;
  /** Functions that do not reconcile, or could not be compared. */
  unreconciled: number;
}

/** Application log levels more severe than ERROR: with one set, Lambda drops the function's ERROR lines. */
const DROPS_ERROR = new Set(["FATAL"]);

const defaultGroup = (fn: string) => `/aws/lambda/${fn}`;

function whyMoreErrors(e: FunctionEvidence, missing: number): string[] {
  const out: string[] = [];
  if (e.applicationLogLevel !== null && DROPS_ERROR.has(e.applicationLogLevel.toUpperCase()))
    out.push(`its ApplicationLogLevel is ${e.applicationLogLevel}, which drops ERROR lines`);
  if (e.reports === 0 && e.invocations > 0)
    out.push(
      e.logGroup !== null && e.logGroup !== defaultGroup(e.fn)
        ? `no log lines were collected from its custom log group ${e.logGroup} (not found or not readable)`
        : `no log lines were collected from its log group ${e.logGroup ?? defaultGroup(e.fn)}`,
    );
  out.push(
    `${missing} errors in the Errors metric have no failed request in the logs (errors not logged, or requests ` +
      "at the window's end whose failure was logged after it)",
  );
  return out;
}

export function reconcileFunction(e: FunctionEvidence): FunctionReconciliation {
  const base = { account: e.account, region: e.region, fn: e.fn, window: e.window };
  if (e.window === null)
    return {
      ...base,
      failed: null,
      metricErrors: null,
      state: "not-collected",
      reasons: ["no minute of the range has both its logs and its metrics collected yet"],
    };
  const diff = e.metricErrors - e.failed;
  if (diff === 0)
    return { ...base, failed: e.failed, metricErrors: e.metricErrors, state: "reconciled", reasons: [] };
  return {
    ...base,
    failed: e.failed,
    metricErrors: e.metricErrors,
    state: "differs",
    reasons:
      diff > 0
        ? whyMoreErrors(e, diff)
        : [
            `the logs show ${-diff} more failed requests than the Errors metric (requests that started before ` +
              "the window and failed inside it, as long ones and timeouts do, or metric minutes still settling)",
          ],
  };
}

/**
 * `compared`: some account-region had minutes collected from both sources (then functions without errors on either side
 * are known zeros and need no row).
 */
export function reconcileTotal(
  rows: readonly FunctionReconciliation[],
  compared: boolean,
): TotalReconciliation {
  const known = rows.filter((r) => r.failed !== null && r.metricErrors !== null);
  const unreconciled = rows.filter((r) => r.state !== "reconciled").length;
  if (!compared || (known.length === 0 && rows.length > 0))
    return { failed: null, metricErrors: null, state: "not-collected", unreconciled };
  return {
    failed: known.reduce((n, r) => n + (r.failed ?? 0), 0),
    metricErrors: known.reduce((n, r) => n + (r.metricErrors ?? 0), 0),
    state:
      unreconciled === 0
        ? "reconciled"
        : rows.some((r) => r.state === "differs")
          ? "differs"
          : "not-collected",
    unreconciled,
  };
}
