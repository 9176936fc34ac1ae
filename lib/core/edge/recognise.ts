/**
 * Whether a function is a Lambda@Edge function, from its resource policy's statements (GetPolicy, parsed by
 * lib/core/triggers/policy.ts). Associating a version with CloudFront adds one statement that lets the Lambda
 * replication service read that version ("lambda:EnableReplication* adds a permission to the resource policy that
 * gives the Lambda replication service permission to get function code and configuration",
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-edge-permissions.html): Principal
 * `replicator.lambda.amazonaws.com`, Action lambda:GetFunction, Resource the version's ARN, no Condition.
 *
 * What Lambda's API cannot say, and this module does not pretend to: which distribution and which CloudFront event
 * (viewer/origin request/response) run the version. That is CloudFront's (ListDistributionsByLambdaFunction), which
 * the console does not call. `edgelambda.amazonaws.com` sits in the execution role's trust policy, not here, and a
 * `cloudfront.amazonaws.com` statement is CloudFront calling a function URL (origin access control), not Edge: neither
 * decides.
 *
 * Invariant: pure and total; the evidence names the statements that decided, so the page can show them.
 */
import type { PushSource } from "@/lib/core/triggers/types";

export const REPLICATOR_PRINCIPAL = "replicator.lambda.amazonaws.com";

export type EdgeRecognition =
  | { edge: false }
  | {
      edge: true;
      /** The replicator statements that made it an Edge function (their Sid and principal). */
      evidence: string[];
      /** The versions the replicator may read (its statements' Resource qualifiers), sorted; empty when unnamed. */
      replicatedVersions: string[];
    };

export function recogniseEdge(sources: readonly PushSource[]): EdgeRecognition {
  const deciding = sources.filter((s) => s.principal.toLowerCase() === REPLICATOR_PRINCIPAL);
  if (deciding.length === 0) return { edge: false };
  const versions = deciding.map((s) => s.qualifier).filter((q): q is string => q !== undefined && q !== "");
  return {
    edge: true,
    evidence: [...new Set(deciding.map((s) => `${s.sid} (${s.principal})`))],
    replicatedVersions: [...new Set(versions)].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b)),
  };
}

/**
 * `us-east-1.<name>`: the name a replica logs under, and (our decision: the guide names the region of the
 * metrics, not their dimension) the AWS/Lambda FunctionName its metrics carry in the region where it ran.
 */
export const replicaFunctionName = (name: string): string => `us-east-1.${name}`;

/**
 * The log group a replica writes to in every region where it runs: `/aws/lambda/us-east-1.<name>` for the
 * default group; a custom group (LoggingConfig) keeps its name, with no region prefix (edge-functions-logs.html).
 */
export function replicaLogGroup(name: string, configuredGroup: string): string {
  return configuredGroup === `/aws/lambda/${name}`
    ? `/aws/lambda/${replicaFunctionName(name)}`
    : configuredGroup;
}
