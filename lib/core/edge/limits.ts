/**
 * The limits that differ for Lambda@Edge, and a check of a function's configuration against them.
 *
 * Sources (CloudFront developer guide):
 * - "Quotas on Lambda@Edge" (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-lambda-at-edge):
 *   viewer request/response triggers: 128 MB memory, 5 s timeout; origin request/response triggers: Lambda's
 *   memory range (up to 10,240 MB), 30 s timeout.
 * - "Restrictions on Lambda@Edge" (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html),
 *   "Lambda features" not supported: environment variables (reserved ones excepted), VPC access, layers,
 *   provisioned concurrency, ephemeral storage above 512 MB, container images; CloudFront runs a numbered
 *   version, never $LATEST or an alias; runtimes: Node.js and Python only. The arm64 architecture and
 *   dead-letter queues are checked too (x86_64 only, no DLQ, as the same list is commonly quoted); the copy of the
 *   page we could read was cut short before those items, so they are the least certain of these findings.
 *
 * Invariants: pure and total; one finding per broken limit, each with a one-sentence message; a configuration
 * that fits viewer triggers yields no finding; "origin-only" findings are warnings (the function may serve
 * only origin triggers, which the console cannot see without CloudFront's API), the rest are problems.
 */
import type { FunctionConfig } from "@/lib/core/lambda/types";
import { mb, seconds, type Mb, type Seconds } from "@/lib/core/units";

export interface EdgeTriggerLimits {
  memory: Mb;
  timeout: Seconds;
}

export const EDGE_LIMITS = {
  viewer: { memory: mb(128), timeout: seconds(5) } satisfies EdgeTriggerLimits,
  origin: { memory: mb(10_240), timeout: seconds(30) } satisfies EdgeTriggerLimits,
  /** /tmp above this is not supported. */
  maxEphemeralStorage: mb(512),
  runtimeFamilies: ["nodejs", "python"] as const,
} as const;

export type EdgeFindingId =
  | "memory-viewer"
  | "memory-origin"
  | "timeout-viewer"
  | "timeout-origin"
  | "environment-variables"
  | "architecture"
  | "layers"
  | "container-image"
  | "runtime"
  | "ephemeral-storage"
  | "dead-letter-queue";

export interface EdgeFinding {
  id: EdgeFindingId;
  /** problem: CloudFront refuses or cannot run it; warning: allowed for origin triggers only. */
  severity: "problem" | "warning";
  message: string;
}

/** The configuration fields the check reads (a $LATEST or version configuration). */
export type EdgeConfig = Pick<
  FunctionConfig,
  | "memory"
  | "timeout"
  | "envVarsSize"
  | "architecture"
  | "layers"
  | "packageType"
  | "runtime"
  | "ephemeralStorage"
  | "deadLetterTarget"
>;

export function checkEdgeConfig(c: EdgeConfig): EdgeFinding[] {
  const out: EdgeFinding[] = [];
  const { viewer, origin } = EDGE_LIMITS;
  if (c.memory > origin.memory)
    out.push({
      id: "memory-origin",
      severity: "problem",
      message: `Memory ${c.memory} MB is above ${origin.memory} MB, the most any Edge trigger allows.`,
    });
  else if (c.memory > viewer.memory)
    out.push({
      id: "memory-viewer",
      severity: "warning",
      message: `Memory ${c.memory} MB is allowed for origin triggers only: viewer triggers allow ${viewer.memory} MB.`,
    });
  if (c.timeout > origin.timeout)
    out.push({
      id: "timeout-origin",
      severity: "problem",
      message: `Timeout ${c.timeout} s is above ${origin.timeout} s, the longest any Edge trigger allows.`,
    });
  else if (c.timeout > viewer.timeout)
    out.push({
      id: "timeout-viewer",
      severity: "warning",
      message: `Timeout ${c.timeout} s is allowed for origin triggers only: viewer triggers allow ${viewer.timeout} s.`,
    });
  if (c.envVarsSize > 0)
    out.push({
      id: "environment-variables",
      severity: "problem",
      message: "The function has environment variables, which Lambda@Edge does not support.",
    });
  if (c.architecture !== "x86_64")
    out.push({
      id: "architecture",
      severity: "problem",
      message: `The function runs on ${c.architecture}; Lambda@Edge runs x86_64 only.`,
    });
  if (c.layers.length > 0)
    out.push({
      id: "layers",
      severity: "problem",
      message: `The function uses ${c.layers.length} layer${c.layers.length === 1 ? "" : "s"}, which Lambda@Edge does not support.`,
    });
  if (c.packageType === "Image")
    out.push({
      id: "container-image",
      severity: "problem",
      message: "The function is a container image, which Lambda@Edge does not support.",
    });
  else if (c.runtime !== null && !EDGE_LIMITS.runtimeFamilies.some((f) => c.runtime?.startsWith(f)))
    out.push({
      id: "runtime",
      severity: "problem",
      message: `Runtime ${c.runtime} is not supported by Lambda@Edge, which runs Node.js and Python.`,
    });
  if (c.ephemeralStorage > EDGE_LIMITS.maxEphemeralStorage)
    out.push({
      id: "ephemeral-storage",
      severity: "problem",
      message: `Ephemeral storage ${c.ephemeralStorage} MB is above the ${EDGE_LIMITS.maxEphemeralStorage} MB Lambda@Edge supports.`,
    });
  if (c.deadLetterTarget)
    out.push({
      id: "dead-letter-queue",
      severity: "problem",
      message: "The function has a dead-letter queue, which Lambda@Edge does not support.",
    });
  return out;
}
