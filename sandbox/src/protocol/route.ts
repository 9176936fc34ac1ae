/**
 * Works out which service and region a request is for, as AWS's front end does: from the SigV4 credential
 * scope (`Credential=AKID/20261123/us-east-1/lambda/aws4_request`, in the Authorization header or a
 * presigned `X-Amz-Credential` query), falling back to the protocol's fingerprints (X-Amz-Target prefix, path).
 * Signatures are not verified (the sandbox takes dummy credentials), but a credential must be present.
 */
import type { RoutedService } from "../http/types";

const SCOPE = /Credential=[^/\s,]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;
const SERVICES: ReadonlySet<string> = new Set([
  "lambda",
  "monitoring",
  "logs",
  "xray",
  "sqs",
  "sts",
  "organizations",
]);
const LAMBDA_PATH = /^\/20\d\d-\d\d-\d\d\//;
const XRAY_PATHS = [
  "/TraceSummaries",
  "/Traces",
  "/ServiceGraph",
  "/TraceGraph",
  "/TraceIds",
  "/InsightSummaries",
  "/GetTraceSegmentDestination",
  "/GetIndexingRules",
  "/StartTraceRetrieval",
  "/ListRetrievedTraces",
];

export interface Credential {
  region: string;
  /** The service named in the scope, which may be one we do not simulate. */
  service: string;
}

export function credentialScope(headers: Record<string, string>, query: URLSearchParams): Credential | null {
  const auth = headers.authorization ?? "";
  const m = SCOPE.exec(auth) ?? SCOPE.exec(`Credential=${query.get("X-Amz-Credential") ?? ""}`);
  return m ? { region: m[1] as string, service: m[2] as string } : null;
}

/** The service from the request's shape alone, for clients whose scope names something else. */
export function serviceFromShape(headers: Record<string, string>, path: string): RoutedService | null {
  const target = headers["x-amz-target"] ?? "";
  if (target.startsWith("AWSOrganizationsV20161128.")) return "organizations";
  if (target.startsWith("GraniteServiceVersion20100801.")) return "monitoring";
  if (target.startsWith("Logs_20140328.")) return "logs";
  if (target.startsWith("AmazonSQS.")) return "sqs";
  if (path.startsWith("/service/GraniteServiceVersion20100801/")) return "monitoring"; // rpc-v2-cbor
  if (LAMBDA_PATH.test(path)) return "lambda";
  if (XRAY_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return "xray";
  return null;
}

export function resolveService(
  scope: Credential | null,
  headers: Record<string, string>,
  path: string,
): RoutedService | null {
  if (scope && SERVICES.has(scope.service)) return scope.service as RoutedService;
  return serviceFromShape(headers, path);
}

/** The operation named by an awsJson `X-Amz-Target` (`Prefix.Operation`), if any. */
export function targetOperation(headers: Record<string, string>): string | null {
  const target = headers["x-amz-target"];
  if (!target) return null;
  const dot = target.lastIndexOf(".");
  return dot >= 0 ? target.slice(dot + 1) : null;
}

const XRAY_OPERATIONS: Record<string, string> = {
  "/TraceSummaries": "GetTraceSummaries",
  "/Traces": "BatchGetTraces",
  "/ServiceGraph": "GetServiceGraph",
  "/TraceGraph": "GetTraceGraph",
  "/TraceIds": "GetTraceIds",
  "/GetTraceSegmentDestination": "GetTraceSegmentDestination",
  "/GetIndexingRules": "GetIndexingRules",
  "/StartTraceRetrieval": "StartTraceRetrieval",
  "/ListRetrievedTraces": "ListRetrievedTraces",
};

export const xrayOperation = (path: string): string | null => XRAY_OPERATIONS[path] ?? null;
