/**
 * Whether a function is a Lambda@Edge function, from its resource policy's statements (GetPolicy, parsed by
 * lib/core/triggers/policy.ts). Associating a version with CloudFront adds a statement that lets the Lambda
 * replication service read it ("lambda:EnableReplication* adds a permission to the resource policy that gives
 * the Lambda replication service permission to get function code and configuration",
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-edge-permissions.html); a statement
 * for CloudFront itself (`edgelambda`/`cloudfront` principals, kind "cloudfront") says the same.
 *
 * Invariant: pure and total; the evidence names the statement that decided, so the page can show it.
 */
import type { PushSource } from "@/lib/core/triggers/types";

export const REPLICATOR_PRINCIPAL = "replicator.lambda.amazonaws.com";

export type EdgeRecognition =
  | { edge: false }
  | {
      edge: true;
      /** The statements that made it an Edge function (their Sid and principal). */
      evidence: string[];
      /** CloudFront distributions named by the statements' AWS:SourceArn, when any. */
      distributions: string[];
    };

export function recogniseEdge(sources: readonly PushSource[]): EdgeRecognition {
  const deciding = sources.filter(
    (s) => s.principal.toLowerCase() === REPLICATOR_PRINCIPAL || s.kind === "cloudfront",
  );
  if (deciding.length === 0) return { edge: false };
  const distributions = [
    ...new Set(
      deciding
        .map((s) => s.sourceArn)
        .filter((arn): arn is string => arn !== null && arn.startsWith("arn:aws:cloudfront:")),
    ),
  ];
  return {
    edge: true,
    evidence: deciding.map((s) => `${s.sid} (${s.principal})`),
    distributions,
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
