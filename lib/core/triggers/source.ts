/**
 * What an event source ARN names, read by its fields (arn:partition:service:region:account:resource), so
 * China and GovCloud partitions read the same as `aws`. A malformed ARN is "other" with its text as the name.
 */
import type { SourceKind } from "./types";

const KIND_BY_SERVICE: Readonly<Record<string, SourceKind>> = {
  sqs: "sqs",
  kinesis: "kinesis",
  dynamodb: "dynamodb",
  kafka: "kafka",
  mq: "mq",
  // DocumentDB change streams are mapped from the cluster's `rds` ARN.
  rds: "docdb",
};

function fields(arn: string): { service: string; resource: string } | null {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return null;
  return { service: parts[2] ?? "", resource: parts.slice(5).join(":") };
}

export function sourceKindOf(arn: string | null): SourceKind {
  if (arn === null) return "kafka"; // Only self-managed Kafka has no source ARN.
  const f = fields(arn);
  return (f && KIND_BY_SERVICE[f.service]) ?? "other";
}

/**
 * The short name people know a source by: the queue, stream, table, cluster or broker.
 * sqs `…:orders`, kinesis `stream/clicks`, dynamodb `table/orders/stream/2026-…`, kafka `cluster/name/uuid`,
 * mq `broker:name:id`, rds `cluster:name`.
 */
export function sourceName(arn: string | null): string {
  if (arn === null) return "self-managed Kafka";
  const f = fields(arn);
  if (!f) return arn;
  const segments = f.resource.split(/[/:]/);
  switch (f.service) {
    case "sqs":
      return f.resource;
    case "kinesis":
    case "dynamodb":
    case "kafka":
    case "mq":
    case "rds":
      return segments[1] || f.resource;
    default:
      return f.resource || arn;
  }
}
