/**
 * The sandbox account's state: what a real AWS account would hold for the four services we simulate.
 *
 * The fleet generator (fleet/generate.ts) builds it deterministically from a seed; the Lambda API mutates
 * only aliases (UpdateAlias); the simulator (sim/) derives every invocation, metric, log line and trace from it
 * and from the clock. This file is the contract between those parts. It is sandbox-only: the console never
 * imports it (lint-enforced), and the sandbox imports nothing from lib/core.
 */

/** Planted scenarios the console must find (documented in sandbox/README.md). */
export type Scenario =
  | "healthy"
  | "memory-overprovisioned" // uses < 20% of configured memory
  | "duration-near-timeout" // p99 duration above 90% of the timeout, few actual timeouts
  | "regular-timeouts" // a steady share of invocations time out
  | "memory-near-limit-oom" // max memory used > 95% of configured, some OOM kills
  | "throttled-at-reserved" // traffic exceeds reserved concurrency
  | "provisioned-idle" // provisioned concurrency far above need
  | "provisioned-spillover" // traffic exceeds provisioned concurrency
  | "high-cold-start" // bursty, idle gaps, heavy init: many cold starts
  | "failing-canary" // `live` shifts to a new version whose error rate is much higher
  | "deprecated-runtime" // a runtime past its deprecation date
  | "code-size-near-limit" // unzipped code + layers close to 250 MB
  | "stream-consumer-lagging" // a Kinesis consumer whose iterator age climbs for hours
  | "sqs-visibility-timeout-short" // queue visibility timeout under 6 × the function timeout
  | "async-events-dropped" // async events dropped: no on-failure destination, no DLQ
  | "lambda-edge"; // replicated to CloudFront: its replicas run and log in several regions (fleet/edge.ts)

/** How one published version behaves when invoked. Durations in ms, memory in MB. */
export interface VersionBehaviour {
  durationMedianMs: number;
  /** Sigma of the log-normal duration distribution. */
  durationSigma: number;
  errorRate: number; // function errors (handled exceptions reported as errors), 0..1
  timeoutRate: number; // 0..1
  oomRate: number; // 0..1
  memoryUsedMedianMb: number;
  memoryUsedSigma: number;
  initDurationMs: number; // median init duration for a cold start
  /** Median SnapStart restore duration (replaces init on a published version of a SnapStart function). */
  restoreDurationMs?: number;
  downstream: DownstreamCall[];
  /** This share of the version's function errors come from one special error site (sim/failures.ts), not the
   * runtime's generic ones: payments-api's canary declines cards. The error rate itself is errorRate. */
  dominantFailure?: { errorType: string; share: number };
  /** Share of successful invocations whose code logs a handled error (a Powertools `level: ERROR` line) and
   * carries on: the invocation still succeeds, so the Errors metric does not count it. */
  loggedErrorRate?: number;
}

export interface DownstreamCall {
  kind: "dynamodb" | "s3" | "sqs" | "http";
  /** Table, bucket, queue name, or host for http. */
  resource: string;
  operation: string; // e.g. GetItem, PutObject, SendMessage, GET
  medianMs: number;
  errorRate: number;
  throttleRate: number;
}

export interface FunctionVersion {
  version: string; // "$LATEST", "1", "2", …
  description: string;
  codeSha256: string;
  codeSize: number; // bytes, zipped deployment package as Lambda reports CodeSize
  /** Unzipped code plus layers, bytes (vs the 250 MB limit). Lambda's API does not report it. Optional. */
  codeSizeUnzipped?: number;
  runtime: string | null; // null for container images
  handler: string | null;
  memorySize: number; // MB
  timeout: number; // seconds
  ephemeralStorage: number; // MB
  architecture: "x86_64" | "arm64";
  environment: Record<string, string>;
  layers: { arn: string; codeSize: number }[];
  lastModifiedMs: number;
  revisionId: string;
  behaviour: VersionBehaviour;
}

export interface AliasRoutingState {
  functionVersion: string;
  /** Additional version and its weight in [0, 1]; null when all traffic goes to functionVersion. */
  additional: { version: string; weight: number } | null;
}

export interface AliasChange extends AliasRoutingState {
  /** The routing is in force for minutes starting at or after this epoch-ms. */
  fromMs: number;
}

export interface Alias {
  name: string;
  description: string;
  revisionId: string;
  /** Ordered oldest first; the last entry is the current routing. Never empty. */
  history: AliasChange[];
}

export interface TrafficProfile {
  /** Mean invocations per minute at the daily peak. */
  peakPerMinute: number;
  /** 0..1: how much traffic drops at the daily trough (1 = nothing at night). */
  dailyDip: number;
  /** Probability per minute of a burst, and its multiplier. */
  burstChance: number;
  burstFactor: number;
  /** Which alias invocations go through; null invokes $LATEST unqualified. */
  viaAlias: string | null;
}

/** Fields every event source mapping has (botocore 'lambda' EventSourceMappingConfiguration). */
interface MappingBase {
  uuid: string;
  eventSourceArn: string;
  /** AWS's transient states (Creating, Enabling, …) never persist in the sandbox. */
  state: "Enabled" | "Disabled";
  stateTransitionReason: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  /** FilterCriteria.Filters[].Pattern, JSON text. */
  filterPatterns: string[];
  reportBatchItemFailures: boolean;
  /** MetricsConfig {Metrics: ["EventCount"]} when enabled. */
  metricsEnabled: boolean;
  lastModifiedMs: number;
}

export interface QueueMapping extends MappingBase {
  kind: "sqs";
  /** The queue's VisibilityTimeout, seconds: a fact of the queue (the sandbox has no SQS), AWS advises ≥ 6 × timeout. */
  queueVisibilityTimeoutSeconds: number;
}

export interface StreamMapping extends MappingBase {
  kind: "kinesis" | "dynamodb";
  startingPosition: "TRIM_HORIZON" | "LATEST";
  parallelizationFactor: number;
  bisectBatchOnFunctionError: boolean;
  /** -1: retry until the record expires. */
  maximumRetryAttempts: number;
  /** -1: no limit (the stream's retention). */
  maximumRecordAgeInSeconds: number;
  onFailureDestination: string | null;
  lastProcessingResult: string;
  /** The consumer falls behind from `sinceMs`, its iterator age growing by `perHourMs` each hour (IteratorAge: cloudwatch/source-metrics.ts). */
  iteratorAgeGrowth: { sinceMs: number; perHourMs: number } | null;
}

export type EventSourceMapping = QueueMapping | StreamMapping;

/** A resource-policy statement letting a service push events to the function (lambda:InvokeFunction). */
export interface PushSource {
  sid: string;
  principal:
    | "apigateway.amazonaws.com"
    | "s3.amazonaws.com"
    | "events.amazonaws.com"
    | "sns.amazonaws.com"
    | "edgelambda.amazonaws.com"
    | "replicator.lambda.amazonaws.com";
  /** null: no Condition on the source (the Lambda@Edge replicator statement). */
  sourceArn: string | null;
  /** Condition StringEquals AWS:SourceAccount (S3 bucket ARNs carry no account). */
  sourceAccount: string | null;
  /** Absent: lambda:InvokeFunction. The replicator is granted lambda:GetFunction. */
  action?: string;
  /** A version the statement is limited to (its Resource is that version's ARN); absent: the function. */
  qualifier?: string;
}

export interface FunctionUrl {
  /** The 32-character id in https://<id>.lambda-url.<region>.on.aws/. */
  urlId: string;
  /** Alias the URL points at; null for the unqualified function. */
  qualifier: string | null;
  authType: "NONE" | "AWS_IAM";
  cors: {
    allowCredentials: boolean;
    allowHeaders: string[];
    allowMethods: string[];
    allowOrigins: string[];
    exposeHeaders: string[];
    maxAge: number;
  } | null;
  invokeMode: "BUFFERED" | "RESPONSE_STREAM";
  createdMs: number;
  lastModifiedMs: number;
}

/** PutFunctionEventInvokeConfig's settings for the unqualified function. */
export interface AsyncInvokeConfig {
  maximumRetryAttempts: number; // 0–2
  maximumEventAgeInSeconds: number; // 60–21600
  onSuccess: string | null;
  onFailure: string | null;
  lastModifiedMs: number;
}

export interface SimFunction {
  name: string;
  region: string;
  role: string;
  packageType: "Zip" | "Image";
  logGroup: string;
  logFormat: "Text" | "JSON";
  tracing: "Active" | "PassThrough";
  /** SnapStart ApplyOn PublishedVersions: cold starts of published versions restore a snapshot instead of INIT. */
  snapStart: boolean;
  reservedConcurrency: number | null;
  latest: FunctionVersion;
  /** Published versions, ascending. */
  versions: FunctionVersion[];
  aliases: Alias[];
  /** Provisioned concurrency per qualifier (alias name or version). */
  provisioned: { qualifier: string; requested: number }[];
  tags: Record<string, string>;
  traffic: TrafficProfile;
  scenario: Scenario;
  /** Epoch-ms when the function was created; no traffic before it. */
  createdMs: number;
  /** Independent seed for this function's random streams. */
  seed: number;
  /** Triggers (fleet/triggers.ts): absent means none. Pull sources Lambda polls. */
  eventSources?: EventSourceMapping[];
  /** Services allowed to push events (the resource policy), and the policy's RevisionId. */
  pushSources?: PushSource[];
  policyRevisionId?: string;
  functionUrl?: FunctionUrl;
  asyncConfig?: AsyncInvokeConfig;
  /** DeadLetterConfig.TargetArn (SQS queue or SNS topic) for async events that exhaust their retries. */
  deadLetterTargetArn?: string;
  /** GetFunctionRecursionConfig; absent is AWS's default, Terminate. */
  recursiveLoop?: "Terminate" | "Allow";
  /** Share of async events dropped (retries or age exhausted, nowhere to send them): AsyncEventsDropped (cloudwatch/source-metrics.ts). */
  asyncDropRate?: number;
  /** Lambda@Edge (fleet/edge.ts): the version CloudFront runs and where its replicas ran. */
  edge?: EdgeReplication;
  /** Set on a replica: the function (in us-east-1) and version it is a copy of. Replicas are not listed by the
   * Lambda API; they exist only through their logs and metrics in the region where they ran. */
  replicaOf?: { region: string; functionName: string; version: string };
}

/** Where an Edge function's replicas run, each with its own traffic (CloudFront viewers near that region). */
export interface EdgeReplication {
  version: string;
  associatedMs: number;
  distributionArn: string;
  replicas: { region: string; peakPerMinute: number; errorRate: number }[];
}

export interface RegionState {
  region: string;
  accountConcurrency: number; // default 1,000
  functions: Map<string, SimFunction>;
  /** Lambda@Edge replicas that ran here, by name (`us-east-1.<function>`): logs and metrics only. */
  replicas?: Map<string, SimFunction>;
}

export interface SandboxAccount {
  accountId: string;
  seed: number;
  regions: Map<string, RegionState>;
}
