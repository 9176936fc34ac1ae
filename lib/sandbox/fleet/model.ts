/**
 * The sandbox account's state: what a real AWS account would hold for the four services we simulate.
 *
 * The fleet generator (fleet/generate.ts) builds it deterministically from a seed; the Lambda API mutates
 * only aliases (UpdateAlias); the simulator (sim/) derives every invocation, metric, log line and trace from it
 * and from the clock. This file is the contract between those parts. It is sandbox-only: the console never
 * imports it (lint-enforced), and the sandbox imports nothing from lib/core.
 */

/** Planted scenarios the console must find (documented in lib/sandbox/README.md). */
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
  | "code-size-near-limit"; // unzipped code + layers close to 250 MB

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
}

export interface RegionState {
  region: string;
  accountConcurrency: number; // default 1,000
  functions: Map<string, SimFunction>;
}

export interface SandboxAccount {
  accountId: string;
  seed: number;
  regions: Map<string, RegionState>;
}
