import { describe, expect, it } from "vitest";
import { sourceKindOf, sourceName } from "@/lib/core/triggers/source";

describe("event source ARNs", () => {
  it.each([
    ["arn:aws:sqs:us-east-1:123456789012:email-outbound", "sqs", "email-outbound"],
    ["arn:aws:kinesis:us-east-1:123456789012:stream/clickstream", "kinesis", "clickstream"],
    [
      "arn:aws:dynamodb:us-east-1:123456789012:table/orders-table/stream/2026-01-15T09:30:00.000",
      "dynamodb",
      "orders-table",
    ],
    ["arn:aws:kafka:us-east-1:123456789012:cluster/events/abcd-1234", "kafka", "events"],
    ["arn:aws:mq:us-east-1:123456789012:broker:jobs:b-1234", "mq", "jobs"],
    ["arn:aws:rds:us-east-1:123456789012:cluster:docs", "docdb", "docs"],
    ["arn:aws-cn:sqs:cn-north-1:123456789012:q", "sqs", "q"],
    ["arn:aws:sns:us-east-1:123456789012:topic", "other", "topic"],
  ])("%s is a %s source named %s", (arn, kind, name) => {
    expect(sourceKindOf(arn)).toBe(kind);
    expect(sourceName(arn)).toBe(name);
  });

  it("reads a missing ARN as self-managed Kafka and a malformed one as other, named by its text", () => {
    expect([sourceKindOf(null), sourceName(null)]).toEqual(["kafka", "self-managed Kafka"]);
    expect([sourceKindOf("not-an-arn"), sourceName("not-an-arn")]).toEqual(["other", "not-an-arn"]);
  });
});
