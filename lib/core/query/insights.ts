/**
 * The building blocks of CloudWatch Logs Insights query text (the queries themselves live beside this file, in
 * lib/core/query/). Every user-supplied value goes through `insightsString` (a quoted, escaped literal); the
 * templates interpolate nothing else.
 *
 * Invariants:
 * - `insightsString(v)` yields `"…"` in which `\` and `"` are backslash-escaped and LF and TAB are written as
 *   `\n` and `\t`; any other control character (CR included) or a lone surrogate is InvalidInput. So the literal ends
 *   exactly at its closing quote, whatever `v` contains (`|`, `" or true`, newlines, unicode).
 * - Log group names are not part of the query text (they go in StartQuery's logGroupNames) but are validated
 *   here too, against the CloudWatch Logs name rule.
 */
import { invalidInput } from "../errors";
import type { Seconds } from "../units";
import { assertSafeText } from "./literal-safety";

export function insightsString(value: string): string {
  assertSafeText(value, "A query value");
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\t/g, "\\t");
  return `"${escaped}"`;
}

/** Log group names: 1–512 of `[.\-_/#A-Za-z0-9]` (CreateLogGroup). */
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;

export function validateLogGroupName(name: string): string {
  if (!LOG_GROUP.test(name)) throw invalidInput(`"${name.slice(0, 60)}" is not a valid log group name.`);
  return name;
}

/** Insights reports `@log` as `<account-id>:<log-group-name>`; the group name is what the console keys on. */
export function logGroupFromLogField(value: string): string {
  const m = /^\d{12}:(.+)$/.exec(value);
  return m?.[1] ?? value;
}

/** `bin()` argument for a period: whole hours or minutes where possible (`5m`, `1h`), else seconds. */
export function insightsBin(period: Seconds): string {
  if (!Number.isInteger(period) || period < 1)
    throw invalidInput("A bin period must be a positive whole second.");
  if (period % 3600 === 0) return `${period / 3600}h`;
  if (period % 60 === 0) return `${period / 60}m`;
  return `${period}s`;
}
