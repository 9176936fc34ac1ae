/**
 * CloudWatch Logs filter patterns (FilterLogEvents `filterPattern`): terms and quoted phrases.
 *
 * Invariants:
 * - Every user value becomes a double-quoted phrase: inside it `\` and `"` are backslash-escaped (as the AWS CDK's
 *   FilterPattern does), so `?`, `-`, `{`, `[`, `%` and spaces in a value are literal text, never operators.
 * - Tabs, newlines and other control characters are InvalidInput: a log event term cannot span lines and an
 *   escape for them is not part of the documented syntax.
 * - Filter patterns are case-sensitive and match the phrase anywhere in the message.
 * Syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
import { invalidInput } from "../errors";
import { assertSafeText } from "./literal-safety";

export function filterPatternTerm(value: string): string {
  assertSafeText(value, "A filter value");
  if (value === "") throw invalidInput("A filter value cannot be empty.");
  if (/[\t\n]/.test(value)) throw invalidInput("A filter value cannot contain tabs or line breaks.");
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Events containing every value. */
export const allTermsPattern = (values: readonly string[]): string => {
  if (values.length === 0) throw invalidInput("At least one filter value is needed.");
  return values.map(filterPatternTerm).join(" ");
};

/** Events containing at least one of the values. */
export const anyTermPattern = (values: readonly string[]): string => {
  if (values.length === 0) throw invalidInput("At least one filter value is needed.");
  return values.map((v) => `?${filterPatternTerm(v)}`).join(" ");
};

/** The lines of one request: its id as an exact phrase (START/END/REPORT and runtime-prefixed lines carry it). */
export const requestIdPattern = (requestId: string): string => filterPatternTerm(requestId);
