/**
 * Domain types for the Lambda control plane. lib/aws/lambda.ts reshapes SDK responses into these at the
 * boundary; nothing above lib/aws sees an SDK type.
 */
import type { Bytes, EpochMs, Mb, Ratio, Seconds } from "../units";

export type Architecture = "x86_64" | "arm64";
export type LogFormat = "Text" | "JSON";

export interface Layer {
  arn: string;
  codeSize: Bytes;
}

/** One function version's configuration ($LATEST or a published version). */
export interface FunctionConfig {
  region: string;
  name: string;
  arn: string;
  version: string; // "$LATEST" or "1", "2", …
  description: string;
  /** null for container-image functions, which have no managed runtime. */
  runtime: string | null;
  packageType: "Zip" | "Image";
  architecture: Architecture;
  memory: Mb;
  timeout: Seconds;
  ephemeralStorage: Mb;
  codeSize: Bytes;
  codeSha256: string;
  /** Size of the environment variables as Lambda counts it (the JSON of the map), against the 4 KB limit. */
  envVarsSize: Bytes;
  layers: Layer[];
  lastModified: EpochMs;
  logGroup: string;
  logFormat: LogFormat;
  tracing: "Active" | "PassThrough";
  snapStart: boolean;
  revisionId: string;
  /**
   * DeadLetterConfig.TargetArn (SQS queue or SNS topic), null without one. Optional: inventory rows stored
   * before the field existed lack it, and undefined then means "not read", not "none".
   */
  deadLetterTarget?: string | null;
}

export interface AliasRouting {
  /** The additional version and the share of traffic it receives, in [0, 1]. */
  additionalVersion: string;
  weight: Ratio;
}

export interface Alias {
  name: string;
  arn: string;
  functionVersion: string;
  description: string;
  routing: AliasRouting | null;
  revisionId: string;
}

export interface ProvisionedConcurrency {
  qualifier: string; // alias name or version
  requested: number;
  allocated: number;
  available: number;
  status: "IN_PROGRESS" | "READY" | "FAILED";
}

export interface AccountSettings {
  region: string;
  concurrentExecutions: number;
  unreservedConcurrentExecutions: number;
  totalCodeSize: Bytes;
  codeSizeLimit: Bytes;
  codeSizeZipped: Bytes;
  codeSizeUnzipped: Bytes;
  functionCount: number;
}
