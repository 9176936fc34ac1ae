/**
 * Reading Logs Insights result rows back into domain units. GetQueryResults returns every value as a string.
 * Insights reports @memorySize / @maxMemoryUsed in "bytes" that are Lambda's MB × 1,000,000 (a 128 MB function
 * reports 128000000; AWS's own sample queries divide by 1000 / 1000), so they leave here as Lambda's MB.
 *
 * The rule for a `stats` row (missing evidence never reads as zero):
 * - A stats query over a window with no matching line returns no row: that is zero, legitimately.
 * - Group keys and `count()` columns are in every row: count() of no value is 0, never absent. A row without
 *   one of them, with a value that is not a number, or with a field the query does not produce (a renamed or
 *   unaliased column) is a shape error with a reason, and the whole answer is unreadable — never zeros.
 * - `sum` / `avg` / `min` / `max` / `pct` of no value are absent (Insights omits them): each is tied to the count
 *   of the same field (`given`), so it must be present when that count is > 0 and reads as "none" (null, or 0 for
 *   a sum) when it is 0. No cold start → no init sum is 0 cold starts, not a shape error; 3 cold starts and no
 *   init sum is a shape error. Fields every REPORT line has (duration, billed, memory) are tied to count(*).
 * - A count can never exceed the count(*) it is part of (`bounded`).
 */
import { z } from "zod";
import { FleetscopeError } from "../errors";
import { mb, ms, type Mb, type Ms } from "../units";

/** A row as the adapter reshapes it: field name → string value. */
export type InsightsRow = Readonly<Record<string, string | undefined>>;

/** A row read, or why it could not be. */
export type RowRead<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A non-negative numeric field: GetQueryResults returns every value as a string. */
export const insightsNumber = z
  .string()
  .trim()
  .regex(/^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/, "is not a number")
  .transform(Number)
  .pipe(z.number().finite().nonnegative("is negative"));

/** A count() column: a whole non-negative number. */
export const insightsCount = insightsNumber.pipe(z.number().int("is not a whole count"));

/** The columns one `stats` query produces (see the module header for the rule). */
export interface StatsShape {
  /** Group keys and count() columns: in every row. */
  always: readonly string[];
  /** Aggregate column → the count column whose value > 0 requires it. */
  given?: Readonly<Record<string, string>>;
  /** Columns that may be absent for a reason documented where the shape is declared. */
  optional?: readonly string[];
  /** Count column → the count it can never exceed. */
  bounded?: Readonly<Record<string, string>>;
}

const quote = (fields: readonly string[]) => fields.map((f) => `\`${f}\``).join(", ");
const countOf = (v: string | undefined) => (v === undefined || v.trim() === "" ? NaN : Number(v));

/**
 * Checks a row against its query's shape. On success the aggregates whose count is 0 are removed (an
 * implementation that prints "0" or "" for them means the same "none"), so schemas read them as absent.
 */
export function checkStatsRow(row: InsightsRow, shape: StatsShape): RowRead<InsightsRow> {
  const given = shape.given ?? {};
  const known = new Set([...shape.always, ...Object.keys(given), ...(shape.optional ?? [])]);
  const present = Object.keys(row).filter((f) => row[f] !== undefined);
  const missing = shape.always.filter((f) => row[f] === undefined);
  const extra = present.filter((f) => !known.has(f));
  if (missing.length > 0)
    return {
      ok: false,
      reason:
        `Logs Insights returned rows without the field${missing.length > 1 ? "s" : ""} ${quote(missing)}` +
        (extra.length > 0 ? ` (and with ${quote(extra)}, which the query does not produce)` : ""),
    };
  if (extra.length > 0)
    return {
      ok: false,
      reason: `Logs Insights returned the field${extra.length > 1 ? "s" : ""} ${quote(extra)}, which the query does not produce`,
    };
  const out: Record<string, string | undefined> = { ...row };
  for (const [field, count] of Object.entries(given)) {
    const n = countOf(row[count]);
    if (!(n > 0)) {
      // NaN (an unreadable count) is reported by the schema; 0 means the aggregate saw no value.
      const v = row[field];
      if (n === 0 && v !== undefined && v.trim() !== "" && Number(v) !== 0)
        return {
          ok: false,
          reason: `Logs Insights returned \`${field}\` = "${v}" although \`${count}\` is 0`,
        };
      delete out[field];
    } else if (row[field] === undefined)
      return {
        ok: false,
        reason: `Logs Insights returned rows without the field \`${field}\` although \`${count}\` is ${n}`,
      };
  }
  for (const [count, total] of Object.entries(shape.bounded ?? {})) {
    const c = countOf(row[count]);
    const t = countOf(row[total]);
    // Only between readable counts: the schema names a value that is not one.
    if (t >= 0 && c > t)
      return {
        ok: false,
        reason: `Logs Insights returned \`${count}\` = ${c}, more than \`${total}\` = ${t}`,
      };
  }
  return { ok: true, value: out };
}

/** Why a row does not have the expected shape: its first issue, as "the field `x` is not a number". */
export function rowProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const field = issue?.path.join(".");
  return field
    ? `Logs Insights returned the field \`${field}\` with a value that ${issue?.message ?? "is invalid"}`
    : `Logs Insights returned a row that ${issue?.message ?? "is invalid"}`;
}

/** Shape check, then schema: one row of a stats query, or the reason it cannot be read. */
export function readStatsRow<S extends z.ZodType>(
  row: InsightsRow,
  shape: StatsShape,
  schema: S,
): RowRead<z.output<S>> {
  const checked = checkStatsRow(row, shape);
  if (!checked.ok) return checked;
  const r = schema.safeParse(checked.value);
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: rowProblem(r.error) };
}

/** The coded error for an answer with unreadable rows: the panel says "unavailable" and why, never 0. */
export const unreadableRows = (reason: string, unreadable = 1, total = 1): FleetscopeError =>
  new FleetscopeError(
    "Unavailable",
    total > 1 ? `${reason} (${unreadable} of ${total} rows unreadable)` : reason,
    { unreadable, total },
  );

/** Reads every row or throws `unreadableRows` for the first that does not read. */
export function readAllRows<T>(rows: readonly InsightsRow[], read: (row: InsightsRow) => RowRead<T>): T[] {
  const out: T[] = [];
  let first: string | null = null;
  let bad = 0;
  for (const row of rows) {
    const r = read(row);
    if (r.ok) out.push(r.value);
    else {
      bad++;
      first ??= r.reason;
    }
  }
  if (first !== null) throw unreadableRows(first, bad, rows.length);
  return out;
}

/** An aggregate Insights omitted stays unknown (null), never 0. */
export const msOrNull = (v: number | undefined): Ms | null => (v === undefined ? null : ms(v));
/** Insights' memory fields → Lambda MB (decimal factor, see the header). */
export const insightsMemoryToMb = (v: number): Mb => mb(v / 1_000_000);
