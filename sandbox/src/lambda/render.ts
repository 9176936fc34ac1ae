/** The sandbox model rendered as Lambda's JSON shapes (botocore 'lambda': FunctionConfiguration, AliasConfiguration). */
import type { Alias, FunctionVersion, SimFunction } from "../fleet/model";
import { deriveSeed, Rng } from "../fleet/prng";
import { functionArn } from "./names";

/** Lambda's LastModified format: `2024-01-02T03:04:05.000+0000`. */
export const lambdaTimestamp = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");
/** Provisioned concurrency's LastModified: ISO 8601 without milliseconds, `2024-01-02T03:04:05+0000`. */
export const isoSecondsTimestamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+0000");

export interface RenderScope {
  region: string;
  accountId: string;
}

/** A version's configuration; `arnQualifier` is what FunctionArn carries (null: unqualified). */
export function renderConfiguration(
  scope: RenderScope,
  fn: SimFunction,
  v: FunctionVersion,
  arnQualifier: string | null,
) {
  const published = v.version !== "$LATEST";
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(scope.region, scope.accountId, fn.name, arnQualifier),
    ...(v.runtime === null ? {} : { Runtime: v.runtime }),
    Role: fn.role,
    ...(v.handler === null ? {} : { Handler: v.handler }),
    CodeSize: v.codeSize,
    Description: v.description,
    Timeout: v.timeout,
    MemorySize: v.memorySize,
    LastModified: lambdaTimestamp(v.lastModifiedMs),
    CodeSha256: v.codeSha256,
    Version: v.version,
    ...(Object.keys(v.environment).length > 0 ? { Environment: { Variables: { ...v.environment } } } : {}),
    ...(fn.deadLetterTargetArn ? { DeadLetterConfig: { TargetArn: fn.deadLetterTargetArn } } : {}),
    TracingConfig: { Mode: fn.tracing },
    RevisionId: v.revisionId,
    ...(v.layers.length > 0 ? { Layers: v.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize })) } : {}),
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: fn.packageType,
    Architectures: [v.architecture],
    EphemeralStorage: { Size: v.ephemeralStorage },
    SnapStart: {
      ApplyOn: fn.snapStart ? "PublishedVersions" : "None",
      OptimizationStatus: fn.snapStart && published ? "On" : "Off",
    },
    LoggingConfig: {
      LogFormat: fn.logFormat,
      ...(fn.logFormat === "JSON" ? { ApplicationLogLevel: "INFO", SystemLogLevel: "INFO" } : {}),
      LogGroup: fn.logGroup,
    },
  };
}

export function renderAlias(scope: RenderScope, fn: SimFunction, alias: Alias) {
  const current = alias.history[alias.history.length - 1];
  return {
    AliasArn: functionArn(scope.region, scope.accountId, fn.name, alias.name),
    Name: alias.name,
    FunctionVersion: current?.functionVersion ?? "$LATEST",
    Description: alias.description,
    ...(current?.additional
      ? {
          RoutingConfig: {
            AdditionalVersionWeights: { [current.additional.version]: current.additional.weight },
          },
        }
      : {}),
    RevisionId: alias.revisionId,
  };
}

/** GetFunction's Code: a presigned-URL-shaped location (never fetchable: the sandbox holds no code). */
export function renderCode(scope: RenderScope, fn: SimFunction, v: FunctionVersion) {
  if (fn.packageType === "Image") {
    const uri = `${scope.accountId}.dkr.ecr.${scope.region}.amazonaws.com/${fn.name}:latest`;
    return {
      RepositoryType: "ECR",
      ImageUri: uri,
      ResolvedImageUri: `${uri}@sha256:${Buffer.from(v.codeSha256, "base64").toString("hex")}`,
    };
  }
  const rng = new Rng(deriveSeed(fn.seed, v.codeSha256));
  const date = new Date(v.lastModifiedMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const query = [
    `versionId=${rng.hex(32)}`,
    "X-Amz-Algorithm=AWS4-HMAC-SHA256",
    `X-Amz-Date=${date}`,
    "X-Amz-SignedHeaders=host",
    "X-Amz-Expires=600",
    `X-Amz-Credential=ASIA${rng.hex(16).toUpperCase()}%2F${date.slice(0, 8)}%2F${scope.region}%2Fs3%2Faws4_request`,
    `X-Amz-Signature=${rng.hex(64)}`,
  ].join("&");
  return {
    RepositoryType: "S3",
    Location: `https://awslambda-${scope.region}-tasks.s3.${scope.region}.amazonaws.com/snapshots/${scope.accountId}/${fn.name}-${rng.uuid()}?${query}`,
  };
}
