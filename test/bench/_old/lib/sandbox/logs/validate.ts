/** zod at the trust boundary: request bodies become typed inputs or AWS's validation error. */
import type { z } from "zod";
import { LogsError } from "./wire";

export function parseInput<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.join(".") ?? "";
  let value: unknown = body;
  for (const k of issue?.path ?? []) value = (value as Record<PropertyKey, unknown> | undefined)?.[k];
  throw new LogsError(
    "InvalidParameterException",
    `1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: ${issue?.message ?? "invalid"}`,
  );
}

/** Exactly one of logGroupName / logGroupIdentifier, as GetLogEvents, FilterLogEvents and DescribeLogStreams require. */
export function oneGroup(input: { logGroupName?: string; logGroupIdentifier?: string }): string {
  const { logGroupName: name, logGroupIdentifier: id } = input;
  if ((name === undefined) === (id === undefined)) {
    throw new LogsError(
      "InvalidParameterException",
      "Either logGroupName or logGroupIdentifier must be specified, but not both.",
    );
  }
  return (name ?? id)!;
}
