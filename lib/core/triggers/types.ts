/**
 * Domain types for how a function is invoked: event source mappings Lambda polls, services its resource policy
 * lets push to it, its function URL, and what happens to its asynchronous events. lib/aws/lambda.ts reshapes
 * SDK responses into these; nothing above lib/aws sees an SDK type.
 */
import type { EpochMs, Seconds } from "../units";

/** What a mapping polls, from its source ARN's service (DocumentDB change streams are `rds` ARNs). */
export type SourceKind = "sqs" | "kinesis" | "dynamodb" | "kafka" | "mq" | "docdb" | "other";

/** ListEventSourceMappings' Maximum* fields use -1 for "no limit" (retry until the record expires). */
export const UNLIMITED = -1;

export interface EventSourceMapping {
  uuid: string;
  /** null for a self-managed Kafka cluster, which has bootstrap servers instead of an ARN. */
  sourceArn: string | null;
  kind: SourceKind;
  /** Creating, Enabling, Enabled, Disabling, Disabled, Updating or Deleting. */
  state: string;
  /**
   * Why the state last changed: a user's change ("USER_INITIATED" on queues, "User action" on streams: read it with
   * mapping.ts's isUserInitiated), or Lambda's own reason when it disabled the mapping.
   */
  stateReason: string;
  /** Streams only: "OK", "No records processed", or "PROBLEM: …" when Lambda cannot read or invoke. */
  lastProcessingResult: string | null;
  batchSize: number | null;
  batchingWindowSeconds: Seconds | null;
  /** Streams and Kafka: TRIM_HORIZON, LATEST or AT_TIMESTAMP; null for queues. */
  startingPosition: string | null;
  /** Filter patterns as AWS stores them (JSON text). */
  filters: string[];
  /** Streams only; null where the setting does not apply. */
  bisectOnError: boolean | null;
  reportBatchItemFailures: boolean;
  onFailureDestination: string | null;
  /** Streams only; -1 (UNLIMITED) retries until the record expires. */
  maxRetries: number | null;
  /** Streams only; -1 (UNLIMITED) keeps records as long as the stream does. */
  maxRecordAgeSeconds: number | null;
  parallelizationFactor: number | null;
  lastModified: EpochMs | null;
  /**
   * MetricsConfig.Metrics (e.g. ["EventCount"]): the mapping metrics (dimension EventSourceMappingUUID) Lambda
   * publishes for it; empty when none are enabled, and then CloudWatch has none to read.
   */
  metrics: string[];
}

export type PushSourceKind = "apigateway" | "s3" | "sns" | "events" | "cloudfront" | "other";

/** One service (or account) a resource-policy statement allows to invoke the function. */
export interface PushSource {
  sid: string;
  /** The service principal (`s3.amazonaws.com`), an account or role ARN, or `*`. */
  principal: string;
  kind: PushSourceKind;
  /** The `AWS:SourceArn` condition, or null when the statement does not restrict the source. */
  sourceArn: string | null;
  /** The version or alias the statement's one Resource ARN names (`function:f:3` → "3"); absent: the function. */
  qualifier?: string;
}

/** What parsing a resource policy gave: its push sources, or why the text could not be read. */
export type PolicyReading = { readable: true; sources: PushSource[] } | { readable: false; reason: string };

export interface FunctionUrlCors {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAgeSeconds: Seconds | null;
}

export interface FunctionUrl {
  url: string;
  authType: "NONE" | "AWS_IAM";
  /** RESPONSE_STREAM streams the response as the function writes it. */
  invokeMode: "BUFFERED" | "RESPONSE_STREAM";
  cors: FunctionUrlCors | null;
}

/** The function's event invoke config; absent, AWS retries twice and keeps events 6 hours (ASYNC_DEFAULTS). */
export interface AsyncConfig {
  maxRetries: number;
  maxEventAgeSeconds: Seconds;
  onSuccess: string | null;
  onFailure: string | null;
}

/** https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html */
export const ASYNC_DEFAULTS: AsyncConfig = {
  maxRetries: 2,
  maxEventAgeSeconds: 21_600 as Seconds,
  onSuccess: null,
  onFailure: null,
};

/** GetFunctionRecursionConfig: Terminate (AWS's default) stops a detected loop; Allow lets it run. */
export type RecursiveLoop = "Allow" | "Terminate";

/** A problem visible from configuration alone, said in one sentence. */
export interface TriggerWarning {
  code:
    | "mapping-disabled"
    | "mapping-problem"
    | "async-events-unguarded"
    | "stream-retries-forever"
    | "sqs-whole-batch-retry";
  message: string;
  /** The mapping it is about, if any. */
  mappingUuid?: string;
}
