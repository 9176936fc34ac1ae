/** zod at the trust boundary: request bodies become typed inputs or AWS's validation error. */
import type { z } from "zod";
import { awsIssues, validationMessage } from "../protocol/validation";
import { LogsError } from "./wire";

export function parseInput<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issues = awsIssues(r.error, body);
  const wrongType = issues.filter((i) => i.typeMismatch);
  if (wrongType.length > 0) throw new LogsError("SerializationException", validationMessage(wrongType));
  throw new LogsError("InvalidParameterException", validationMessage(issues));
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
