/**
 * AWS's request-validation wording for a schema failure, instead of the schema library's, e.g.
 *   1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater
 *   than or equal to 1
 * (several failures: "N validation errors detected: …; …"). Members are camelCase and list items `N.member`
 * (1-based), as AWS prints them ('metricDataQueries.1.member.id'); a missing member is `Value null`.
 */
import type { z } from "zod";

/** One failure in AWS's words; `typeMismatch` marks a value of the wrong JSON type (a serialization error). */
export interface AwsIssue {
  path: string;
  value: string;
  constraint: string;
  typeMismatch: boolean;
}

const camel = (s: string) => (s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s);

function memberPath(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (const k of path) {
    if (typeof k === "number") parts.push(`${k + 1}.member`);
    else parts.push(camel(String(k)));
  }
  return parts.join(".");
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let v = body;
  for (const k of path) v = (v as Record<PropertyKey, unknown> | null | undefined)?.[k];
  return v;
}

function show(v: unknown): string {
  if (v === undefined || v === null) return "null";
  if (Array.isArray(v))
    return `'[${v.map((x) => (typeof x === "object" ? JSON.stringify(x) : String(x))).join(", ")}]'`;
  if (typeof v === "object") return `'${JSON.stringify(v)}'`;
  return `'${String(v)}'`;
}

function constraint(issue: z.core.$ZodIssue, value: unknown): { text: string; typeMismatch: boolean } {
  switch (issue.code) {
    case "too_big":
    case "too_small": {
      const bound = issue.code === "too_big" ? issue.maximum : issue.minimum;
      const dir = issue.code === "too_big" ? "less than or equal to" : "greater than or equal to";
      const what =
        issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint" ? "value" : "length";
      return { text: `Member must have ${what} ${dir} ${String(bound)}`, typeMismatch: false };
    }
    case "invalid_value":
      return {
        text: `Member must satisfy enum value set: [${issue.values.map(String).join(", ")}]`,
        typeMismatch: false,
      };
    case "invalid_format":
      return {
        text: `Member must satisfy regular expression pattern: ${"pattern" in issue ? String(issue.pattern) : issue.format}`,
        typeMismatch: false,
      };
    case "invalid_type":
      if (value === undefined || value === null)
        return { text: "Member must not be null", typeMismatch: false };
      return { text: `Member must be of type ${issue.expected}`, typeMismatch: true };
    default:
      return { text: "Member must satisfy its constraints", typeMismatch: false };
  }
}

export function awsIssues(error: z.ZodError, body: unknown): AwsIssue[] {
  return error.issues.map((issue) => {
    const value = valueAt(body, issue.path);
    const c = constraint(issue, value);
    return {
      path: memberPath(issue.path),
      value: show(value),
      constraint: c.text,
      typeMismatch: c.typeMismatch,
    };
  });
}

/** "N validation error(s) detected: Value … at '…' failed to satisfy constraint: …; …". */
export function validationMessage(issues: readonly AwsIssue[]): string {
  const n = issues.length;
  return (
    `${n} validation error${n === 1 ? "" : "s"} detected: ` +
    issues
      .map((i) => `Value ${i.value} at '${i.path}' failed to satisfy constraint: ${i.constraint}`)
      .join("; ")
  );
}
