/**
 * Reading Logs Insights result rows back into domain units. GetQueryResults returns every value as a string and
 * omits a field whose aggregate is empty (no cold start → no avgInitMs), so a missing stat is null, never 0.
 * Insights reports @memorySize / @maxMemoryUsed in "bytes" that are Lambda's MB × 1,000,000 (a 128 MB function
 * reports 128000000; AWS's own sample queries divide by 1000 / 1000), so they leave here as Lambda's MB.
 */
import { z } from "zod";
import { mb, ms, type Mb, type Ms } from "../units";
import { logGroupFromLogField } from "./insights";

/** A row as the adapter reshapes it: field name → string value. */
export type InsightsRow = Readonly<Record<string, string | undefined>>;

/** A non-negative numeric field: GetQueryResults returns every value as a string. */
export const insightsNumber = z
  .string()
  .trim()
  .regex(/^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/)
  .transform(Number)
  .pipe(z.number().finite().nonnegative());

const fleetRow = z.object({
  "@log": z.string().min(1),
  invocations: insightsNumber,
  coldStarts: insightsNumber.optional(),
  avgInitMs: insightsNumber.optional(),
  p99InitMs: insightsNumber.optional(),
  maxInitMs: insightsNumber.optional(),
  maxMemoryUsedBytes: insightsNumber.optional(),
  memorySizeBytes: insightsNumber.optional(),
  p99DurationMs: insightsNumber.optional(),
  billedDurationMs: insightsNumber.optional(),
});

export interface FleetReportRow {
  logGroup: string;
  invocations: number;
  coldStarts: number;
  avgInit: Ms | null;
  p99Init: Ms | null;
  maxInit: Ms | null;
  maxMemoryUsed: Mb | null;
  memorySize: Mb | null;
  p99Duration: Ms | null;
  billedDuration: Ms;
}

/** An aggregate Insights omitted stays unknown (null), never 0. */
export const msOrNull = (v: number | undefined): Ms | null => (v === undefined ? null : ms(v));
/** Insights' memory fields → Lambda MB (decimal factor, see the header). */
export const insightsMemoryToMb = (v: number): Mb => mb(v / 1_000_000);
const mbOrNull = (v: number | undefined) => (v === undefined ? null : insightsMemoryToMb(v));

/** Why a row does not have the expected shape: its first issue, as `field: message`. */
export function rowProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join(".") ?? "row"}: ${issue?.message ?? "invalid"}`;
}

/** One row of `fleetReportQuery()`; `{ ok: false }` for a row that does not have its shape (never throws). */
export function parseFleetReportRow(
  row: InsightsRow,
): { ok: true; value: FleetReportRow } | { ok: false; reason: string } {
  const r = fleetRow.safeParse(row);
  if (!r.success) return { ok: false, reason: rowProblem(r.error) };
  const d = r.data;
  return {
    ok: true,
    value: {
      logGroup: logGroupFromLogField(d["@log"]),
      invocations: d.invocations,
      coldStarts: d.coldStarts ?? 0,
      avgInit: msOrNull(d.avgInitMs),
      p99Init: msOrNull(d.p99InitMs),
      maxInit: msOrNull(d.maxInitMs),
      maxMemoryUsed: mbOrNull(d.maxMemoryUsedBytes),
      memorySize: mbOrNull(d.memorySizeBytes),
      p99Duration: msOrNull(d.p99DurationMs),
      billedDuration: ms(d.billedDurationMs ?? 0),
    },
  };
}
