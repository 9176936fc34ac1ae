/**
 * What an event source mapping's fields mean, said once for every reader (/sources, the Advisor, the function
 * page's warnings). Pure.
 *
 * Invariants:
 * - StateTransitionReason names who made the last change. AWS spells a user's change differently by source:
 *   `USER_INITIATED` on queue mappings, `User action` on Kinesis and DynamoDB stream mappings (and `User initiated`
 *   in older answers); an empty reason is read as a user's too. Anything else is Lambda's own reason (it disabled
 *   the mapping because the source, the function or the role broke).
 * - A mapping "has lag" when Lambda reports how far behind it reads (IteratorAge): the ordered-record sources
 *   Kinesis, DynamoDB Streams and Kafka. Queues report no lag.
 * Source: https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html
 */
import type { EventSourceMapping } from "./types";

const USER_REASONS: ReadonlySet<string> = new Set(["user_initiated", "user action", "user initiated"]);

/** Whether a user (not Lambda) made the mapping's last state change. */
export const isUserInitiated = (reason: string): boolean => {
  const r = reason.trim().toLowerCase();
  return r === "" || USER_REASONS.has(r);
};

/** Kinesis, DynamoDB Streams and Kafka: sources read in order, whose consumer can fall behind (IteratorAge). */
export const isStream = (m: Pick<EventSourceMapping, "kind">): boolean =>
  m.kind === "kinesis" || m.kind === "dynamodb" || m.kind === "kafka";
