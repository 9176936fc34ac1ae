/**
 * The collector's errors steps: error groups (errors.ts) read on their own — forward and backfill, with their own
 * coverage (the error store's, source "errors", 1-minute, per region) and their own ledger source "errors" — so a
 * failed error query never holds back the REPORT rollups or the metrics, and a store whose logs were collected
 * before error groups existed (or by a collector without an error store) gets its errors backfilled rather than
 * reading as "no errors".
 *
 * Invariants:
 * - Coverage is one contiguous interval of minutes: forward extends its end, backfill its start, newest first,
 *   down to the horizon; a failed step changes nothing (rows, partly read minutes and coverage go in together).
 * - Forward reads only minutes whose metrics are settled (`settleMinutes` behind the metrics' own lag), because
 *   the shortcut — scan only the groups of functions whose stored Errors metric is > 0 — must not read a minute
 *   CloudWatch may still publish errors for. Where the stored metrics do not cover the span settled (backfill
 *   past their coverage, metrics behind), every group is scanned.
 * - The Errors metric counts a request in the minute it started, its failure is logged at its end: the metric
 *   is read from the function's timeout before the window.
 * - Writes go through `ctx.write` (fenced by the collector lease).
 * - Limitation (said on the page): a function without a failure in the window is not scanned, so `logged` ERROR
 *   lines of requests that did not fail are grouped only in minutes where their function also failed.
 */
import type { FunctionConfig } from "@/lib/core/lambda/types";
import type { RegionContext } from "./region";
import { readMinuteErrors, type GroupOwners } from "./errors";

const MINUTE = 60_000;
/** A request's final line (REPORT, platform.report) comes milliseconds after its last error line. */
export const LOOKAHEAD_MS = 10_000;
/**
 * The scan's reach before a window. The lines that decide a failure's group and minute (the runtime's error line,
 * then REPORT / platform.report, or the timeout and OOM lines) come within milliseconds of each other at its end;
 * the lookback finds the earlier ones of a request whose final line opens this window, so it is not counted twice.
 * It is short on purpose: windows are about a minute, and every second of reach is scanned (and billed) again.
 */
export const LOOKBACK_MS = 15_000;

const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;

/** The newest minute end the errors steps may read at `now`: its logs closed and its metrics settled. */
export function errorsClosedEnd(ctx: Pick<RegionContext, "settings">, now: number): number {
  const s = ctx.settings;
  return Math.min(floorMinute(now - s.logLagMs), floorMinute(now - s.metricLagMs) - s.settleMinutes * MINUTE);
}

/** Reads the newest settled minutes' error groups; returns the interval read, or null when nothing was due. */
export async function errorsForwardStep(
  ctx: RegionContext,
  now: number,
): Promise<{ start: number; end: number } | null> {
  if (!ctx.errors || (await ctx.inventory.account(ctx.scope)) === null) return null;
  const closedEnd = errorsClosedEnd(ctx, now);
  const cov = await ctx.errors.coverage(ctx.scope);
  const start = cov ? cov.to : closedEnd - MINUTE;
  // After a long stop, catch up oldest first, a chunk at a time, so coverage stays contiguous.
  const end = Math.min(closedEnd, start + ctx.settings.logsChunkMs);
  if (end <= start) return null;
  await readErrorsWindow(ctx, start, end, now);
  return { start, end };
}

/** Extends the errors coverage one chunk further back, newest first; null once the horizon is reached. */
export async function errorsBackfillStep(
  ctx: RegionContext,
  now: number,
): Promise<{ start: number; end: number } | null> {
  const cov = await ctx.errors?.coverage(ctx.scope);
  if (!cov) return null;
  const horizon = floorMinute(now - ctx.settings.horizonMs);
  if (cov.from <= horizon) return null;
  const start = Math.max(horizon, cov.from - ctx.settings.logsChunkMs);
  const end = cov.from;
  await readErrorsWindow(ctx, start, end, now);
  return { start, end };
}

/** How much of the errors backfill is done (like region.ts backfillProgress). */
export async function errorsBackfillProgress(
  ctx: Pick<RegionContext, "scope" | "errors" | "settings">,
  now: number,
): Promise<{ collectedMs: number; targetMs: number }> {
  const cov = await ctx.errors?.coverage(ctx.scope);
  if (!cov) return { collectedMs: 0, targetMs: ctx.settings.horizonMs };
  const horizon = floorMinute(now - ctx.settings.horizonMs);
  return { collectedMs: cov.to - Math.max(horizon, cov.from), targetMs: Math.max(0, cov.to - horizon) };
}

const lookbackOf = (timeoutSeconds: number) => Math.ceil((timeoutSeconds * 1000) / MINUTE) * MINUTE;

/**
 * Functions that may have failed in [start, end): those whose stored Errors metric is > 0 from their timeout
 * before the window to its end, when the stored metrics cover that span and it is settled; else null (scan all).
 */
async function failingFunctions(
  ctx: RegionContext,
  fns: readonly FunctionConfig[],
  start: number,
  end: number,
): Promise<Set<string> | null> {
  const from = start - Math.max(0, ...fns.map((c) => lookbackOf(c.timeout)));
  const cov = await ctx.telemetry.coverage(ctx.scope, "metrics", 60);
  const settledTo = cov ? cov.to - ctx.settings.settleMinutes * MINUTE : -Infinity;
  if (!cov || cov.from > from || settledTo < end) return null;
  const lastError = new Map<string, number>();
  for (const r of await ctx.telemetry.metricRows(ctx.scope, 60, from, end))
    if (r.errors > 0) lastError.set(r.fn, Math.max(lastError.get(r.fn) ?? r.t, r.t));
  return new Set(
    fns
      .filter((c) => (lastError.get(c.name) ?? -Infinity) >= start - lookbackOf(c.timeout))
      .map((c) => c.name),
  );
}

async function readErrorsWindow(ctx: RegionContext, start: number, end: number, now: number): Promise<void> {
  const fns = (await ctx.inventory.functions(ctx.scope)).map((e) => e.config);
  const owners = new Map<string, string[]>();
  for (const c of fns) owners.set(c.logGroup, [...(owners.get(c.logGroup) ?? []), c.name]);
  const failing = await failingFunctions(ctx, fns, start, end);
  const scanned = failing === null ? fns : fns.filter((c) => failing.has(c.name));
  const read =
    scanned.length === 0
      ? { rows: [], requests: 0, bytesScanned: 0, partial: [] }
      : await readMinuteErrors(
          ctx.ports.logs,
          ctx.scope,
          owners as GroupOwners,
          scanned.map((c) => c.logGroup),
          { start, end },
          {
            deadlineMs: ctx.settings.insightsDeadlineMs,
            scheduler: ctx.scheduler,
            lookbackMs: LOOKBACK_MS,
            lookaheadMs: LOOKAHEAD_MS,
          },
        );
  // The window's rows, partial minutes, coverage and cost: one fenced write.
  await ctx.write(async (tx) => {
    await tx.errors.putWindow(ctx.scope, { from: start, to: end }, read.rows, read.partial, now);
    await ctx.charge(
      tx,
      "errors",
      { requests: read.requests, bytesScanned: read.bytesScanned, minutes: (end - start) / MINUTE },
      now,
    );
  });
}
